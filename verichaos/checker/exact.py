"""Exact evaluation of f and the local checks every proof is made of (docs/certificates.md).

A failed check raises ``Rejected`` (exit 1). Intervals are closed, written as
pairs (lo, hi) of Fractions with None for an infinite end.

Fast evaluation. The first layer's pre-activations w_i x + b_i are affine in
x; each meets a threshold t of its activation at one *event* x = (t - b_i)/w_i
(w_i != 0), and between consecutive events every first-layer neuron keeps one
affine piece s*z + c of its activation. So the second layer's pre-activations
are affine in x between events: with the events sorted and the slopes and
intercepts of their contributions summed as prefix sums (integers over one
denominator), the second layer at x costs one binary search and O(width of
layer 2), and "does a first-layer neuron change piece on J" is "is there an
event strictly inside J". Deeper layers are evaluated neuron by neuron, each
layer's numerators and denominator reduced by their gcd.
"""

from fractions import Fraction
from math import gcd, lcm

from .reader import Layer, canon, network_sha256


class Rejected(Exception):
    """A well-formed certificate whose claim does not check (exit 1)."""


def fmt(x):
    """A rational for a message; a giant one is described, since printing it would be slow."""
    if x.numerator.bit_length() + x.denominator.bit_length() > 4000:
        return f"<a rational with a {x.numerator.bit_length()}-bit numerator>"
    return canon(x)


def fmt_interval(lo, hi):
    return ("(-inf" if lo is None else f"[{fmt(lo)}") + ", " + ("+inf)" if hi is None else f"{fmt(hi)}]")


def power(n):
    return "f" if n == 1 else f"f^{n}"


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


def bisect(nums, dens, x):
    """How many of the increasing rationals nums[i]/dens[i] (dens > 0) are < x: a binary search."""
    lo, hi, xn, xd = 0, len(nums), x.numerator, x.denominator
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid] * xd < xn * dens[mid]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def affine_pieces(act):
    """The activation as s*z + c on each closed piece, left to right: [(s, c), ...]."""
    p, one = (*act[1:], 0, 0), (1, 0)
    return {"relu": [(0, 0), one], "abs": [(-1, 0), one], "identity": [one], "leaky_relu": [(p[0], 0), one],
            "hardtanh": [(0, p[0]), one, (0, p[1])]}[act[0]]


