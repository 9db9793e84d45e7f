"""Exact evaluation of f and the local checks proofs are made of (docs/certificates.md).

A failed check raises ``Rejected`` (exit 1). Intervals are closed, pairs
(lo, hi) of Fractions with None for an infinite end.

Evaluation. The first layer's pre-activation w_i x + b_i meets a threshold t
of its activation at one *event* x = (t - b_i)/w_i (w_i != 0); between
consecutive events each first-layer neuron stays on one affine piece s*z + c of
its activation, so the second layer's pre-activations are affine in x there.
With the events sorted and the slopes and intercepts of their contributions
kept as prefix sums (integers over one denominator), layer 2 at x costs one
binary search and O(width of layer 2), and "does a first-layer neuron change
piece on J" is "is an event strictly inside J". Later layers are evaluated
neuron by neuron, integers over one denominator reduced by their gcd.
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


def bisect(nums, dens, x):
    """How many of the increasing rationals nums[i]/dens[i] (dens > 0) are < x: a binary search."""
    lo, hi, xn, xd = 0, len(nums), x.numerator, x.denominator
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if nums[mid] * xd < xn * dens[mid] else (lo, mid)
    return lo


def activate(act, z, d):
    """The activation of the values z/d (d > 0), as (numerators, one denominator), reduced."""
    if act[0] == "leaky_relu":  # alpha = a/e: everything over d*e
        a, e = act[1].numerator, act[1].denominator
        z, d = [v * e if v >= 0 else v * a for v in z], d * e
    elif act[0] == "hardtanh":  # clip to [m/e, M/e]: everything over d*e
        e = lcm(act[1].denominator, act[2].denominator)
        low, high = int(act[1] * e) * d, int(act[2] * e) * d
        z, d = [min(high, max(low, v * e)) for v in z], d * e
    elif act[0] != "identity":
        z = [abs(v) for v in z] if act[0] == "abs" else [v if v > 0 else 0 for v in z]
    g = gcd(d, *z)
    return [v // g for v in z], d // g


def neurons(flags):
    """A set of neurons as an integer with one byte per neuron, 1 for a member: sets meet by &."""
    return int.from_bytes(bytes(flags), "little")


class Net:
    """f of a network and the local checks, every evaluation memoized by point (module docstring).

    A piece shares its ends with its neighbours, and its images' ends with
    theirs: a piece of a proof about f^N costs about N new evaluations.
    """

    def __init__(self, layers):
        if len(layers) == 1:  # followed by the identity: the same f, with a layer after the first
            layers = [*layers, Layer([[Fraction(1)]], [Fraction(0)], ("identity",), "the output")]
        (first, *self.deep), self.memo = layers, {}
        self.w, self.b = [Fraction(row[0], first.den) for row in first.W], [Fraction(b, first.den) for b in first.B]
        self.everyone = [neurons([1] * len(layer.B)) for layer in self.deep for _ in layer.thresholds]
        self.layer_of = [k for k, layer in enumerate(self.deep, 2) for _ in layer.thresholds]
        p, one = (*first.activation[1:], 0, 0), (1, 0)  # the activation as s*z + c on its pieces:
        pieces = {"relu": [(0, 0), one], "abs": [(-1, 0), one], "identity": [one], "leaky_relu": [(p[0], 0), one],
                  "hardtanh": [(0, p[0]), one, (0, p[1])]}[first.activation[0]]
        e = lcm(*(Fraction(v).denominator for piece in pieces for v in piece))
        sc = [(int(s * e), int(c * e) * first.den) for s, c in pieces]  # act(z)*e*den*xd = s'*Z + c'*xd
        ts, events, base = [Fraction(tn, td) for tn, td in first.thresholds], [], []
        for i, (w, b) in enumerate(zip(self.w, self.b)):
            base.append(sc[sum(t < b for t in ts) if not w else 0 if w > 0 else len(ts)])
            for k, t in enumerate(ts * bool(w)):  # x passes (t - b)/w: the piece moves up (w > 0) or down
                old, new = (sc[k], sc[k + 1]) if w > 0 else (sc[k + 1], sc[k])
                events.append(((t - b) / w, i, new[0] - old[0], new[1] - old[1]))
        events.sort(key=lambda event: event[0])
        self.events = [ev[0].numerator for ev in events], [ev[0].denominator for ev in events]
        self.event_neuron = [ev[1] for ev in events]
        second, W1 = self.deep[0], [row[0] for row in first.W]
        # layer 2's pre-activations times scale*xd are P*xn + Q*xd, first below every event:
        rows = [[sum(v * s * W1[i] for i, (v, (s, _)) in enumerate(zip(row, base))),
                 sum(v * (s * first.B[i] + c) for i, (v, (s, c)) in enumerate(zip(row, base))) + b * e * first.den]
                for row, b in zip(second.W, second.B)]
        self.prefix = [[r[:] for r in rows]]
        for _, i, ds, dc in events:
            for row, r in zip(second.W, rows):
                r[0] += row[i] * ds * W1[i]
                r[1] += row[i] * (ds * first.B[i] + dc)
            self.prefix.append([r[:] for r in rows])
        self.scale = second.den * e * first.den

    def trace(self, x, below):
        """(f(x), [(numerators, denominator) of the pre-activations of each layer after the first]),
        given how many events are < x."""
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
        """(f(x), for each later layer and threshold t: (the neurons with z < t, those with z > t),
        how many events are < x, how many <= x)."""
        key = x.numerator, x.denominator  # hashing two ints is cheaper than hashing a Fraction
        if key not in self.memo:
            (nums, dens), below = self.events, bisect(*self.events, x)
            upto = below
            while upto < len(nums) and nums[upto] * x.denominator == x.numerator * dens[upto]:
                upto += 1
            fx, pres, sides = *self.trace(x, below), []
            for layer, (z, d) in zip(self.deep, pres):
                for tn, td in layer.thresholds:
                    s = [v * td - tn * d for v in z] if tn else z  # z - t, times d*td > 0
                    sides.append((neurons(map((0).__gt__, s)), neurons(map((0).__lt__, s))))
            self.memo[key] = fx, sides, below, upto
        return self.memo[key]

    def f(self, x, n=1):
        for _ in range(n):
            x = self.point(x)[0]
        return x

    def affine_on(self, lo, hi, what):
        """Confirm f is affine on J = [lo, hi] by its activation pattern; return f(J). what() names J.

        Layer by layer: when every earlier layer keeps each neuron on one closed
        piece, this layer's pre-activation z is affine on J, so a threshold t
        lies strictly inside its range over J exactly when z is below t at one
        end of J and above t at the other. At an infinite end, z goes off to
        -inf or +inf as it moves from p to q (a constant z is on no side there).
        """
        p, q = sample_points(lo, hi)
        (fp, at_p, _, upto), (fq, at_q, below, _) = self.point(p), self.point(q)
        inside = self.event_neuron[0 if lo is None else upto:len(self.event_neuron) if hi is None else below]
        k, i = (1, min(inside)) if inside else (0, None)
        if i is None and (lo is None or hi is None) and self.layer_of:  # at -inf a rising z is below every t
            moves = []  # per layer and threshold, as sides: (the neurons whose z rises from p to q, falls)
            for layer, (zp, dp), (zq, dq) in zip(self.deep, self.pres(p), self.pres(q)):
                step = [b * dp - a * dq for a, b in zip(zp, zq)]  # z(q) - z(p), times dp*dq > 0
                moves += [(neurons(map((0).__lt__, step)), neurons(map((0).__gt__, step)))] * len(layer.thresholds)
            at_p = moves if lo is None else at_p
            at_q = [(falling, rising) for rising, falling in moves] if hi is None else at_q
        for layer, (below_p, above_p), (below_q, above_q) in zip(self.layer_of, at_p, at_q):
            crossing = below_p & above_q | above_p & below_q
            if i is None and crossing:
                k, i = layer, ((crossing & -crossing).bit_length() - 1) // 8  # the first such neuron
        if i is not None:
            z = [self.w[i] * x + self.b[i] if k == 1 else Fraction(self.pres(x)[k - 2][0][i], self.pres(x)[k - 2][1])
                 for x in (p, q)]
            raise Rejected(f"{what()}: neuron {i + 1} of layer {k} changes activation piece "
                           f"(pre-activation ranges over {fmt_interval(*value_range(*z, lo, hi))})")
        return value_range(fp, fq, lo, hi)

    def pres(self, x):
        """The pre-activations of each layer after the first at x: [(numerators, denominator)]."""
        return self.trace(x, self.point(x)[2])[1]

    def justify(self, left, right, what, images):
        """Confirm the cut c between the pieces left and right is justified (certificates.md, Tightness).

        For some n <= images, some neuron's pre-activation z crosses a threshold
        t at c as a function of f^n(x): z(f^n(c)) = t, and z(f^n(x)) is on
        different sides of t (below, on, above) on the two pieces, as its values
        at f^n(u) and f^n(v) show, u and v the pieces' far sample points
        (z(f^n(x)) is affine on each piece, checked before). In layer 1, z is
        monotone in f^n(x): f^n(c) is an event, f^n(u) and f^n(v) on different sides of it (or one on it).
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


