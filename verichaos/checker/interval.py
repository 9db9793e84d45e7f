"""Interval certificates (docs/certificates.md, "Interval certificates"), re-verified in integers.

An interval is a pair (lo, hi) of integers meaning [lo/2^P, hi/2^P]; every operation returns an interval holding
the exact range of the operation over its arguments, rounded outward to the grid 2^-P: exp by its Taylor series
with a remainder bound, tanh and sigmoid from exp, their derivatives from their ranges, piecewise-linear
activations exactly with Clarke's derivative (docs/certificates.md, "What each enclosure guarantees").
"""

from fractions import Fraction

from .reader import Malformed, _count, _fields, _list, _rationals, activation_pieces, number, require_work
from .exact import Rejected, fmt, fmt_interval

P, _W, _TAYLOR_TERMS = 96, 96 + 24, 30  # the grid 2^-P, exp's finer grid 2^-W, terms of its series
ONE = 1 << P
CASES, SMOOTH, MAX_DEPTH = ("d<a<b<c", "d>a>b>c"), ("tanh", "sigmoid"), 64

def fix(r):  # the grid interval around a rational
    n, d = r.numerator << P, r.denominator
    return n // d, -(-n // d)

def add(a, b):
    return a[0] + b[0], a[1] + b[1]

def sub(a, b):  # a - b
    return a[0] - b[1], a[1] - b[0]

def mul(a, b):
    products = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return min(products) >> P, -(-max(products) >> P)

def square(a):
    return (0, -(-max(a[0] * a[0], a[1] * a[1]) >> P)) if a[0] < 0 < a[1] else mul(a, a)

def dot(row, intervals, start):  # start + the sum of w * h, w rational, h an interval
    lo, hi = start
    for w, h in zip(row, intervals):
        low, high = h if w >= 0 else h[::-1]  # the ends where w * h is least and greatest
        lo, hi = lo + low * w.numerator // w.denominator, hi - (-high * w.numerator // w.denominator)
    return lo, hi

def exp_grid(u):
    """e^(u/2^P) for 0 <= u <= 68*2^P, as an interval on the grid 2^-W."""
    t, one = u << (_W - P - 8), 1 << _W
    low = high = term_low = term_high = one
    for k in range(1, _TAYLOR_TERMS):
        term_low, term_high = (term_low * t >> _W) // k, -((-term_high * t >> _W) // k)
        low, high = low + term_low, high + term_high
    high += 2 * term_high  # the remainder of the series
    for _ in range(8):
        low, high = low * low >> _W, -(-high * high >> _W)
    return low, high

