"""Exact evaluation of f and the local checks of proofs (docs/certificates.md); failures raise ``Rejected``.

Layer 1's pre-activation w_i x + b_i meets a threshold t at one *event* x = (t - b_i)/w_i; between events
layer 2's pre-activations are affine in x, kept as prefix sums over the sorted events, so f(x) costs a binary
search and O(width of layer 2) (docs/certificates.md, "Cost"). Intervals are closed, None for an infinite end.
"""

from fractions import Fraction
from itertools import accumulate
from math import gcd, lcm

from .reader import Layer, canon

class Rejected(Exception):
    """A well-formed certificate whose claim does not check (exit 1)."""

def fmt(x):
    """A rational for a message; a giant one is described, since printing it would be slow."""
    big = x.numerator.bit_length() + x.denominator.bit_length() > 4000
    return f"<a rational with a {x.numerator.bit_length()}-bit numerator>" if big else canon(x)

def fmt_interval(lo, hi):
    return ("(-inf" if lo is None else f"[{fmt(lo)}") + ", " + ("+inf)" if hi is None else f"{fmt(hi)}]")

def power(n):
    return "f" if n == 1 else f"f^{n}"

def sample_points(lo, hi):
    """The two points p <= q of J = [lo, hi] of the affine check (certificates.md)."""
    p = lo if lo is not None else Fraction(0) if hi is None else hi - 1
    return p, hi if hi is not None else p + 1

def value_range(a, b, lo, hi):
    """The range over J = [lo, hi] of an affine function worth a at p and b at q: f(J) when f is affine on J."""
    if lo is not None and hi is not None:
        return (a, b) if a <= b else (b, a)
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

def bisect(nums, dens, x, right=False):
    """How many of the increasing rationals nums[i]/dens[i] (dens > 0) are < x (<= x if right: a <= b is a < b + 1)."""
    lo, hi, xn, xd = 0, len(nums), x.numerator, x.denominator
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if nums[mid] * xd < xn * dens[mid] + right else (lo, mid)
    return lo