def verify(cert, given):
    """Every check of certificates.md, in order; the text of the VERIFIED line, or Rejected."""
    from . import entropy, periods  # the claim modules, which build on this one
    sha = network_sha256(cert["layers"])
    if sha != cert["network_sha256"]:
        raise Rejected(f"network_sha256 does not match the network (recomputed {sha})")
    if given is not None and network_sha256(given) != sha:
        raise Rejected(f"the certificate is about network {sha}, not about the given network file "
                       f"(sha256 {network_sha256(given)})")
    name, claim = cert["claim"], (entropy if cert["claim"].endswith("entropy") else periods).Claim(cert)
    if cert["statement"] != claim.statement:
        raise Rejected(f"the statement is not the statement of claim {name} ({claim.statement!r})")
    if cert["consequences"] != claim.consequences:
        raise Rejected(f"the consequences are not the list of claim {name}")
    if cert["interval"]:  # a smooth net: interval.py checks its own witness or proof
        from .interval import IntervalChecker
        part = "proof" if "proof" in claim.needs else "witness"
        if part not in cert:
            raise Rejected(f"claim {name} needs a {part}, but the certificate carries none")
        getattr(IntervalChecker(cert["layers"]), part)(cert[part])
        return f"{cert['statement']} (network sha256 {sha[:16]})"
    carried = {part for part in ("witness", "proof") if part in cert}
    carried |= {f"witness.{part}" for part in cert.get("witness", ()) if part != "orbit"}
    for part in sorted(claim.needs ^ carried, key=lambda part: (part not in claim.needs, part)):
        raise Rejected(f"claim {name} needs a {part}, but the certificate carries none" if part in claim.needs
                       else f"claim {name} does not use the {part} the certificate carries")
    claim.check(Net(cert["layers"]))
    return f"{cert['statement']} (network sha256 {sha[:16]})"
