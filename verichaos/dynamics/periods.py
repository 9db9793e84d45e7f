"""The set of periods of f, exactly or as a Sharkovsky tail.

Sharkovsky (1964) and its converse (Sharkovsky 1964; Block–Coppel, LNM 1513,
on periodic points; Alsedà–Llibre–Misiurewicz, on periods): the set of minimal periods of
a continuous map of an interval is {n : t ⊵ n} for a *type* t, a positive
integer or 2^∞ (every power of 2 and nothing else), or empty for a map of ℝ
without a fixed point. So the set is pinned down by two numbers:

* ``present``: a period found, so every n with present ⊵ n is a period;
* ``absent``: a period shown absent, so no n with n ⊵ absent is one.

The set is known exactly when nothing lies strictly between them in
Sharkovsky's order: absent is the predecessor of present (2^(j+1) before 2^j,
2^j·(q − 2) before 2^j·q for odd q ≥ 5), or present = 3 (nothing before it),
or nothing is a period (absent = 1). A period 3·2^j with j ≥ 1 has no
predecessor (the numbers 2^(j−1)·q, q odd, come before it and have no last
one), so a positive verdict at K ≥ 1 is refined by searching
2^(K−1)·q for q = 5, 7, … up to ``max_period``: the first found is the type.

>>> from verichaos.pwl import PiecewiseLinear
>>> stefan = PiecewiseLinear.from_knots([1, 2, 3, 4, 5], [3, 5, 4, 2, 1], 0, 0)  # a Štefan 5-cycle
>>> found = period_set(stefan)
>>> found.present, found.absent, found.exact, found.contains(3), found.contains(7)
(5, 3, True, False, True)
>>> found.text()
'all n except 3'
"""

from __future__ import annotations

from dataclasses import dataclass

from verichaos.dynamics.entropy import DEFAULT_MAX_PIECES, ChaosVerdict, decide_chaos
from verichaos.budget import PiecesExceeded
from verichaos.dynamics.orbits import Powers, find_orbit
from verichaos.dynamics.sharkovsky import forces
from verichaos.pwl import PiecewiseLinear
from verichaos.rational import canonical

__all__ = ["DEFAULT_MAX_PERIOD", "PeriodSet", "period_set", "sharkovsky_predecessor"]

DEFAULT_MAX_PERIOD = 24
"""The largest period 2^(K−1)·q searched when refining a positive verdict
(each search composes f^(2^(K−1)·q), which grows like λ to that power)."""

SHORT = 24
"""Rationals longer than this many characters are shown rounded in text reports."""


def _odd_part(n: int) -> tuple[int, int]:
    power = (n & -n).bit_length() - 1
    return power, n >> power


def sharkovsky_predecessor(n: int) -> int | None:
    """The m with m ▷ n and nothing strictly between, if there is one."""
    power, odd = _odd_part(n)
    if odd == 1:
        return 2 * n
    return None if odd == 3 else (odd - 2) << power


def _tail_text(t: int) -> str:
    """The n with t ⊵ n, in words: what n ▷ t leaves out, listed."""
    power, odd = _odd_part(t)
    if odd == 1:
        return "{" + ", ".join(str(2**j) for j in range(power + 1)) + "}"
    if t == 3:
        return "all n >= 1"
    left_out = [f"2^{j}*q for odd q >= 3" if j else "the odd numbers >= 3" for j in range(power)]
    if odd > 3:
        left_out.append(", ".join(str(q << power) for q in range(3, odd, 2)))
    return "all n except " + "; ".join(left_out)


