"""The entropy claims: "positive-entropy" (an orbit and a Markov hint) and "zero-entropy"; docs/certificates.md.

h(f) > 0 exactly when f has a period no power of 2 (Misiurewicz 1979). Positive: the orbit's Markov graph M
gives h(f) >= log(radius of M) (Block, Guckenheimer, Misiurewicz and Young 1980) >= log r when v >= 0, v != 0,
M v >= r v (Collatz-Wielandt), v = (I + M_S)^t 1 on the class S of the hint. Zero: an orbit of minimal period
2^K (none: K = -1) and a proof of no period 2^(K+1): the periods are exactly 1, ..., 2^K (Sharkovsky 1964).
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
        new = {k for k in range(len(matrix)) if (matrix[i][k] if forward else matrix[k][i])} - seen
        seen, todo = seen | new, todo + list(new)
    return seen

def texts(cert):
    """(statement, consequences, the parts needed) of an entropy claim."""
    orbit, markov = cert.get("witness", {}).get("orbit", []), cert.get("witness", {}).get("markov")
    if cert["claim"] == "zero-entropy":
        m = len(orbit)
        return "f has zero topological entropy", m & (m - 1) == 0 and only_powers(2 * m or 1), {"witness", "proof"}
    return ("f has positive topological entropy", markov and orbit and chaotic(len(orbit), (
        f"is at least log({canon(markov[2])}) (Block, Guckenheimer, Misiurewicz and Young 1980)")),
        {"witness", "witness.markov"})

def check(net, cert):
    """The orbit, then the proof (zero) or the Markov hint (positive)."""
    orbit = cert["witness"]["orbit"]
    check_orbit(net, orbit)
    m = len(orbit)
    if cert["claim"] == "zero-entropy":
        return no_period(net, cert["proof"], 2 * m or 1)
    if m & (m - 1) == 0:
        raise Rejected(f"the orbit's minimal period {m} is a power of 2")
    p = sorted(orbit)
    y = [net.f(x) for x in p]
    matrix = [[int(min(y[i], y[i + 1]) <= p[j] and p[j + 1] <= max(y[i], y[i + 1])) for j in range(m - 1)]
              for i in range(m - 1)]
    start, steps, ratio = cert["witness"]["markov"]
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
