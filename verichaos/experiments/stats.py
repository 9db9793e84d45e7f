"""Wilson score confidence intervals for a rate.

For x successes out of n trials, p̂ = x/n and z the normal quantile (1.96 for
95%), Wilson (1927) gives the interval

    ( p̂ + z²/2n ± z·√( p̂(1−p̂)/n + z²/4n² ) ) / (1 + z²/n),

which, unlike p̂ ± z√(p̂(1−p̂)/n), stays inside [0, 1] and does not collapse
to a point when x = 0 or x = n: the right interval for rare events such as
period 3 at small width. The inputs are exact integers; the interval is a
reported float, never used in a decision.

>>> lo, hi = wilson_interval(0, 10)
>>> round(lo, 4), round(hi, 4)
(0.0, 0.2775)
>>> [round(v, 4) for v in wilson_interval(1377, 10000)]
[0.1311, 0.1446]
"""

from __future__ import annotations

import math

__all__ = ["Z95", "wilson_interval"]

Z95 = 1.959963984540054
"""The 97.5% quantile of the standard normal: a two-sided 95% interval."""


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval (low, high) for ``successes`` out of ``trials``."""
    if trials <= 0:
        raise ValueError("the Wilson interval needs at least one trial")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie in [0, {trials}], got {successes}")
    p = successes / trials  # float ok: a reported interval; no decision rests on it
    z2 = z * z
    denominator = 1 + z2 / trials
    center = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # At x = 0 (x = n) the low (high) end is exactly 0 (1); rounding must not move it.
    low = 0.0 if successes == 0 else max(0.0, center - half)
    high = 1.0 if successes == trials else min(1.0, center + half)
    return low, high

