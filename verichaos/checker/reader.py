"""Reading: exact numbers, JSON, networks and the structure of certificates (docs/formats.md).

A file that is not well formed, or breaks a limit of docs/formats.md, raises ``Malformed`` (exit 3).
Each limit is checked before the work it bounds, so a hostile file is refused in seconds.
"""

import hashlib
import json
import re
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from math import gcd
from pathlib import Path

MAX_FILE_BYTES = 64 * 2**20        # larger files are refused unread
MAX_DIGITS = 10_000                # digits in one number's text
MAX_EXPONENT = 10_000              # |decimal exponent|
MAX_TOTAL_DIGITS = 20_000_000      # every number of a file, exponents expanded: 1e10000 counts 10,001
MAX_LAYERS = 1_000
MAX_NEURONS = 50_000               # outputs of all layers: a chain proof at this width checks in about 6 s
MAX_WEIGHTS = 2_000_000            # weights and biases of all layers
MAX_DENOMINATOR_DIGITS = 10_000    # a layer's common denominator (the lcm of its entries' denominators)
MAX_GROWTH_BITS = 2**17            # bits an evaluation's integers gain through all layers
MAX_WORK = 50_000_000              # evaluations x cost of one evaluation (require_work): about 5 s
MAX_UNCHECKED_VALUES = 10_000      # JSON values in each of tool, statistics, network.metadata
_MAX_TEXT = MAX_DIGITS + 4    # longest text with MAX_DIGITS digits: sign, '.', 'e', exponent sign
_DENOMINATOR_BOUND = 10**MAX_DENOMINATOR_DIGITS
_NUMBER = re.compile(r"([+-]?[0-9]+)/([0-9]+)|[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?")
_EXPONENT = re.compile(r"(?<![\w.])[+-]?[0-9.]++[eE][+-]?+([0-9]{1,9}+)(?![\w.])")  # a whole number token
_KINDS = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", Fraction: "a number",
          type(None): "null"}
LI_YORKE_CASES = ("d<=a<b<c", "d>=a>b>c")

class Malformed(Exception):
    """The input is not a well-formed file of a known format and version (exit 3)."""

def _kind(value):
    return _KINDS.get(type(value), type(value).__name__)

def canon(r):
    """The canonical spelling of a rational: reduced "p/q" with q > 1, or "p" (by Decimal, exact at any size:
    int() and str() refuse ints of more than 4300 digits)."""
    return str(Decimal(r.numerator)) + ("" if r.denominator == 1 else f"/{Decimal(r.denominator)}")

def rational_from_text(text, where):
    """The exact value of a number's text (grammar and limits of formats.md); length first, before any conversion."""
    if len(text) > _MAX_TEXT or sum(map(text.count, "0123456789")) > MAX_DIGITS:
        raise Malformed(f"{where}: number has more than {MAX_DIGITS} digits")
    m = _NUMBER.fullmatch(text)  # before Decimal(), which also takes "1_0", "NaN", " 1"
    if not m:
        refused = text.strip("+-").lower() in ("nan", "inf", "infinity")
        raise Malformed(f"{where}: {text!r}: NaN and infinities are refused" if refused
                        else f"{where}: {text!r} is not a number (integer, p/q or decimal)")
    if m[2] and int(Decimal(m[2])) == 0:
        raise Malformed(f"{where}: {text!r} has denominator 0")
    if m[3] and abs(int(Decimal(m[3]))) > MAX_EXPONENT:
        raise Malformed(f"{where}: {text!r} has an exponent beyond +-{MAX_EXPONENT}")
    return Fraction(int(Decimal(m[1])), int(Decimal(m[2]))) if m[2] else Fraction(Decimal(text))

def number(value, where, canonical):
    """A rational from a JSON value; canonical=True demands a string in canonical spelling."""
    if not isinstance(value, str) and type(value) not in (int, Fraction):  # a bool is no number
        raise Malformed(f"{where}: {value!r} is a binary float, not an exact number" if isinstance(value, float)
                        else f"{where}: expected a number, got {_kind(value)}")  # a float: from a caller's json.loads
    r = rational_from_text(value, where) if isinstance(value, str) else Fraction(value)
    if canonical and value != canon(r):  # a number literal, read exactly, is never canonical
        spelled = repr(value) if isinstance(value, str) else f"the number literal {canon(r)}"
        raise Malformed(f"{where}: {spelled} is not in canonical spelling (expected the string {canon(r)!r})")
    return r

