"""Checking: exact evaluation of f and the checks of docs/certificates.md.

A failed check raises ``Rejected`` (exit 1).  Intervals are closed, written
as pairs (lo, hi) of Fractions with None for an infinite end.
"""

import argparse
from fractions import Fraction
from math import lcm
from operator import mul

from .reader import (MAX_FILE_BYTES, Malformed, canon, load_json, network_sha256, parse_certificate,
                     parse_network)

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

def _activate(act, z):
    if act[0] == "relu":
        return max(z, Fraction(0))
    if act[0] == "abs":
        return abs(z)
    if act[0] == "leaky_relu":
        return z if z >= 0 else act[1] * z
    if act[0] == "hardtanh":
        return min(act[2], max(act[1], z))
    return z  # identity


def trace(layers, x):
    """f(x) exactly, with the pre-activations of every layer: ([[z, ...] per layer], f(x))."""
    h, pres = [x], []
    for layer in layers:
        # Integer dot products over one common denominator: the exact value, far faster than Fraction sums.
        d = lcm(*(v.denominator for v in h))
        ints = [v.numerator * (d // v.denominator) for v in h]
        z = [Fraction(sum(map(mul, row, ints)), rd * d) + b
             for row, rd, b in zip(layer.rows, layer.row_den, layer.bias)]
        pres.append(z)
        h = [_activate(layer.activation, v) for v in z]
    return pres, h[0]


def evaluate(layers, x):
    return trace(layers, x)[1]


def thresholds(act):
    """Where the closed pieces of an activation meet (certificates.md, Affine pieces)."""
    return {"identity": (), "hardtanh": act[1:]}.get(act[0], (Fraction(0),))  # relu, leaky_relu, abs: 0


# ---------------------------------------------------------------- intervals

def fmt(x):
    """A rational for a message; a giant one is described, since printing it would be slow."""
    if x.numerator.bit_length() + x.denominator.bit_length() > 4000:
        return f"<a rational with a {x.numerator.bit_length()}-bit numerator>"
    return canon(x)


def fmt_interval(lo, hi):
    return ("(-inf" if lo is None else f"[{fmt(lo)}") + ", " + ("+inf)" if hi is None else f"{fmt(hi)}]")


def subset(a, b):
    """Is the interval a inside the interval b?"""
    return ((b[0] is None or (a[0] is not None and a[0] >= b[0]))
            and (b[1] is None or (a[1] is not None and a[1] <= b[1])))


def sample_points(lo, hi):
    """The two points p <= q of J = [lo, hi] of the affine check (certificates.md)."""
    if lo is None:
        return (Fraction(0), Fraction(1)) if hi is None else (hi - 1, hi)
    return (lo, lo + 1) if hi is None else (lo, hi)


def value_range(a, b, lo, hi):
    """The range over J = [lo, hi] of an affine function worth a at p and b at q."""
    r_lo, r_hi = min(a, b), max(a, b)
    if a != b:  # not constant: unbounded on each unbounded side of J
        up = b > a
        if lo is None:
            r_lo, r_hi = (None, r_hi) if up else (r_lo, None)
        if hi is None:
            r_lo, r_hi = (r_lo, None) if up else (None, r_hi)
    return r_lo, r_hi


def image(slope, intercept, lo, hi):
    """f(J) when f(x) = slope*x + intercept on J: a point, a segment or a ray."""
    if slope == 0:
        return intercept, intercept
    ends = [None if e is None else slope * e + intercept for e in (lo, hi)]
    return (ends[0], ends[1]) if slope > 0 else (ends[1], ends[0])


def split(cuts, lo, hi, what):
    """The closed pieces of [lo, hi] cut at cuts, which must increase strictly, strictly inside it."""
    for i, c in enumerate(cuts):
        if i > 0 and not cuts[i - 1] < c:
            raise Rejected(f"{what} are not strictly increasing at index {i}")
        if not ((lo is None or lo < c) and (hi is None or c < hi)):
            raise Rejected(f"{what}: cut {fmt(c)} at index {i} is not strictly inside {fmt_interval(lo, hi)}")
    ends = [lo, *cuts, hi]
    return list(zip(ends, ends[1:]))


# ---------------------------------------------------------------- checks

def affine_on(layers, lo, hi, what):
    """Confirm f is affine on J = [lo, hi] by its activation pattern; return (slope, intercept).

    Layer by layer: when every earlier layer keeps each neuron on one closed piece,
    this layer's pre-activations are affine on J, so their ranges follow from the
    values at p and q; no threshold may lie strictly inside a range.
    """
    p, q = sample_points(lo, hi)
    pres_p, fp = trace(layers, p)
    pres_q, fq = (pres_p, fp) if p == q else trace(layers, q)
    for k, (layer, zp, zq) in enumerate(zip(layers, pres_p, pres_q), 1):
        ts = thresholds(layer.activation)
        for i, (a, b) in enumerate(zip(zp, zq), 1):
            r_lo, r_hi = value_range(a, b, lo, hi)
            if any((r_lo is None or r_lo < t) and (r_hi is None or t < r_hi) for t in ts):
                raise Rejected(f"{what}: neuron {i} of layer {k} changes activation piece "
                               f"(pre-activation ranges over {fmt_interval(r_lo, r_hi)})")
    if p == q:  # J is a point: any slope will do
        return Fraction(0), fp
    slope = (fq - fp) / (q - p)
    return slope, fp - slope * p


def check_chain(layers, chain):
    """Confirm f(I_{j-1}) is inside I_j at each step; return I_m, the last bound (R when none)."""
    lo = hi = None  # I_0 = R
    for j, (cuts, bound) in enumerate(chain, 1):
        if None not in bound and bound[0] > bound[1]:
            raise Rejected(f"chain step {j}: the bound {fmt_interval(*bound)} is empty")
        for piece in split(cuts, lo, hi, f"chain step {j}: cuts"):
            where = f"chain step {j}, piece {fmt_interval(*piece)}"
            img = image(*affine_on(layers, *piece, where), *piece)
            if not subset(img, bound):
                raise Rejected(f"{where}: the image {fmt_interval(*img)} is not inside "
                               f"the bound {fmt_interval(*bound)}")
        lo, hi = bound
    return lo, hi


def check_piece(layers, lo, hi):
    """Confirm no point of J = [lo, hi] has minimal period 3 (certificates.md, Pieces)."""
    what = f"piece {fmt_interval(lo, hi)}"
    s1, c1 = affine_on(layers, lo, hi, what)
    k = image(s1, c1, lo, hi)
    s2, c2 = affine_on(layers, *k, f"{what}: on K = f(J) = {fmt_interval(*k)}")
    fk = image(s2, c2, *k)
    s3, c3 = affine_on(layers, *fk, f"{what}: on f(K) = {fmt_interval(*fk)}")
    a, b = s1 * s2 * s3, s3 * (s2 * c1 + c2) + c3  # f^3(x) = a*x + b on J
    if a != 1:
        x = b / (1 - a)  # the only solution of f^3(x) = x
        if (lo is None or lo <= x) and (hi is None or x <= hi):
            fx = evaluate(layers, x)
            if fx != x:
                raise Rejected(f"{what}: f^3(x) = x at x = {fmt(x)} but f(x) = {fmt(fx)}, "
                               "so x has minimal period 3")
    elif b == 0 and (s1, c1) != (1, 0):
        raise Rejected(f"{what}: f^3 is the identity on the piece but f is not "
                       f"(f(x) = {fmt(s1)}*x + {fmt(c1)} there)")
    # a == 1 and b != 0: f^3(x) = x + b has no solution


def check_proof(layers, proof):
    lo, hi = check_chain(layers, proof["chain"])  # every periodic point lies in [lo, hi]
    for piece in split(proof["cuts"], lo, hi, "cuts of the final partition"):
        check_piece(layers, *piece)


def check_witness(layers, witness):
    """Confirm the period-3 orbit and Li and Yorke's hypothesis."""
    orbit = witness["orbit"]
    for i in range(3):
        y = evaluate(layers, orbit[i])
        if y != orbit[(i + 1) % 3]:
            raise Rejected(f"f(x{i}) = {fmt(y)}, not x{(i + 1) % 3} = {fmt(orbit[(i + 1) % 3])}")
    if len(set(orbit)) != 3:
        raise Rejected("the orbit points are not pairwise distinct")
    if not orbit[0] < min(orbit[1:]):
        raise Rejected(f"x0 = {fmt(orbit[0])} is not the smallest point of the orbit")
    a = witness["a"]
    b = evaluate(layers, a)
    c = evaluate(layers, b)
    d = evaluate(layers, c)
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
    if claim == "period-3":
        if "witness" not in cert:
            raise Rejected("claim period-3 needs a witness, but the certificate carries a proof")
        check_witness(cert["layers"], cert["witness"])
    else:
        if "proof" not in cert:
            raise Rejected("claim no-period-3 needs a proof, but the certificate carries a witness")
        check_proof(cert["layers"], cert["proof"])
    return f"{cert['statement']} (network sha256 {sha[:16]})"


# ---------------------------------------------------------------- entry points

def _line(prefix, message):
    """One printable ASCII line, whatever the message holds."""
    message = " ".join(str(message).split())
    message = message if len(message) <= 2000 else message[:2000] + "..."
    return f"{prefix}: " + message.encode("ascii", "backslashreplace").decode("ascii")


def check_certificate(cert_obj, network_obj=None):
    """(exit code, verdict line) for a certificate and, optionally, the network it must be about.

    Each argument is JSON text (str or bytes) or a parsed object (as json.loads
    gives: ints are exact, floats are refused).
    """
    code, prefix, doing = 3, "MALFORMED", "reading"  # until parsed, a failure means malformed
    try:
        if isinstance(cert_obj, (str, bytes)):
            cert_obj = load_json(cert_obj, "certificate")
        cert = parse_certificate(cert_obj)
        given = None
        if network_obj is not None:
            if isinstance(network_obj, (str, bytes)):
                network_obj = load_json(network_obj, "network file")
            given = parse_network(network_obj, "network file", canonical=False)
        code, prefix, doing = 1, "REJECTED", "checking"  # from here on, a failure means not verified
        return 0, _line("VERIFIED", verify(cert, given))
    except Malformed as e:
        return 3, _line("MALFORMED", e)
    except Rejected as e:
        return 1, _line("REJECTED", e)
    except (RecursionError, MemoryError) as e:
        return code, _line(prefix, f"the input is too large or nested too deeply for {doing} "
                                   f"({type(e).__name__})")
    except Exception as e:  # a bug of the checker: still one line, never a traceback, never VERIFIED
        return code, _line(prefix, f"internal error while {doing} ({type(e).__name__}: {e})")


def _read(path, what):
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # never more than the limit
    except OSError as e:
        raise Malformed(f"cannot read {what} {path}: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise Malformed(f"{what} {path} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    return data


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print the usage and exit 2: we want one line
        raise _UsageError(message)


HELP = """Checks a verichaos certificate (docs/certificates.md) with the Python standard
library alone, recomputing every evaluation of the network stored inside it.
Prints exactly one line and exits with:
  0  VERIFIED: <statement> (network sha256 <16 hex>)  every check passed
  1  REJECTED: <reason>   a well-formed certificate whose claim does not check,
                          or one about another network than --network
  2  USAGE: <reason>      the command line is wrong
  3  MALFORMED: <reason>  a file cannot be read, is not JSON, is not a certificate
                          of a known format and version, or breaks the format"""


def main(argv=None, prog="python -m verichaos.checker"):
    """The command line; returns the exit code."""
    parser = _Parser(prog=prog, description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("certificate", help="the certificate file (JSON)")
    parser.add_argument("--network", metavar="NET", help="the network file the certificate must be about")
    try:
        args = parser.parse_args(argv)
        code, line = check_certificate(_read(args.certificate, "certificate"),
                                       None if args.network is None else _read(args.network, "network file"))
    except _UsageError as e:
        code, line = 2, _line("USAGE", f"{e} (try --help)")
    except SystemExit as e:  # --help has printed the help
        return e.code if isinstance(e.code, int) else 0
    except Malformed as e:
        code, line = 3, _line("MALFORMED", e)
    try:
        print(line, flush=True)
    except OSError:  # e.g. a closed pipe: the exit code still tells
        pass
    return code