@dataclass(frozen=True)
class PeriodSet:
    """Every n with present ⊵ n is a period and no n with n ⊵ absent is
    (``None``: no such bound). See the module docstring."""

    present: int | None
    absent: int | None
    verdict: ChaosVerdict

    @property
    def exact(self) -> bool:
        if self.present is None:
            return self.absent == 1
        return self.absent == sharkovsky_predecessor(self.present) or (self.present == 3 and self.absent is None)

    def contains(self, n: int) -> bool | None:
        """Whether n is a period of f; None when the bounds do not say."""
        if self.present is not None and forces(self.present, n):
            return True
        if self.absent is not None and forces(n, self.absent):
            return False
        return None

    def text(self) -> str:
        if self.present is None:
            return "none: f has no periodic point"
        tail = _tail_text(self.present)
        if self.exact:
            return f"exactly {tail}" if tail.startswith("{") else tail
        if self.absent is None:
            return f"include {tail}"
        return (
            f"include {tail}; exclude {self.absent} and every n |> {self.absent} (Sharkovsky's order); "
            f"not decided: the n strictly between {self.absent} and {self.present} in that order"
        )

    def to_json(self) -> dict[str, object]:
        """The verdict's JSON with the periods added."""
        periods = {"exact": self.exact, "present": self.present, "absent": self.absent, "text": self.text()}
        return {**self.verdict.to_json(), "periods": periods}

    def lines(self) -> list[str]:
        """A plain-text report: verdict, orbit, periods, consequences, searches."""
        verdict = self.verdict
        lines = [f"chaos: {verdict.chaos}"]
        orbit = verdict.orbit or verdict.power_orbit
        if orbit is not None:
            points = [canonical(x) for x in orbit.points]
            if max(map(len, points)) > SHORT:
                bits = max(x.numerator.bit_length() + x.denominator.bit_length() for x in orbit.points)
                points = [f"{float(x):.6g}" for x in orbit.points]  # float ok: a rounded display; --json has the exact values
                lines.append(f"  orbit of minimal period {orbit.period} (rounded; exact rationals of up to {bits} bits in --json):")
            else:
                lines.append(f"  orbit of minimal period {orbit.period}:")
            lines.append("    " + " -> ".join(points))
        lines.append(f"periods: {self.text()}")
        lines += [f"  {sentence}" for sentence in verdict.consequences()]
        lines.append("searched: " + ", ".join(f"{n} {'yes' if orbit else 'no'}" for n, orbit in verdict.searched))
        return lines


def period_set(
    f: PiecewiseLinear,
    verdict: ChaosVerdict | None = None,
    max_period: int = DEFAULT_MAX_PERIOD,
    max_pieces: int | None = DEFAULT_MAX_PIECES,
) -> PeriodSet:
    """The periods of f from its chaos verdict (computed when not given),
    refined as the module docstring says for a positive verdict at K ≥ 1,
    each search within ``max_pieces`` (:func:`~verichaos.dynamics.entropy.decide_chaos`)."""
    verdict = decide_chaos(f) if verdict is None else verdict
    if verdict.chaos == "zero":
        if verdict.doublings is None:
            return PeriodSet(None, 1, verdict)
        return PeriodSet(2**verdict.doublings, 2 ** (verdict.doublings + 1), verdict)
    excluded = [n for n, orbit in verdict.searched if orbit is None]
    absent = max(excluded) if excluded else None  # every excluded n is some 3·2^j: the largest says most
    if verdict.chaos == "undecided":
        return PeriodSet(verdict.largest_power_of_two_period, absent, verdict)
    present = verdict.orbit.period
    if verdict.doublings == 0:
        return PeriodSet(present, None, verdict)
    block = 2 ** (verdict.doublings - 1)
    odd = 5
    powers = Powers.on_cycle_hull(f, verdict.core, max_pieces)  # rising periods: each power from the last
    try:
        while block * odd <= max_period:
            if find_orbit(f, block * odd, verdict.core, max_pieces, powers) is not None:
                return PeriodSet(block * odd, block * (odd - 2), verdict)
            absent, odd = block * odd, odd + 2
    except PiecesExceeded:
        pass  # the bounds found so far stand
    return PeriodSet(present, absent, verdict)

