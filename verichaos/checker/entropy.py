"""The entropy claims: "positive-entropy" (an orbit and a Markov hint) and "zero-entropy".

A continuous map of an interval has positive topological entropy exactly when
it has a periodic point whose period is not a power of 2 (Misiurewicz 1979;
Block and Coppel 1992); then it is Li-Yorke chaotic.

Positive: P = {p_0 < ... < p_(m-1)} an orbit of minimal period m, m not a power
of 2, I_i = [p_i, p_(i+1)]. By continuity f(I_i) holds the interval between
f(p_i) and f(p_(i+1)), so I_i covers I_j (M[i][j] = 1) when
min(f(p_i), f(p_(i+1))) <= p_j and p_(j+1) <= max(f(p_i), f(p_(i+1))), and
h(f) >= log of the spectral radius of M (Block, Guckenheimer, Misiurewicz and
Young 1980). Collatz-Wielandt: v >= 0, v != 0 and Mv >= r*v give radius >= r.
The hint (j, t, r): S is the strongly connected class of interval j, j its
smallest index; v = (I + M_S)^t 1 on S, 0 elsewhere; r = min over S of
(M v)_i / v_i, which never decreases with t: t is the first step reaching r,
and r > 1. Every value is recomputed here, so each field is determined.

Zero: an orbit of minimal period 2^K (none for K = -1) and a proof of no point
of minimal period 2^(K+1) (periods.py): by Sharkovsky (1964) the periods are
exactly 1, 2, ..., 2^K, and h(f) = 0 (Misiurewicz 1979).
"""

from fractions import Fraction

from .exact import Rejected, fmt
from .periods import chaotic, check_orbit, no_period, only_powers
from .reader import canon


def reach(matrix, start, forward):
    """The intervals reachable from start in the Markov graph (forward) or reaching it."""
    seen, todo = {start}, [start]
    while todo:
        i = todo.pop()
        for k in range(len(matrix)):
            if (matrix[i][k] if forward else matrix[k][i]) and k not in seen:
                seen.add(k)
                todo.append(k)
    return seen


class Claim:
    """positive-entropy: the orbit and the Markov hint; zero-entropy: the orbit and the proof."""

    def __init__(self, cert):
        self.cert, self.zero = cert, cert["claim"] == "zero-entropy"
        self.orbit = cert.get("witness", {}).get("orbit", [])
        m, self.markov = len(self.orbit), cert.get("witness", {}).get("markov")
        self.statement = f"f has {'zero' if self.zero else 'positive'} topological entropy"
        if self.zero:
            self.consequences = only_powers(2 * m or 1) if m & (m - 1) == 0 else None
        else:
            self.consequences = self.markov and m and chaotic(m, f"is at least log({canon(self.markov[2])}) "
                                                              "(Block, Guckenheimer, Misiurewicz and Young 1980)")
        self.needs = {"witness", "proof"} if self.zero else {"witness", "witness.markov"}

    def check(self, net):
        check_orbit(net, self.orbit)
        m = len(self.orbit)
        if self.zero:
            return no_period(net, self.cert["proof"], 2 * m or 1)
        if m & (m - 1) == 0:
            raise Rejected(f"the orbit's minimal period {m} is a power of 2")
        p = sorted(self.orbit)
        y = [net.f(x) for x in p]
        matrix = [[int(min(y[i], y[i + 1]) <= p[j] and p[j + 1] <= max(y[i], y[i + 1])) for j in range(m - 1)]
                  for i in range(m - 1)]
        start, steps, ratio = self.markov
        members = sorted(reach(matrix, start, True) & reach(matrix, start, False)) if start < m - 1 else [None]
        if members[0] != start:
            raise Rejected(f"Markov hint: interval {start} is not the first interval of its class")
        vector, ratios = [1] * len(members), []
        for _ in range(steps + 1):
            image = [sum(matrix[i][k] * v for k, v in zip(members, vector)) for i in members]
            ratios.append(min(Fraction(w, v) for w, v in zip(image, vector)))
            vector = [v + w for v, w in zip(vector, image)]
        if ratios[-1] != ratio or steps and ratios[-2] == ratio:
            raise Rejected(f"Markov hint: the ratio after {steps} steps is {fmt(ratios[-1])}, first reached after "
                           f"{ratios.index(ratios[-1])} steps, not {fmt(ratio)} after {steps}")
        if not ratio > 1:
            raise Rejected(f"Markov hint: the ratio {fmt(ratio)} is not above 1")