def activate(act, z, d):
    """The activation of the values z/d (d > 0), as (numerators, one denominator), reduced."""
    if act[0] == "relu":
        z = [v if v > 0 else 0 for v in z]
    elif act[0] == "abs":
        z = [abs(v) for v in z]
    elif act[0] == "leaky_relu":  # alpha = a/e: everything over d*e
        a, e = act[1].numerator, act[1].denominator
        z, d = [v * e if v >= 0 else v * a for v in z], d * e
    elif act[0] == "hardtanh":  # clip to [m/e, M/e]: everything over d*e
        e = lcm(act[1].denominator, act[2].denominator)
        low, high = int(act[1] * e) * d, int(act[2] * e) * d
        z, d = [min(high, max(low, v * e)) for v in z], d * e
    g = gcd(d, *z)
    return [v // g for v in z], d // g


def neurons(flags):
    """A set of neurons as an integer with one byte per neuron, 1 for a member: sets meet by &."""
    return int.from_bytes(bytes(flags), "little")


class Net:
    """f of a network and the local checks, every evaluation memoized by point (module docstring).

    A piece shares its ends with its neighbours, and its images' ends with
    theirs: a final piece costs about N new evaluations for a proof about f^N.
    """

    def __init__(self, layers):
        if len(layers) == 1:  # f = f followed by the identity: the same f, and the layers after the first
            layers = [*layers, Layer([[Fraction(1)]], [Fraction(0)], ("identity",))]
        self.layers, self.memo = layers, {}
        first, self.deep = layers[0], layers[1:]
        self.w = [Fraction(row[0], first.den) for row in first.W]
        self.b = [Fraction(b, first.den) for b in first.B]
        self.everyone = [neurons([1] * len(layer.B)) for layer in self.deep for _ in layer.thresholds]
        self.layer_of = [k for k, layer in enumerate(self.deep, 2) for _ in layer.thresholds]
        pieces = affine_pieces(first.activation)
        e = lcm(*(Fraction(v).denominator for piece in pieces for v in piece))
        sc = [(int(s * e), int(c * e) * first.den) for s, c in pieces]  # act(z)*e*den*xd = s'*Z + c'*xd
        ts = [Fraction(tn, td) for tn, td in first.thresholds]
        events, base = [], []
        for i, (w, b) in enumerate(zip(self.w, self.b)):
            j = sum(t < b for t in ts) if not w else 0 if w > 0 else len(ts)
            base.append(sc[j])
            for k, t in enumerate(ts):  # x passes t - b over w; the piece moves up (w > 0) or down
                old, new = (sc[k], sc[k + 1]) if w > 0 else (sc[k + 1], sc[k])
                if w:
                    events.append(((t - b) / w, i, new[0] - old[0], new[1] - old[1]))
        events.sort(key=lambda event: event[0])
        self.events = [ev[0].numerator for ev in events], [ev[0].denominator for ev in events]
        self.event_neuron = [ev[1] for ev in events]
        second = layers[1]
        W1, B1 = [row[0] for row in first.W], first.B
        # the second layer's pre-activation times D*xd is P*xn + Q*xd, below every event:
        rows = [[sum(v * s * W1[i] for i, (v, (s, _)) in enumerate(zip(row, base))),
                 sum(v * (s * B1[i] + c) for i, (v, (s, c)) in enumerate(zip(row, base))) + b * e * first.den]
                for row, b in zip(second.W, second.B)]
        self.prefix = [[r[:] for r in rows]]
        for _, i, ds, dc in events:
            for row, r in zip(second.W, rows):
                r[0] += row[i] * ds * W1[i]
                r[1] += row[i] * (ds * B1[i] + dc)
            self.prefix.append([r[:] for r in rows])
        self.scale = second.den * e * first.den

    def trace(self, x, below=None):
        """(f(x), [(numerators, denominator) of the pre-activations of every layer after the first]);
        below: how many events are < x, if known."""
        xn, xd = x.numerator, x.denominator
        below = bisect(*self.events, x) if below is None else below
        z, d = [p * xn + q * xd for p, q in self.prefix[below]], self.scale * xd
        g = gcd(d, *z)
        z, d = [v // g for v in z], d // g
        pres = [(z, d)]
        h, d = activate(self.deep[0].activation, z, d)
        for layer in self.deep[1:]:
            if len(h) == 1:
                z = [row[0] * h[0] + b * d for row, b in zip(layer.W, layer.B)]
            else:
                z = [sum(w * v for w, v in zip(row, h)) + b * d for row, b in zip(layer.W, layer.B)]
            d *= layer.den
            pres.append((z, d))
            h, d = activate(layer.activation, z, d)
        return Fraction(h[0], d), pres

    def sides(self, pres):
        """For each deep layer and threshold t: (the neurons with pre-activation z < t, those with z > t)."""
        out = []
        for layer, (z, d) in zip(self.deep, pres):
            for tn, td in layer.thresholds:
                s = [v * td - tn * d for v in z] if tn else z  # z - t, times d*td > 0
                out.append((neurons(map((0).__gt__, s)), neurons(map((0).__lt__, s))))
        return out

    def point(self, x):
        """(f(x), sides of the deep layers at x, how many events are < x, how many <= x)."""
        key = x.numerator, x.denominator  # hashing two ints is cheaper than hashing a Fraction
        if key not in self.memo:
            (nums, dens), below = self.events, bisect(*self.events, x)
            upto = below
            while upto < len(nums) and nums[upto] * x.denominator == x.numerator * dens[upto]:
                upto += 1
            fx, pres = self.trace(x, below)
            self.memo[key] = fx, self.sides(pres), below, upto
        return self.memo[key]

    def f(self, x, n=1):
        for _ in range(n):
            x = self.point(x)[0]
        return x

    def first_layer_crossing(self, lo, hi):
        """The first neuron of layer 1 that changes piece on (lo, hi), if any: an event strictly inside."""
        start = 0 if lo is None else self.point(lo)[3]
        stop = len(self.event_neuron) if hi is None else self.point(hi)[2]
        return min(self.event_neuron[start:stop], default=None)

    def affine_on(self, lo, hi, what):
        """Confirm f is affine on J = [lo, hi] by its activation pattern; return f(J).

        Layer by layer: when every earlier layer keeps each neuron on one closed
        piece, this layer's pre-activation z is affine on J, so a threshold t
        lies strictly inside its range over J exactly when z is below t at one
        end of J and above t at the other. At an infinite end, z goes off to
        -inf or +inf as it moves from p to q (a constant z is on no side there).
        """
        p, q = sample_points(lo, hi)
        (fp, at_p, _, _), (fq, at_q, _, _) = self.point(p), self.point(q)
        i = self.first_layer_crossing(lo, hi)
        if i is not None:
            span = value_range(self.w[i] * p + self.b[i], self.w[i] * q + self.b[i], lo, hi)
            raise Rejected(f"{what}: neuron {i + 1} of layer 1 changes activation piece "
                           f"(pre-activation ranges over {fmt_interval(*span)})")
        if (lo is None or hi is None) and self.layer_of:  # at -inf a rising z is below every t, at +inf above
            moves = []  # per layer and threshold, as sides: (the neurons whose z rises from p to q, falls)
            for layer, (zp, dp), (zq, dq) in zip(self.deep, self.trace(p)[1], self.trace(q)[1]):
                step = [b * dp - a * dq for a, b in zip(zp, zq)]  # z(q) - z(p), times dp*dq > 0
                moves += [(neurons(map((0).__lt__, step)), neurons(map((0).__gt__, step)))] * len(layer.thresholds)
            at_p = moves if lo is None else at_p
            at_q = [(falling, rising) for rising, falling in moves] if hi is None else at_q
        for k, (below_p, above_p), (below_q, above_q) in zip(self.layer_of, at_p, at_q):
            crossing = below_p & above_q | above_p & below_q
            if crossing:
                i = ((crossing & -crossing).bit_length() - 1) // 8  # the first such neuron
                (zp, dp), (zq, dq) = self.trace(p)[1][k - 2], self.trace(q)[1][k - 2]
                span = value_range(Fraction(zp[i], dp), Fraction(zq[i], dq), lo, hi)
                raise Rejected(f"{what}: neuron {i + 1} of layer {k} changes activation piece "
                               f"(pre-activation ranges over {fmt_interval(*span)})")
        return value_range(fp, fq, lo, hi)

    def images(self, lo, hi, n, what):
        """Confirm f is affine on J, f(J), ..., f^(n-1)(J), so that f^n is affine on J; return f^n(J)."""
        for k in range(n):
            at = what if k == 0 else f"{what}: on {power(k)}(J) = {fmt_interval(lo, hi)}"
            lo, hi = self.affine_on(lo, hi, at)
        return lo, hi

    def justify(self, left, right, what, images):
        """Confirm the cut c between the pieces left and right is justified (certificates.md, Tightness).

        For some n <= images, some neuron's pre-activation z crosses a threshold
        t at c as a function of f^n(x): z(f^n(c)) = t, and z(f^n(x)) is on
        different sides of t (below, on, above) on the two pieces, as its values
        at f^n(u) and f^n(v) show, u and v the pieces' far sample points
        (z(f^n(x)) is affine on each piece, checked before). In layer 1, z is
        monotone in f^n(x): f^n(c) is an event and f^n(u), f^n(v) lie on
        different sides of it (or one on it).
        """
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

    def orbit(self, orbit):
        """Confirm the points form one orbit of minimal period len(orbit), listed from the smallest."""
        n = len(orbit)
        for i in range(n):
            y = self.f(orbit[i])
            if y != orbit[(i + 1) % n]:
                raise Rejected(f"f(x{i}) = {fmt(y)}, not x{(i + 1) % n} = {fmt(orbit[(i + 1) % n])}")
        if len(set(orbit)) != n:
            raise Rejected("the orbit points are not pairwise distinct")
        if n and not orbit[0] == min(orbit):
            raise Rejected(f"x0 = {fmt(orbit[0])} is not the smallest point of the orbit")


def verify(cert, given):
    """Every check of certificates.md, in order; the text of the VERIFIED line, or Rejected."""
    from . import entropy, periods  # the claim modules, which build on this one
    sha = network_sha256(cert["layers"])
    if sha != cert["network_sha256"]:
        raise Rejected(f"network_sha256 does not match the network (recomputed {sha})")
    if given is not None and network_sha256(given) != sha:
        raise Rejected(f"the certificate is about network {sha}, not about the given network file "
                       f"(sha256 {network_sha256(given)})")
    claim = (entropy if cert["claim"].endswith("entropy") else periods).Claim(cert)
    if cert["statement"] != claim.statement:
        raise Rejected(f"the statement is not the statement of claim {cert['claim']} ({claim.statement!r})")
    if cert["consequences"] != claim.consequences:
        raise Rejected(f"the consequences are not the list of claim {cert['claim']}")
    carried = {part for part in ("witness", "proof") if part in cert}
    carried |= {f"witness.{part}" for part in cert.get("witness", ()) if part != "orbit"}
    for part in sorted(claim.needs ^ carried, key=lambda part: (part not in claim.needs, part)):
        raise Rejected(f"claim {cert['claim']} needs a {part}, but the certificate carries none" if part in claim.needs
                       else f"claim {cert['claim']} does not use the {part} the certificate carries")
    claim.check(Net(cert["layers"]))
    return f"{cert['statement']} (network sha256 {sha[:16]})"
