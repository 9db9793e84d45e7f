"""Checking: exact evaluation of f and the checks of docs/certificates.md.

A failed check raises ``Rejected`` (exit 1). Intervals are closed, written as
pairs (lo, hi) of Fractions with None for an infinite end.
"""

from fractions import Fraction
from math import lcm

from .reader import canon, network_sha256

STATEMENTS = {"period-3": "f has a point of minimal period 3",
              "no-period-3": "f has no point of minimal period 3"}
CONSEQUENCES = {"no-period-3": [], "period-3": [
    "f has periodic points of every period n >= 1 (Sharkovsky 1964)",
    "f has an uncountable scrambled set: f is Li-Yorke chaotic (Li and Yorke 1975)",
    "the topological entropy of f is at least log((1+sqrt(5))/2) "
    "(Block, Guckenheimer, Misiurewicz and Young 1980)"]}


class Rejected(Exception):
    """A well-formed certificate whose claim does not check (exit 1)."""


# ---------------------------------------------------------------- evaluation

def _activate(act, z, d):
    """The activation of the values z/d (d > 0), as (numerators, one denominator)."""
    if act[0] == "relu":
        return [v if v > 0 else 0 for v in z], d
    if act[0] == "abs":
        return [abs(v) for v in z], d
    if act[0] == "leaky_relu":  # alpha = a/e: everything over d*e
        a, e = act[1].numerator, act[1].denominator
        return [v * e if v >= 0 else v * a for v in z], d * e
    if act[0] == "hardtanh":  # clip to [min, max] = [m/e, M/e]: everything over d*e
        e = lcm(act[1].denominator, act[2].denominator)
        low, high = int(act[1] * e) * d, int(act[2] * e) * d
        return [min(high, max(low, v * e)) for v in z], d * e
    return z, d  # identity


def trace(layers, x):
    """f(x) exactly, with every layer's pre-activations: ([(numerators, denominator) per layer], f(x)).

    Integers over one positive denominator per layer, reduced only at the
    output: the exact values, far faster than Fraction arithmetic.
    """
    h, d, pres = [x.numerator], x.denominator, []
    for layer in layers:
        if len(h) == 1:  # one input (x itself, or a layer of width 1): no dot product to call
            z = [row[0] * h[0] + b * d for row, b in zip(layer.W, layer.B)]
        else:
            z = [sum(w * v for w, v in zip(row, h)) + b * d for row, b in zip(layer.W, layer.B)]
        d *= layer.den
        pres.append((z, d))
        h, d = _activate(layer.activation, z, d)
    return pres, Fraction(h[0], d)


def neurons(flags):
    """A set of neurons as an integer with one byte per neuron, 1 for a member: sets meet by &."""
    return int.from_bytes(bytes(flags), "little")


def sides(layers, pres):
    """For each layer and each threshold t of its activation: (the neurons with pre-activation
    z < t, those with z > t). The others are on t."""
    out = []
    for layer, (z, d) in zip(layers, pres):
        for tn, td in layer.thresholds:
            s = [v * td - tn * d for v in z] if tn else z  # z - t, times d*td > 0
            out.append((neurons(map((0).__gt__, s)), neurons(map((0).__lt__, s))))
    return out


# ---------------------------------------------------------------- intervals

def fmt(x):
    """A rational for a message; a giant one is described, since printing it would be slow."""
    if x.numerator.bit_length() + x.denominator.bit_length() > 4000:
        return f"<a rational with a {x.numerator.bit_length()}-bit numerator>"
    return canon(x)


def fmt_interval(lo, hi):
    return ("(-inf" if lo is None else f"[{fmt(lo)}") + ", " + ("+inf)" if hi is None else f"{fmt(hi)}]")


def sample_points(lo, hi):
    """The two points p <= q of J = [lo, hi] of the affine check (certificates.md)."""
    if lo is None:
        return (Fraction(0), Fraction(1)) if hi is None else (hi - 1, hi)
    return (lo, lo + 1) if hi is None else (lo, hi)


def value_range(a, b, lo, hi):
    """The range over J = [lo, hi] of an affine function worth a at p and b at q: f(J) when f is affine on J."""
    up, down = b > a, b < a  # not constant: unbounded on each unbounded side of J
    return (None if (lo is None and up) or (hi is None and down) else min(a, b),
            None if (lo is None and down) or (hi is None and up) else max(a, b))


def split(cuts, lo, hi, what):
    """The closed pieces of [lo, hi] cut at cuts, which must increase strictly, strictly inside it."""
    for i, c in enumerate(cuts):
        if i > 0 and not cuts[i - 1] < c:
            raise Rejected(f"{what} are not strictly increasing at index {i}")
        if not ((lo is None or lo < c) and (hi is None or c < hi)):
            raise Rejected(f"{what}: cut {fmt(c)} at index {i} is not strictly inside {fmt_interval(lo, hi)}")
    ends = [lo, *cuts, hi]
    return list(zip(ends, ends[1:]))


