"""Sharkovsky's order and what a period forces.

Sharkovsky (1964): order the positive integers as

    3 ▷ 5 ▷ 7 ▷ … ▷ 2·3 ▷ 2·5 ▷ … ▷ 4·3 ▷ 4·5 ▷ … ▷ 2ⁿ ▷ … ▷ 8 ▷ 4 ▷ 2 ▷ 1.

If a continuous f: ℝ → ℝ has a point of minimal period m and m ▷ n, it has a
point of minimal period n. Period 3 comes first, so it forces every period.

>>> sorted([1, 2, 3, 4, 5, 6, 12], key=sharkovsky_key)
[3, 5, 6, 12, 4, 2, 1]
>>> forces(3, 1000), forces(4, 3)
(True, False)
"""

from __future__ import annotations

__all__ = ["sharkovsky_key", "forces", "forced_periods_text"]

def sharkovsky_key(n: int) -> tuple[int, int, int]:
    """Sort key: m ▷ n exactly when ``sharkovsky_key(m) < sharkovsky_key(n)``."""
    if n < 1:
        raise ValueError("periods are positive integers")
    power = (n & -n).bit_length() - 1
    odd = n >> power
    if odd == 1:  # pure powers of two come last, in decreasing order
        return (1, -power, 0)
    return (0, power, odd)


def forces(m: int, n: int) -> bool:
    """Whether minimal period m forces minimal period n (m ⊵ n)."""
    return sharkovsky_key(m) <= sharkovsky_key(n)


def forced_periods_text(m: int) -> str:
    """A sentence naming the periods that minimal period m forces."""
    if m == 3:
        return "every period n >= 1"
    power = (m & -m).bit_length() - 1
    odd = m >> power
    if odd == 1:
        return "the periods " + ", ".join(str(2**k) for k in range(power, -1, -1))
    return (
        f"every period 2^{power}*q with q odd and q >= {odd}, every 2^j*q with j > {power} "
        "and q odd >= 3, and every power of 2"
    )