def tanh_point(x):  # tanh(x/2^P) as a grid interval
    if abs(x) >= 34 * ONE:
        r = ONE - 1, ONE
    else:
        e, one = exp_grid(2 * abs(x)), 1 << _W
        r = ONE - -(-2 * ONE * one // (e[0] + one)), ONE - 2 * ONE * one // (e[1] + one)
    return r if x >= 0 else (-r[1], -r[0])

def sigmoid_point(x):  # sigmoid(x/2^P) as a grid interval
    if abs(x) >= 67 * ONE:
        tail = 0, 1
    else:
        e, one = exp_grid(abs(x)), 1 << _W
        tail = ONE * one // (e[1] + one), -(-ONE * one // (e[0] + one))
    return tail if x < 0 else (ONE - tail[1], ONE - tail[0])

def pl_range(act, lo, hi):
    """The exact range over [lo, hi] of a piecewise-linear activation: its extremes are at ends or knots."""
    parts, knots = activation_pieces(act)
    values = [s * z + c for z in (lo, hi, *(k for k in knots if lo < k < hi))
              for s, c in [parts[sum(k < z for k in knots)]]]  # the piece of z (at a knot, either: they meet)
    return min(values), max(values)

def activate(act, z, with_slope):
    """(range over the interval z, its derivative or None)."""
    if act[0] in SMOOTH:  # both increasing; tanh' = 1 - tanh^2, sigmoid' = 1/4 - (sigmoid - 1/2)^2
        at = tanh_point if act[0] == "tanh" else sigmoid_point
        v = at(z[0])[0], at(z[1])[1]
        top, middle = (ONE, 0) if act[0] == "tanh" else (ONE >> 2, ONE >> 1)
        return v, sub((top, top), square(sub(v, (middle, middle)))) if with_slope else None
    parts, knots = activation_pieces(act)
    lo, hi = Fraction(z[0], ONE), Fraction(z[1], ONE)
    low, high = pl_range(act, lo, hi)
    ends = [None, *knots, None]
    touched = [s for (s, _), a, b in zip(parts, ends, ends[1:]) if (a is None or hi >= a) and (b is None or lo <= b)]
    return (fix(low)[0], fix(high)[1]), (fix(min(touched))[0], fix(max(touched))[1]) if with_slope else None

class IntervalChecker:
    """The checks of interval certificates on one network."""

    def __init__(self, layers):
        self.raw, self.smooth = layers, [k for k, layer in enumerate(layers) if layer.activation[0] in SMOOTH]
        if not self.smooth:
            raise Rejected("an interval certificate is for a network with a tanh or sigmoid activation")
        self.layers = [(layer.weight, [fix(b) for b in layer.bias], layer.activation) for layer in layers]

    def jet(self, x, with_slope=True):
        """(an interval holding f(x), one holding Clarke's derivative of f over x or None)."""
        values, slopes = [x], [(ONE, ONE)]
        for weight, bias, act in self.layers:
            out = [activate(act, dot(row, values, b), with_slope) for row, b in zip(weight, bias)]
            if with_slope:
                slopes = [mul(s, dot(row, slopes, (0, 0))) for row, (_, s) in zip(weight, out)]
            values = [v for v, _ in out]
        return values[0], slopes[0] if with_slope else None

    def f(self, x):
        return self.jet(x, with_slope=False)[0]

    def witness(self, witness):
        """Li and Yorke's strict hypothesis at the dyadic point a, by enclosures."""
        a, case = witness["a"], witness["case"]
        if a.denominator & (a.denominator - 1) or a.denominator > ONE:
            raise Rejected(f"the Li-Yorke point a = {fmt(a)} is not a dyadic rational with denominator at most 2^{P}")
        x, b = fix(a), self.f(fix(a))
        d = self.f(c := self.f(b))
        increasing = (d, x, b, c) if case == CASES[0] else (c, b, x, d)  # d < a < b < c, or c < b < a < d
        if not all(p[1] < q[0] for p, q in zip(increasing, increasing[1:])):
            raise Rejected(f"Li-Yorke case {case} is not proved by enclosures at a = {fmt(a)}")

    def trapping(self):
        """The exact interval holding f(R): from the last tanh/sigmoid layer on, exact interval arithmetic."""
        last = self.raw[self.smooth[-1]]
        box = [(Fraction(-1 if last.activation[0] == "tanh" else 0), Fraction(1))] * len(last.bias)
        for layer in self.raw[self.smooth[-1] + 1:]:
            box = [pl_range(layer.activation, b + sum(w * (lo if w >= 0 else hi) for w, (lo, hi) in zip(row, box)),
                            b + sum(w * (hi if w >= 0 else lo) for w, (lo, hi) in zip(row, box)))
                   for row, b in zip(layer.weight, layer.bias)]
        return box[0]

    def piece(self, lo, hi, at_start):
        """No point of [lo, hi] has minimal period 3 (certificates.md: the tests "empty" and "fixed")."""
        j, m = (fix(lo)[0], fix(hi)[1]), fix((lo + hi) / 2)
        once, d1 = self.jet(j)
        twice, d2 = self.jet(once)
        thrice, d3 = self.jet(twice)
        if j[0] == j[1] == once[0] == once[1]:  # J = {c} with f(c) = c exactly (a constant map)
            return
        slope = sub(mul(mul(d1, d2), d3), (ONE, ONE))
        naive, mean_value = sub(thrice, j), add(sub(self.f(self.f(self.f(m))), m), mul(slope, sub(j, m)))
        low, high = max(naive[0], mean_value[0]), min(naive[1], mean_value[1])
        if low > 0 or high < 0:
            return
        left, right = sub(self.f(fix(lo)), fix(lo)), sub(self.f(fix(hi)), fix(hi))
        changes = left[1] < 0 < right[0] or right[1] < 0 and (at_start or left[0] > 0)  # f(L) >= L: f(R) in [L, U]
        if not ((slope[0] > 0 or slope[1] < 0) and changes):
            raise Rejected(f"piece {fmt_interval(lo, hi)}: neither f^3(x) - x nor (f^3)' - 1 (with a sign "
                           "change of f(x) - x between the ends) is proved nonzero")

    def proof(self, proof):
        """The trapping interval, then the pieces that tile it, each checked."""
        lo, hi = self.trapping()
        if proof["trapping"] != [lo, hi]:
            raise Rejected(f"the trapping interval is not {fmt_interval(lo, hi)}, the bound of f(R)")
        if sum(Fraction(1, 2**depth) for depth in proof["depths"]) != 1:  # before any evaluation
            raise Rejected("the pieces do not tile [L, U + (U - L)/2^20]: their widths 2^-depth do not add up to 1")
        start, width = Fraction(0), (hi - lo) * (1 + Fraction(1, 2**20))  # pieces tile [L, U + (U - L)/2^20]
        for depth in proof["depths"]:
            end = start + Fraction(1, 2**depth)
            self.piece(lo + width * start, lo + width * end, start == 0)
            start = end

def parse_interval(obj, layers):
    """The witness or proof (structure, work limit: Malformed); an enclosure costs ~100 exact evaluations."""
    if "witness" in obj:
        w = _fields(obj["witness"], "witness", ("kind", "li_yorke"))
        ly = _fields(w["li_yorke"], "witness.li_yorke", ("a", "case"))
        if ly["case"] not in CASES:
            raise Malformed(f"witness.li_yorke.case: expected {' or '.join(map(repr, CASES))}")
        require_work(300, layers, "the witness")
        return {"witness": {"a": number(ly["a"], "witness.li_yorke.a", True), "case": ly["case"]}}
    p = _fields(obj["proof"], "proof", ("kind", "trapping", "depths"))
    depths = [_count(d, f"proof.depths[{i}]", MAX_DEPTH) for i, d in enumerate(_list(p["depths"], "proof.depths"))]
    require_work(1000 * len(depths), layers, "the proof")  # each piece: about ten enclosures
    return {"proof": {"trapping": _rationals(p["trapping"], "proof.trapping", length=2), "depths": depths}}

def verify_interval(cert):
    """The witness of period-3 or the proof of no-period-3 (hash, statement, consequences: command.verify)."""
    part = {"period-3": "witness", "no-period-3": "proof"}.get(cert["claim"])
    if part not in cert:
        raise Rejected("an interval certificate proves period-3 by a witness, no-period-3 by a proof: "
                       f"not {cert['claim']}")
    getattr(IntervalChecker(cert["layers"]), part)(cert[part])