def hull(intervals):
    """The smallest interval holding every interval of a non-empty list."""
    los, his = [i[0] for i in intervals], [i[1] for i in intervals]
    return None if None in los else min(los), None if None in his else max(his)


# ---------------------------------------------------------------- checks

class Checker:
    """The checks of certificates.md on one network, every evaluation memoized by point.

    A piece shares its ends with its neighbours, and its images' ends with
    theirs: a final piece costs about three new evaluations, often fewer, and a
    chain piece one. The memo keeps f(x) and the sides of the thresholds each
    neuron is on (two bytes per neuron and threshold), not the pre-activations.
    """

    def __init__(self, layers):
        self.layers, self.memo = layers, {}
        entries = [(k, len(layer.B)) for k, layer in enumerate(layers, 1) for _ in layer.thresholds]
        self.layer_of = [k for k, _ in entries]
        self.everyone = [neurons([1] * width) for _, width in entries]

    def point(self, x):
        """(f(x), sides at x)."""
        key = x.numerator, x.denominator  # hashing two ints is cheaper than hashing a Fraction
        if key not in self.memo:
            pres, fx = trace(self.layers, x)
            self.memo[key] = fx, sides(self.layers, pres)
        return self.memo[key]

    def f(self, x):
        return self.point(x)[0]

    def justify(self, left, right, what, images):
        """Confirm the cut c between the pieces left and right is justified (certificates.md, Tightness).

        For some n <= images, some neuron's pre-activation z crosses a threshold
        t at c as a function of f^n(x): z(f^n(c)) = t, and z(f^n(x)) is on
        different sides of t (below, on, above) on the two pieces, as its values
        at f^n(u) and f^n(v) show, u and v the pieces' far sample points
        (z(f^n(x)) is affine on each piece, checked before).
        """
        c, points = left[1], [sample_points(*left)[0], left[1], sample_points(*right)[1]]
        for n in range(images + 1):
            (_, at_u), (_, at_c), (_, at_v) = map(self.point, points)
            for everyone, (below_u, above_u), (below_c, above_c), (below_v, above_v) in zip(
                    self.everyone, at_u, at_c, at_v):
                if everyone & ~(below_c | above_c) & (below_u ^ below_v | above_u ^ above_v):
                    return
            points = [self.f(x) for x in points]
        raise Rejected(f"{what} {fmt(c)} is not justified: no neuron crosses a threshold there at "
                       + " or ".join(["c", "f(c)", "f(f(c))"][:images + 1]))

    def affine_on(self, lo, hi, what):
        """Confirm f is affine on J = [lo, hi] by its activation pattern; return f(J).

        Layer by layer: when every earlier layer keeps each neuron on one closed
        piece, this layer's pre-activation z is affine on J, so a threshold t
        lies strictly inside its range over J exactly when z is below t at one
        end of J and above t at the other. At an infinite end, z goes off to
        -inf or +inf as it moves from p to q (a constant z is on no side there).
        """
        p, q = sample_points(lo, hi)
        (fp, at_p), (fq, at_q) = self.point(p), self.point(q)
        if lo is None or hi is None:  # at -inf a rising z is below every t, at +inf above
            moves = []  # per layer and threshold, as sides: (the neurons whose z rises from p to q, falls)
            for layer, (zp, dp), (zq, dq) in zip(self.layers, trace(self.layers, p)[0], trace(self.layers, q)[0]):
                step = [b * dp - a * dq for a, b in zip(zp, zq)]  # z(q) - z(p), times dp*dq > 0
                moves += [(neurons(map((0).__lt__, step)), neurons(map((0).__gt__, step)))] * len(layer.thresholds)
            at_p = moves if lo is None else at_p
            at_q = [(falling, rising) for rising, falling in moves] if hi is None else at_q
        for k, (below_p, above_p), (below_q, above_q) in zip(self.layer_of, at_p, at_q):
            crossing = below_p & above_q | above_p & below_q
            if crossing:
                i = ((crossing & -crossing).bit_length() - 1) // 8  # the first such neuron
                (zp, dp), (zq, dq) = trace(self.layers, p)[0][k - 1], trace(self.layers, q)[0][k - 1]
                span = value_range(Fraction(zp[i], dp), Fraction(zq[i], dq), lo, hi)
                raise Rejected(f"{what}: neuron {i + 1} of layer {k} changes activation piece "
                               f"(pre-activation ranges over {fmt_interval(*span)})")
        return value_range(fp, fq, lo, hi)

    def chain(self, steps):
        """Confirm each bound is the image of the previous interval; return I_m (R when no step)."""
        previous = (None, None)  # I_0 = R
        for j, (cuts, bound) in enumerate(steps, 1):
            pieces = split(cuts, *previous, f"chain step {j}: cuts")
            images = []
            for i, J in enumerate(pieces):
                images.append(self.affine_on(*J, f"chain step {j}, piece {fmt_interval(*J)}"))
                if i:  # the cut between this piece and the previous one
                    self.justify(pieces[i - 1], J, f"chain step {j}: cut", 0)
            image = hull(images)
            if bound != image:
                raise Rejected(f"chain step {j}: the bound {fmt_interval(*bound)} is not the image "
                               f"{fmt_interval(*image)} of the previous interval")
            if bound == previous:
                raise Rejected(f"chain step {j}: the bound repeats the previous interval (the chain stops before)")
            previous = bound
        return previous

    def piece(self, lo, hi):
        """Confirm no point of J = [lo, hi] has minimal period 3 (certificates.md, Pieces)."""
        what = f"piece {fmt_interval(lo, hi)}"
        k = self.affine_on(lo, hi, what)
        fk = self.affine_on(*k, f"{what}: on K = f(J) = {fmt_interval(*k)}")
        self.affine_on(*fk, f"{what}: on f(K) = {fmt_interval(*fk)}")
        # f^3 is affine on J: A*x + B through its values at p and q (a point J: slope 0).
        p, q = sample_points(lo, hi)
        cube_p, cube_q = (self.f(self.f(self.f(x))) for x in (p, q))
        a = (cube_q - cube_p) / (q - p) if p != q else 0
        b = cube_p - a * p
        if a != 1:
            x = b / (1 - a)  # the only solution of f^3(x) = x
            if (lo is None or lo <= x) and (hi is None or x <= hi) and self.f(x) != x:
                raise Rejected(f"{what}: f^3(x) = x at x = {fmt(x)} but f(x) = {fmt(self.f(x))}, "
                               "so x has minimal period 3")
        elif b == 0 and (self.f(p), self.f(q)) != (p, q):
            s = (self.f(q) - self.f(p)) / (q - p)
            raise Rejected(f"{what}: f^3 is the identity on the piece but f is not "
                           f"(f(x) = {fmt(s)}*x + {fmt(self.f(p) - s * p)} there)")
        # a == 1 and b != 0: f^3(x) = x + b has no solution

    def proof(self, proof):
        lo, hi = self.chain(proof["chain"])  # every periodic point lies in [lo, hi]
        pieces = split(proof["cuts"], lo, hi, "cuts of the final partition")
        for i, J in enumerate(pieces):
            self.piece(*J)
            if i:
                self.justify(pieces[i - 1], J, "final cut", 2)

    def witness(self, witness):
        """Confirm the period-3 orbit and Li and Yorke's hypothesis at a point of it."""
        orbit = witness["orbit"]
        for i in range(3):
            y = self.f(orbit[i])
            if y != orbit[(i + 1) % 3]:
                raise Rejected(f"f(x{i}) = {fmt(y)}, not x{(i + 1) % 3} = {fmt(orbit[(i + 1) % 3])}")
        if len(set(orbit)) != 3:
            raise Rejected("the orbit points are not pairwise distinct")
        if not orbit[0] < min(orbit[1:]):
            raise Rejected(f"x0 = {fmt(orbit[0])} is not the smallest point of the orbit")
        a = witness["a"]
        if a not in orbit:
            raise Rejected(f"the Li-Yorke point a = {fmt(a)} is not a point of the orbit")
        b = self.f(a)
        c = self.f(b)
        d = self.f(c)
        if not (d <= a < b < c if witness["case"] == "d<=a<b<c" else d >= a > b > c):
            raise Rejected(f"Li-Yorke case {witness['case']} fails: a = {fmt(a)}, b = f(a) = {fmt(b)}, "
                           f"c = f(b) = {fmt(c)}, d = f(c) = {fmt(d)}")


def verify(cert, given):
    """Every check of certificates.md, in order; the text of the VERIFIED line, or Rejected."""
    sha = network_sha256(cert["layers"])
    if sha != cert["network_sha256"]:
        raise Rejected(f"network_sha256 does not match the network (recomputed {sha})")
    if given is not None and network_sha256(given) != sha:
        raise Rejected(f"the certificate is about network {sha}, not about the given network file "
                       f"(sha256 {network_sha256(given)})")
    claim = cert["claim"]
    if cert["statement"] != STATEMENTS[claim]:
        raise Rejected(f"the statement is not the statement of claim {claim} ({STATEMENTS[claim]!r})")
    if cert["consequences"] != CONSEQUENCES[claim]:
        raise Rejected(f"the consequences are not the list of claim {claim}")
    needs = "witness" if claim == "period-3" else "proof"
    if needs not in cert:
        raise Rejected(f"claim {claim} needs a {needs}, but the certificate carries none")
    from .interval import IntervalChecker  # here: interval.py builds on this module's Rejected
    checker = (IntervalChecker if cert["interval"] else Checker)(cert["layers"])
    (checker.witness if needs == "witness" else checker.proof)(cert[needs])
    return f"{cert['statement']} (network sha256 {sha[:16]})"
