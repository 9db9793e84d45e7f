"""The period claims, for N >= 1: "period-N" (an orbit) and "no-period-N" (a proof).

A point x has minimal period N when f^N(x) = x and f^(N/p)(x) != x for every
prime p dividing N. Sharkovsky (1964): order the positive integers
3, 5, 7, ..., 2*3, 2*5, ..., 4*3, ..., 2^n, ..., 4, 2, 1; a continuous map of R
with a point of minimal period m has one of every period after m. Li and
Yorke (1975): period 3 makes f chaotic (their hypothesis is checked at a point
of the orbit). A period that is not a power of 2 gives positive entropy and
Li-Yorke chaos (Misiurewicz 1979; Block and Coppel 1992); no point of period
2^(K+1) leaves only the periods 1, 2, ..., 2^K, and entropy 0.

No period N, proved on pieces J covering I_m, the end of the trapping chain
(which holds every periodic point): f is affine on J, f(J), ..., f^(N-1)(J), so
f^N(x) = A*x + B on J. If A != 1, its one fixed point x (if in J) must satisfy
f^(N/p)(x) = x for some prime p | N; if f^N is the identity on J, so must be
f^(N/p) for some prime p | N (else all but finitely many points of J have
minimal period N). A = 1, B != 0: no fixed point. N = 1 has no prime: no
fixed point at all.
"""

from .exact import Rejected, fmt, fmt_interval, power, sample_points, split

THREE = ["f has periodic points of every period n >= 1 (Sharkovsky 1964)",
         "f has an uncountable scrambled set: f is Li-Yorke chaotic (Li and Yorke 1975)",
         "the topological entropy of f is at least log((1+sqrt(5))/2) "
         "(Block, Guckenheimer, Misiurewicz and Young 1980)"]
ZERO = "the topological entropy of f is 0 (Misiurewicz 1979; Block and Coppel 1992)"


def primes(n):
    return [p for p in range(2, n + 1) if n % p == 0 and all(p % q for q in range(2, p))]


def forced(m):
    """The periods that minimal period m forces (Sharkovsky 1964), in the certifier's words."""
    two, odd = (m & -m).bit_length() - 1, m >> (m & -m).bit_length() - 1
    if m == 3:
        return "every period n >= 1"
    if odd == 1:
        return "the periods " + ", ".join(str(2**k) for k in range(two, -1, -1))
    return (f"every period 2^{two}*q with q odd and q >= {odd}, every 2^j*q with j > {two} "
            "and q odd >= 3, and every power of 2")


def chaotic(m, entropy="is positive (Misiurewicz 1979; Block and Coppel 1992)"):
    """The consequences of a point of minimal period m, not a power of 2."""
    return [f"f has periodic points of {forced(m)} (Sharkovsky 1964)",
            "f has an uncountable scrambled set: f is Li-Yorke chaotic (Block and Coppel 1992)",
            f"the topological entropy of f {entropy}"]


def only_powers(n):
    """The consequences of no point of minimal period n = 2^(K+1) (n = 1: no fixed point)."""
    if n == 1:
        return ["f has no periodic point", ZERO]
    return [f"every period of f is one of {forced(n // 2)[12:]} (Sharkovsky 1964)", ZERO]


def no_period(net, proof, n):
    """Confirm a proof that no point has minimal period n (module docstring)."""
    pieces = split(proof["cuts"], *net.chain(proof["chain"]), "cuts of the final partition")
    divisors = [n // p for p in primes(n)]
    for i, (lo, hi) in enumerate(pieces):
        what, image = (lambda: f"piece {fmt_interval(lo, hi)}"), (lo, hi)
        for k in range(n):  # f affine on J, f(J), ..., f^(n-1)(J): f^n is affine on J
            image = net.affine_on(*image, what if k == 0 else lambda: f"{what()}: on {power(k)}(J) = {fmt_interval(*image)}")
        p, q = sample_points(lo, hi)
        fp, fq = net.f(p, n), net.f(q, n)
        if lo is None or hi is None or not (fp > p and fq > q or fp < p and fq < q):  # else no solution
            a = (fq - fp) / (q - p) if p != q else 0  # f^n = a*x + b on the piece
            b = fp - a * p
            if a != 1:
                x = b / (1 - a)  # the only solution of f^n(x) = x
                if (lo is None or lo <= x) and (hi is None or x <= hi) and all(net.f(x, d) != x for d in divisors):
                    values = ", ".join(f"{power(d)}(x) = {fmt(net.f(x, d))}" for d in divisors)
                    raise Rejected(f"{what()}: {power(n)}(x) = x at x = {fmt(x)}" + (f" but {values}" if values else "")
                                   + f", so x has minimal period {n}")
            elif b == 0 and not any(net.f(p, d) == p and net.f(q, d) == q for d in divisors):
                forms = ", ".join(f"{power(d)}(x) = {fmt(s)}*x + {fmt(net.f(p, d) - s * p)}" for d in divisors
                                  for s in [(net.f(q, d) - net.f(p, d)) / (q - p)])
                raise Rejected(f"{what()}: {power(n)} is the identity on the piece" + (
                    f" but {' and '.join(map(power, divisors))} is not ({forms} there)" if divisors else ""))
        if i:
            net.justify(pieces[i - 1], (lo, hi), "final cut", n - 1)


def check_orbit(net, points):
    """Confirm the points form one orbit of minimal period len(points), listed from the smallest."""
    n = len(points)
    for i in range(n):
        y = net.f(points[i])
        if y != points[(i + 1) % n]:
            raise Rejected(f"f(x{i}) = {fmt(y)}, not x{(i + 1) % n} = {fmt(points[(i + 1) % n])}")
    if len(set(points)) != n:
        raise Rejected("the orbit points are not pairwise distinct")
    if n and not points[0] == min(points):
        raise Rejected(f"x0 = {fmt(points[0])} is not the smallest point of the orbit")


class Claim:
    """period-N: the witness orbit; no-period-N: the proof."""

    def __init__(self, cert):
        self.cert, self.n = cert, int(cert["claim"].rsplit("-", 1)[1])
        negative = cert["claim"].startswith("no-")
        self.statement = f"f has {'no' if negative else 'a'} point of minimal period {self.n}"
        if negative:
            self.consequences = only_powers(self.n) if self.n & (self.n - 1) == 0 else []
        elif self.n == 3:
            self.consequences = THREE
        else:  # a power of 2 forces only smaller powers of 2
            self.consequences = chaotic(self.n)[:None if self.n & (self.n - 1) else 1]
        self.needs = {"proof"} if negative else {"witness", "witness.li_yorke"} if self.n == 3 else {"witness"}

    def check(self, net):
        if "proof" in self.needs:
            return no_period(net, self.cert["proof"], self.n)
        orbit = self.cert["witness"]["orbit"]
        check_orbit(net, orbit)
        if self.n == 3:  # Li and Yorke's hypothesis at a point of the orbit
            a, case = self.cert["witness"]["li_yorke"]
            if a not in orbit:
                raise Rejected(f"the Li-Yorke point a = {fmt(a)} is not a point of the orbit")
            b, c, d = net.f(a), net.f(a, 2), net.f(a, 3)
            if not (d <= a < b < c if case == "d<=a<b<c" else d >= a > b > c):
                raise Rejected(f"Li-Yorke case {case} fails: a = {fmt(a)}, b = f(a) = {fmt(b)}, "
                               f"c = f(b) = {fmt(c)}, d = f(c) = {fmt(d)}")