def load_json(data, what):
    """Parse a file (a Path) or JSON text (bytes or str) with exact numbers, Malformed on any problem; anything
    else is taken as already parsed (as json.loads gives it: ints are exact, floats will be refused)."""
    literal = lambda text: rational_from_text(text, "a number literal")  # noqa: E731  (also NaN, Infinity)

    def unique_keys(pairs):  # duplicate keys would let two readers see two different files
        obj = dict(pairs)
        if len(obj) < len(pairs):
            raise Malformed(f"duplicate key {next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)!r}")
        return obj

    if isinstance(data, Path):
        try:
            with open(data, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)  # one byte more than the limit is enough to refuse the file
        except OSError as e:
            raise Malformed(f"cannot read {what} {data}: {e.strerror or e}") from None
    if not isinstance(data, (str, bytes)):
        return data
    if len(data) > MAX_FILE_BYTES:
        raise Malformed(f"{what} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        size = sum(map(text.count, "0123456789")) + sum(map(int, _EXPONENT.findall(text)))
        if size > MAX_TOTAL_DIGITS:
            raise Malformed(f"its numbers have {size} digits with exponents expanded, more than {MAX_TOTAL_DIGITS}")
        return json.loads(text, parse_int=lambda t: int(literal(t)), parse_float=literal, parse_constant=literal,
                          object_pairs_hook=unique_keys)
    except UnicodeDecodeError:
        raise Malformed(f"{what} is not UTF-8 text") from None
    except Malformed as e:
        raise Malformed(f"{what}: {e}") from None
    except json.JSONDecodeError as e:
        raise Malformed(f"{what} is not valid JSON: {e}") from None
    except RecursionError:
        raise Malformed(f"{what} is nested too deeply") from None

def _fields(obj, where, required, optional=(), fmt=None):
    """obj must be an object with the required keys and no others than the optional ones; with fmt,
    first of that format and of version 1 (the JSON integer, not 1.0, "1" or true)."""
    if not isinstance(obj, dict):
        raise Malformed(f"{where}: expected a JSON object, got {_kind(obj)}")
    if fmt and obj.get("format") != fmt:
        raise Malformed(f"{where}: not a {fmt.replace('-', ' ')} (format must be {fmt!r})")
    if fmt and not (type(obj.get("version")) is int and obj["version"] == 1):
        raise Malformed(f"{where}: unknown version (only version 1 is known)")
    for problem, keys in (("unknown", [k for k in obj if k not in (*required, *optional)]),
                          ("missing", [k for k in required if k not in obj])):
        if keys:
            raise Malformed(f"{where}: {problem} field {keys[0]!r}")
    return obj

def _list(value, where, length=None):
    if not isinstance(value, list):
        raise Malformed(f"{where}: expected a list, got {_kind(value)}")
    if length is not None and len(value) != length:
        raise Malformed(f"{where}: expected {length} entries, got {len(value)}")
    return value

def _rationals(values, where, canonical=True, length=None, infinite_ok=False):
    """A list of rationals (None for null where infinite_ok)."""
    return [None if v is None and infinite_ok else number(v, f"{where}[{i}]", canonical)
            for i, v in enumerate(_list(values, where, length))]

NOT_PIECEWISE_LINEAR = {"tanh", "sigmoid", "gelu", "softplus", "elu", "selu", "celu", "silu", "swish",
                        "mish", "softsign", "logsigmoid", "tanhshrink", "hardswish", "softmax", "exp", "sin"}
SUPPORTED = "relu, identity, abs, leaky_relu, hardtanh (clip)"
# Each activation's parameters, in the order of its tuple, with their defaults (formats.md).
PARAMETERS = {"relu": {}, "identity": {}, "abs": {}, "leaky_relu": {"alpha": Fraction(1, 100)},
              "hardtanh": {"min": Fraction(-1), "max": Fraction(1)}}

def activation_pieces(activation):
    """A piecewise-linear activation as (slope, intercept) on each piece, left to right, and the knots between."""
    name, *params = activation
    if name == "hardtanh":
        return [(0, params[0]), (1, 0), (0, params[1])], params
    if name == "identity":
        return [(1, 0)], []
    return [(params[0] if params else -1 if name == "abs" else 0, 0), (1, 0)], [Fraction(0)]

class Layer:
    """z = weight . h + bias, then the activation tuple (parse_activation), elementwise; also the entries as integers
    over one denominator (weight = W / den, bias = B / den), the activation's pieces and the thresholds between them
    as (numerator, denominator), the bits an evaluation's integers gain here (growth), the weights and biases (size)."""

    def __init__(self, weight, bias, activation, where):
        self.weight, self.bias, self.activation = weight, bias, activation
        self.den = 1
        for q in {v.denominator for v in [*bias, *(w for row in weight for w in row)]}:
            if self.den % q:  # the lcm, grown one denominator at a time so that a huge one stops it early
                self.den = self.den // gcd(self.den, q) * q
                if self.den >= _DENOMINATOR_BOUND:
                    raise Malformed(f"{where}: the common denominator of its weights and biases has more than "
                                    f"{MAX_DENOMINATOR_DIGITS} digits")
        self.W = [[w.numerator * (self.den // w.denominator) for w in row] for row in weight]
        self.B = [b.numerator * (self.den // b.denominator) for b in bias]
        self.pieces, knots = activation_pieces(activation)
        self.thresholds = [(t.numerator, t.denominator) for t in knots]
        largest = max(abs(v) for v in [*self.B, *(w for row in self.W for w in row)])
        scale = sum(abs(p.numerator).bit_length() + p.denominator.bit_length() for p in activation[1:])
        self.growth = largest.bit_length() + self.den.bit_length() + scale + len(weight[0]).bit_length()
        self.size = len(bias) * (len(weight[0]) + 1)

def require_work(evaluations, layers, what, points=(), fast=False):
    """Refuse (Malformed) a check that would evaluate f, at points like these, beyond MAX_WORK (claim modules
    call this before the work). Layer k costs size_k * (1 + b_k // 1024), b_k = 64 + (bits of the largest
    point) + growth_1 + ... + growth_k, in units of about 0.1 microsecond (a product of small integers). With
    fast (exact.Net, docs/certificates.md): layer 1 costs a binary search over its events, layer 2 two products
    per neuron, and each evaluation 300 for the interpreter, after a one-time 4 per entry of the prefix sums."""
    bits = 64 + max((x.numerator.bit_length() + x.denominator.bit_length() for x in points), default=0)
    events = len(layers[0].B) * len(layers[0].thresholds)
    cost = 300 if fast and len(layers) > 1 else 0
    for k, layer in enumerate(layers):
        bits += layer.growth
        size = layer.size if not fast or k > 1 else 2 * len(layer.B) if k else 2 * (events + 1).bit_length()
        cost += size * (1 + bits // 1024)
    setup = 4 * events * len(layers[1].B) * (1 + bits // 1024) if fast and len(layers) > 1 else 0
    if evaluations * cost + setup > MAX_WORK:
        raise Malformed(f"{what} asks for about {evaluations} evaluations of f at a cost of {cost} each, "
                        f"more than the work limit of {MAX_WORK}")

def parse_activation(spec, where, canonical, smooth=False):
    """An activation tuple; canonical=True accepts only the canonical form (formats.md)."""
    if smooth and spec in ("tanh", "sigmoid"):  # interval certificates only (interval.py)
        return (spec,)
    params = dict(spec) if isinstance(spec, dict) else {}
    name = spec if isinstance(spec, str) else params.pop("name", None)
    if not isinstance(name, str):
        raise Malformed(f"{where}: expected an activation name or an object with a 'name'")
    if name.lower() in NOT_PIECEWISE_LINEAR:
        raise Malformed(f"{where}: activation {name!r} is not piecewise linear, so f is not a piecewise-"
                        f"linear map and cannot be certified exactly (supported: {SUPPORTED})")
    if name == "clip" and canonical:
        raise Malformed(f"{where}: the canonical name of clip is 'hardtanh'")
    name = "hardtanh" if name == "clip" else name  # a synonym, in network files only
    if name not in PARAMETERS:
        raise Malformed(f"{where}: unknown activation {name!r} (supported: {SUPPORTED})")
    defaults = PARAMETERS[name]
    if canonical and (isinstance(spec, str) != (not defaults) or set(params) != set(defaults)):
        form = "an object with 'name', " + " and ".join(map(repr, sorted(defaults))) if defaults else repr(name)
        raise Malformed(f"{where}: the canonical form of {name} is {form}")
    for key in params:
        if key not in defaults:
            raise Malformed(f"{where}: {name} has no parameter {key!r}")
    values = [number(params[k], f"{where}.{k}", canonical) if k in params else d for k, d in defaults.items()]
    if name == "hardtanh" and not values[0] < values[1]:
        raise Malformed(f"{where}: hardtanh needs min < max")
    return (name, *values)

def parse_network(obj, where, canonical, smooth=False):
    """A list of Layer from a network object (formats.md, version 1)."""
    _fields(obj, where, ("format", "version", "layers"), ("metadata",), fmt="verichaos-network")
    specs = _list(obj["layers"], f"{where}.layers")
    if not specs or len(specs) > MAX_LAYERS:
        raise Malformed(f"{where}.layers: a network needs at least one layer" if not specs
                        else f"{where}.layers: {len(specs)} layers, more than the limit of {MAX_LAYERS}")
    layers, fan_in, neurons, weights, growth = [], 1, 0, 0, 0  # the first layer has in = 1
    for k, spec in enumerate(specs):
        at = f"{where}.layers[{k}]"
        _fields(spec, at, ("weight", "bias", "activation"))
        rows = _list(spec["weight"], f"{at}.weight")
        if not rows:
            raise Malformed(f"{at}.weight: a layer needs at least one neuron")
        neurons, weights = neurons + len(rows), weights + len(rows) * (fan_in + 1)
        if neurons > MAX_NEURONS or weights > MAX_WEIGHTS:  # before any of its numbers is read
            raise Malformed(f"{at}: the network has more than {MAX_NEURONS} neurons or {MAX_WEIGHTS} weights and "
                            "biases")
        weight = [_rationals(row, f"{at}.weight[{i}]", canonical, fan_in) for i, row in enumerate(rows)]
        bias = _rationals(spec["bias"], f"{at}.bias", canonical, len(rows))
        activation = parse_activation(spec["activation"], f"{at}.activation", canonical, smooth)
        layers.append(Layer(weight, bias, activation, at))
        growth, fan_in = growth + layers[-1].growth, len(rows)
        if growth > MAX_GROWTH_BITS:
            raise Malformed(f"{at}: an evaluation's integers would grow by more than {MAX_GROWTH_BITS} bits "
                            "through the layers so far (their denominators and largest entries)")
    if fan_in != 1:
        raise Malformed(f"{where}: the last layer has {fan_in} outputs, not 1")
    _require_small(obj.get("metadata"), f"{where}.metadata")
    return layers

def _require_small(value, where):
    """An unchecked field holds at most MAX_UNCHECKED_VALUES JSON values (it is read, never used)."""
    stack = [value]
    for _ in range(MAX_UNCHECKED_VALUES):
        if not stack:
            return
        item = stack.pop()
        stack += item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
    if stack:
        raise Malformed(f"{where}: an unchecked field may hold at most {MAX_UNCHECKED_VALUES} JSON values")

def network_sha256(layers):
    """SHA-256 of the canonical serialization (formats.md; metadata left out)."""
    def act(a):  # canonical form: the name alone, or an object with the name and every parameter
        return {"name": a[0], **{k: canon(v) for k, v in zip(PARAMETERS[a[0]], a[1:])}} if a[1:] else a[0]
    text = json.dumps({"format": "verichaos-network", "version": 1,
                       "layers": [{"weight": [[canon(w) for w in row] for row in layer.weight],
                                   "bias": [canon(b) for b in layer.bias], "activation": act(layer.activation)}
                                  for layer in layers]},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

CLAIM = re.compile(r"(no-)?period-([1-9][0-9]{0,2})|(positive|zero)-entropy")
MAX_PERIOD = 256  # N of period-N, and points of an orbit (the checker's work grows with them)
MAX_STEPS = 64    # steps of a Markov hint

def _count(value, where, most):
    if not (type(value) is int and 0 <= value <= most):
        raise Malformed(f"{where}: expected a JSON integer from 0 to {most}")
    return value

def parse_certificate(obj):
    """The fields of a certificate as a dict; checks the structure only, never the claim."""
    _fields(obj, "certificate", ("format", "version", "network", "network_sha256", "claim", "statement",
                                 "consequences"), ("witness", "proof", "tool", "statistics"), "verichaos-certificate")
    for key in ("tool", "statistics"):
        _require_small(obj.get(key), key)
    interval = any(isinstance(obj.get(k), dict) and obj[k].get("kind") == "interval" for k in ("witness", "proof"))
    cert = {"layers": parse_network(obj["network"], "network", canonical=True, smooth=interval), "interval": interval}
    if not (isinstance(obj["network_sha256"], str) and re.fullmatch(r"[0-9a-f]{64}", obj["network_sha256"])):
        raise Malformed("network_sha256: expected 64 lowercase hex digits")
    claim = isinstance(obj["claim"], str) and CLAIM.fullmatch(obj["claim"])
    if not claim or claim[2] and int(claim[2]) > MAX_PERIOD:
        raise Malformed(f"claim: expected 'period-N' or 'no-period-N' (1 <= N <= {MAX_PERIOD}), "
                        "'positive-entropy' or 'zero-entropy'")
    if not isinstance(obj["statement"], str):
        raise Malformed(f"statement: expected a string, got {_kind(obj['statement'])}")
    if not all(isinstance(c, str) for c in _list(obj["consequences"], "consequences")):
        raise Malformed("consequences: expected a list of strings")
    cert.update((key, obj[key]) for key in ("network_sha256", "claim", "statement", "consequences"))
    # Which of witness and proof the claim needs is a check (REJECTED); zero entropy needs both.
    if ("witness" in obj) == ("proof" in obj) and not ("witness" in obj and claim[0] == "zero-entropy"):
        raise Malformed("a certificate carries exactly one of 'witness' and 'proof' (both for zero-entropy)")
    if interval:  # interval.py reads and checks its own fields (it builds on this module)
        from .interval import parse_interval
        return {**cert, **parse_interval(obj, cert["layers"])}
    if "witness" in obj:
        w = _fields(obj["witness"], "witness", ("orbit",), ("li_yorke", "markov"))
        orbit = _rationals(w["orbit"], "witness.orbit", length=int(claim[2]) if claim[2] and not claim[1] else None)
        if len(orbit) > MAX_PERIOD:
            raise Malformed(f"witness.orbit: more than {MAX_PERIOD} points")
        cert["witness"] = {"orbit": orbit}
        if "li_yorke" in w:
            ly = _fields(w["li_yorke"], "witness.li_yorke", ("a", "case"))
            if ly["case"] not in LI_YORKE_CASES:
                raise Malformed(f"witness.li_yorke.case: expected {' or '.join(map(repr, LI_YORKE_CASES))}")
            cert["witness"]["li_yorke"] = number(ly["a"], "witness.li_yorke.a", True), ly["case"]
        if "markov" in w:
            mk = _fields(w["markov"], "witness.markov", ("interval", "steps", "ratio"))
            cert["witness"]["markov"] = (_count(mk["interval"], "witness.markov.interval", MAX_PERIOD),
                                         _count(mk["steps"], "witness.markov.steps", MAX_STEPS),
                                         number(mk["ratio"], "witness.markov.ratio", True))
        require_work(2 * len(orbit) + 6, cert["layers"], "the witness", orbit, fast=True)
    if "proof" in obj:
        p = _fields(obj["proof"], "proof", ("chain", "cuts"))
        chain = []
        for j, step in enumerate(_list(p["chain"], "proof.chain")):
            at = f"proof.chain[{j}]"
            _fields(step, at, ("cuts", "bound"))
            chain.append((_rationals(step["cuts"], f"{at}.cuts"),
                          tuple(_rationals(step["bound"], f"{at}.bound", length=2, infinite_ok=True))))
        cert["proof"] = {"chain": chain, "cuts": _rationals(p["cuts"], "proof.cuts")}
        # about one new evaluation per chain piece and n per final piece for a proof about f^n (exact.Net)
        n = int(claim[2]) if claim[2] else 2 * len(cert["witness"]["orbit"]) or 1
        require_work(sum(len(cuts) + 1 for cuts, _ in chain) + n * (len(cert["proof"]["cuts"]) + 1), cert["layers"],
                     "the proof", [*cert["proof"]["cuts"], *(c for cuts, _ in chain for c in cuts)], fast=True)
    return cert