def activate(act, z, d):
    """The activation of the values z/d (d > 0), as (numerators, one denominator), reduced."""
    e = lcm(*(p.denominator for p in act[1:]))  # leaky_relu(a/e) and hardtanh(m/e, M/e): all over d*e
    if act[0] == "leaky_relu":
        z = [v * e if v >= 0 else v * act[1].numerator for v in z]
    elif act[0] == "hardtanh":
        low, high = int(act[1] * e) * d, int(act[2] * e) * d
        z = [min(high, max(low, v * e)) for v in z]
    elif act[0] != "identity":
        z = [abs(v) for v in z] if act[0] == "abs" else [v if v > 0 else 0 for v in z]
    g = gcd(d * e, *z)
    return [v // g for v in z], d * e // g

def neurons(flags):
    """A set of neurons as an integer with one byte per neuron, 1 for a member: sets meet by &."""
    return int.from_bytes(bytes(flags), "little")

class Net:
    """f and the local checks, every evaluation memoized by point: pieces share ends and images."""

    def __init__(self, layers):
        if len(layers) == 1:  # followed by the identity: the same f, with a layer after the first
            layers = [*layers, Layer([[Fraction(1)]], [Fraction(0)], ("identity",), "the output")]
        (first, *self.deep), self.memo = layers, {}
        self.w, self.b = [Fraction(row[0], first.den) for row in first.W], [Fraction(b, first.den) for b in first.B]
        self.everyone = [neurons([1] * len(layer.B)) for layer in self.deep for _ in layer.thresholds]
        self.layer_of = [k for k, layer in enumerate(self.deep, 2) for _ in layer.thresholds]
        e = lcm(*(Fraction(v).denominator for piece in first.pieces for v in piece))  # the pieces s*z + c, over e
        sc = [(int(s * e), int(c * e) * first.den) for s, c in first.pieces]  # act(z)*e*den*xd = s'*Z + c'*xd
        ts, second, events = [Fraction(tn, td) for tn, td in first.thresholds], self.deep[0], []

        def share(i, s, c):  # neuron i on its piece s*z + c: what it adds to P and Q of each layer-2 neuron
            return [(row[i] * s * first.W[i][0], row[i] * (s * first.B[i] + c)) for row in second.W]

        def plus(rows, extra):
            return [(p + dp, q + dq) for (p, q), (dp, dq) in zip(rows, extra)]

        # layer 2's pre-activations times scale*xd are P*xn + Q*xd; total: below every event
        total = [(0, b * e * first.den) for b in second.B]
        for i, (w, b) in enumerate(zip(self.w, self.b)):
            total = plus(total, share(i, *sc[sum(t < b for t in ts) if not w else 0 if w > 0 else len(ts)]))
            for k, t in enumerate(ts * bool(w)):  # x passes (t - b)/w: the piece moves up (w > 0) or down
                old, new = (sc[k], sc[k + 1]) if w > 0 else (sc[k + 1], sc[k])
                events.append(((t - b) / w, i, new[0] - old[0], new[1] - old[1]))
        events.sort(key=lambda event: event[0])
        self.events = [ev[0].numerator for ev in events], [ev[0].denominator for ev in events]
        self.event_neuron = [ev[1] for ev in events]
        self.prefix = list(accumulate((share(i, ds, dc) for _, i, ds, dc in events), plus, initial=total))
        self.scale = second.den * e * first.den

    def trace(self, x, below):
        """(f(x), [(numerators, denominator) of each later layer's pre-activations]); below events are < x."""
        z, d = [p * x.numerator + q * x.denominator for p, q in self.prefix[below]], self.scale * x.denominator
        g = gcd(d, *z)
        pres = [([v // g for v in z], d // g)]
        h, d = activate(self.deep[0].activation, *pres[0])
        for layer in self.deep[1:]:
            z = [sum(w * v for w, v in zip(row, h)) + b * d for row, b in zip(layer.W, layer.B)]
            pres.append((z, d * layer.den))
            h, d = activate(layer.activation, *pres[-1])
        return Fraction(h[0], d), pres

    def point(self, x):
        """(f(x), per later layer and threshold t: (neurons with z < t, with z > t), #events < x, #events <= x)."""
        key = x.numerator, x.denominator  # hashing two ints is cheaper than hashing a Fraction
        if key not in self.memo:
            below = bisect(*self.events, x)
            fx, pres = self.trace(x, below)
            self.memo[key] = fx, [(neurons(map((0).__gt__, s)), neurons(map((0).__lt__, s)))
                                  for layer, (z, d) in zip(self.deep, pres) for tn, td in layer.thresholds
                                  for s in [[v * td - tn * d for v in z]]], below, bisect(*self.events, x, True)
        return self.memo[key]

    def f(self, x, n=1):
        """f^n(x)."""
        for _ in range(n):
            x = self.point(x)[0]
        return x

    def affine_on(self, lo, hi, what):
        """Confirm f is affine on J = [lo, hi] by its activation pattern; return f(J). what() names J. When earlier
        layers are affine on J, z crosses t iff z - t changes sign from p to q (at an infinite end: z's slope)."""
        p, q = sample_points(lo, hi)
        (fp, at_p, _, upto), (fq, at_q, below, _) = self.point(p), self.point(q)
        inside = self.event_neuron[0 if lo is None else upto:len(self.event_neuron) if hi is None else below]
        k, i = (1, min(inside)) if inside else (0, None)
        if i is None and (lo is None or hi is None) and self.layer_of:  # at -inf a rising z is below every t
            moves = []  # per layer and threshold, as sides: (the neurons whose z rises from p to q, falls)
            for layer, (zp, dp), (zq, dq) in zip(self.deep, *(self.trace(x, self.point(x)[2])[1] for x in (p, q))):
                step = [b * dp - a * dq for a, b in zip(zp, zq)]  # z(q) - z(p), times dp*dq > 0
                moves += [(neurons(map((0).__lt__, step)), neurons(map((0).__gt__, step)))] * len(layer.thresholds)
            at_p = moves if lo is None else at_p
            at_q = [(falling, rising) for rising, falling in moves] if hi is None else at_q
        for layer, (below_p, above_p), (below_q, above_q) in zip(self.layer_of, at_p, at_q):
            crossing = below_p & above_q | above_p & below_q
            if i is None and crossing:
                k, i = layer, ((crossing & -crossing).bit_length() - 1) // 8  # the first such neuron
        if i is not None:
            pres = [self.trace(x, self.point(x)[2])[1] for x in (p, q)]
            z = [self.w[i] * x + self.b[i] if k == 1 else Fraction(zs[k - 2][0][i], zs[k - 2][1])
                 for x, zs in zip((p, q), pres)]
            raise Rejected(f"{what()}: neuron {i + 1} of layer {k} changes activation piece "
                           f"(pre-activation ranges over {fmt_interval(*value_range(*z, lo, hi))})")
        return value_range(fp, fq, lo, hi)

    def justify(self, left, right, what, images):
        """Confirm the cut c between pieces left and right is justified (certificates.md, Tightness): for some
        n <= images a neuron's z(f^n(x)) is on a threshold at c and on different sides at f^n(u), f^n(v)
        (u, v the far sample points). In layer 1 z is monotone: f^n(c) is an event."""
        points = [sample_points(*left)[0], left[1], sample_points(*right)[1]]
        for n in range(images + 1):
            (u, (_, at_u, _, _)), (c, (_, at_c, below, upto)), (v, (_, at_v, _, _)) = (
                (x, self.point(x)) for x in points)
            if below < upto and (u > c) - (u < c) != (v > c) - (v < c):  # c is an event
                return
            for all_, (below_u, above_u), (below_c, above_c), (below_v, above_v) in zip(
                    self.everyone, at_u, at_c, at_v):
                if all_ & ~(below_c | above_c) & (below_u ^ below_v | above_u ^ above_v):
                    return
            points = [self.f(x) for x in points]
        raise Rejected(f"{what} {fmt(left[1])} is not justified: no neuron crosses a threshold there at "
                       + " or ".join(["c", *(f"{power(n)}(c)" for n in range(1, images + 1))]))

    def chain(self, steps):
        """Confirm each bound is the image of the previous interval; return I_m (R when no step)."""
        previous = (None, None)  # I_0 = R
        for j, (cuts, bound) in enumerate(steps, 1):
            pieces, images = split(cuts, *previous, f"chain step {j}: cuts"), []
            for i, J in enumerate(pieces):
                images.append(self.affine_on(*J, lambda: f"chain step {j}, piece {fmt_interval(*J)}"))
                if i:  # the cut between this piece and the previous one
                    self.justify(pieces[i - 1], J, f"chain step {j}: cut", 0)
            image = (None if None in [i[0] for i in images] else min(i[0] for i in images),
                     None if None in [i[1] for i in images] else max(i[1] for i in images))
            if bound != image:
                raise Rejected(f"chain step {j}: the bound {fmt_interval(*bound)} is not the image "
                               f"{fmt_interval(*image)} of the previous interval")
            if bound == previous:
                raise Rejected(f"chain step {j}: the bound repeats the previous interval (the chain stops before)")
            previous = bound
        return previous
