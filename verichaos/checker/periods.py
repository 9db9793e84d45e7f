"""The period claims, N >= 1: "period-N" (an orbit) and "no-period-N" (a proof); docs/certificates.md.

x has minimal period N when f^N(x) = x and f^(N/p)(x) != x for every prime p | N. No period N: on each
piece J of a partition of I_m (the trapping chain's end), f affine on J, f(J), ..., f^(N-1)(J) makes
f^N = A*x + B on J; its fixed point (A != 1, in J) must have a period N/p, and where f^N is the identity
on J, so must f^(N/p). The consequences: Sharkovsky (1964), Li and Yorke (1975), Misiurewicz (1979),
Block and Coppel (1992).
"""

from .exact import Rejected, fmt, fmt_interval, power, sample_points, split

ZERO = "the topological entropy of f is 0 (Misiurewicz 1979; Block and Coppel 1992)"

def forced(m):
    """The periods that minimal period m forces (Sharkovsky 1964), in the certifier's words."""
    two, odd = (m & -m).bit_length() - 1, m >> (m & -m).bit_length() - 1
    if m == 3 or odd == 1:
        return "every period n >= 1" if m == 3 else "the periods " + ", ".join(str(2**k) for k in range(two, -1, -1))
    return (f"every period 2^{two}*q with q odd and q >= {odd}, every 2^j*q with j > {two} and q odd >= 3, "
            "and every power of 2")

def chaotic(m, entropy="is positive (Misiurewicz 1979; Block and Coppel 1992)", cite="Block and Coppel 1992"):
    """The consequences of a point of minimal period m, not a power of 2."""
    return [f"f has periodic points of {forced(m)} (Sharkovsky 1964)",
            f"f has an uncountable scrambled set: f is Li-Yorke chaotic ({cite})",
            f"the topological entropy of f {entropy}"]

def only_powers(n):
    """The consequences of no point of minimal period n = 2^(K+1) (n = 1: no fixed point)."""
    return [f"every period of f is one of {forced(n // 2)[12:]} (Sharkovsky 1964)" if n > 1
            else "f has no periodic point", ZERO]

def no_period(net, proof, n):
    """Confirm a proof that no point has minimal period n (module docstring)."""
    pieces = split(proof["cuts"], *net.chain(proof["chain"]), "cuts of the final partition")
    divisors = [n // p for p in range(2, n + 1) if n % p == 0 and all(p % q for q in range(2, p))]
    for i, (lo, hi) in enumerate(pieces):
        what, image = (lambda: f"piece {fmt_interval(lo, hi)}"), (lo, hi)
        for k in range(n):  # f affine on J, f(J), ..., f^(n-1)(J): f^n is affine on J
            image = net.affine_on(*image, lambda: what() + (f": on {power(k)}(J) = {fmt_interval(*image)}" if k else ""))
        (p, q), f = sample_points(lo, hi), net.f
        if lo is None or hi is None or not (f(p, n) > p and f(q, n) > q or f(p, n) < p and f(q, n) < q):  # else none
            a = (f(q, n) - f(p, n)) / (q - p) if p != q else 0  # f^n = a*x + b on the piece
            b, x = f(p, n) - a * p, (f(p, n) - a * p) / (1 - a) if a != 1 else None  # x: the one root if a != 1
            if x is not None and (lo is None or lo <= x) and (hi is None or x <= hi) and all(f(x, d) != x
                                                                                             for d in divisors):
                values = "".join(f"{', ' if j else ' but '}{power(d)}(x) = {fmt(f(x, d))}"
                                 for j, d in enumerate(divisors))
                raise Rejected(f"{what()}: {power(n)}(x) = x at x = {fmt(x)}{values}, so x has minimal period {n}")
            if x is None and b == 0 and not any(f(p, d) == p and f(q, d) == q for d in divisors):
                forms = ", ".join(f"{power(d)}(x) = {fmt(s)}*x + {fmt(f(p, d) - s * p)}" for d in divisors
                                  for s in [(f(q, d) - f(p, d)) / (q - p)])
                raise Rejected(f"{what()}: {power(n)} is the identity on the piece" + (
                    f" but {' and '.join(map(power, divisors))} is not ({forms} there)" if divisors else ""))
        if i:
            net.justify(pieces[i - 1], (lo, hi), "final cut", n - 1)

def check_orbit(net, points):
    """Confirm the points form one orbit of minimal period len(points), listed from the smallest."""
    for i, (x, y) in enumerate(zip(points, points[1:] + points[:1])):
        if net.f(x) != y:
            raise Rejected(f"f(x{i}) = {fmt(net.f(x))}, not x{(i + 1) % len(points)} = {fmt(y)}")
    if len(set(points)) != len(points):
        raise Rejected("the orbit points are not pairwise distinct")
    if points and not points[0] == min(points):
        raise Rejected(f"x0 = {fmt(points[0])} is not the smallest point of the orbit")

def texts(cert):
    """(statement, consequences, the parts needed) of a period claim."""
    n = int(cert["claim"].rsplit("-", 1)[1])
    if cert["claim"].startswith("no-"):
        return f"f has no point of minimal period {n}", only_powers(n) if n & (n - 1) == 0 else [], {"proof"}
    three = chaotic(3, "is at least log((1+sqrt(5))/2) (Block, Guckenheimer, Misiurewicz and Young 1980)",
                    "Li and Yorke 1975")
    return (f"f has a point of minimal period {n}", three if n == 3 else chaotic(n)[:None if n & (n - 1) else 1],
            {"witness", "witness.li_yorke"} if n == 3 else {"witness"})

def check(net, cert):
    """The proof of no period N, or the orbit of period N (for 3 with Li and Yorke's point)."""
    n, orbit = int(cert["claim"].rsplit("-", 1)[1]), cert.get("witness", {}).get("orbit")
    if "proof" in cert:
        return no_period(net, cert["proof"], n)
    check_orbit(net, orbit)
    if n == 3:
        a, case = cert["witness"]["li_yorke"]
        b, c, d = net.f(a), net.f(a, 2), net.f(a, 3)
        if a not in orbit:
            raise Rejected(f"the Li-Yorke point a = {fmt(a)} is not a point of the orbit")
        if not (d <= a < b < c if case == "d<=a<b<c" else d >= a > b > c):
            raise Rejected(f"Li-Yorke case {case} fails: a = {fmt(a)}, b = f(a) = {fmt(b)}, c = f(b) = {fmt(c)}, "
                           f"d = f(c) = {fmt(d)}")
