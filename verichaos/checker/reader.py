"""Reading: exact numbers, JSON, networks and the structure of certificates.

Everything here answers "is this a well-formed file?" (docs/formats.md,
docs/certificates.md); a failure raises ``Malformed`` (exit 3).
"""

import hashlib
import json
import re
from decimal import Decimal
from fractions import Fraction
from math import lcm

MAX_DIGITS = 10_000           # digits in one number's text (formats.md)
MAX_EXPONENT = 10_000         # |decimal exponent| (formats.md)
MAX_FILE_BYTES = 64 * 2**20   # larger files are refused unread
_MAX_TEXT = MAX_DIGITS + 4    # longest text with MAX_DIGITS digits: sign, '.', 'e', exponent sign
_RATIO = re.compile(r"([+-]?[0-9]+)/([0-9]+)")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?")
LI_YORKE_CASES = ("d<=a<b<c", "d>=a>b>c")


class Malformed(Exception):
    """The input is not a well-formed file of a known format and version (exit 3)."""


def _kind(value):
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             int: "a number", Fraction: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


# ---------------------------------------------------------------- numbers
# int() and str() refuse ints of more than 4300 digits; Decimal converts any size, exactly.

def canon(r):
    """The canonical spelling of a rational: reduced "p/q" with q > 1, or "p"."""
    return str(Decimal(r.numerator)) + ("" if r.denominator == 1 else f"/{Decimal(r.denominator)}")


def rational_from_text(text, where):
    """The exact value of a number's text (grammar and limits of formats.md)."""
    # Length first: a 10^6-digit number is refused before any conversion.
    if len(text) > _MAX_TEXT or sum(ch in "0123456789" for ch in text) > MAX_DIGITS:
        raise Malformed(f"{where}: number has more than {MAX_DIGITS} digits")
    m = _RATIO.fullmatch(text)
    if m:
        p, q = int(Decimal(m[1])), int(Decimal(m[2]))
        if q == 0:
            raise Malformed(f"{where}: {text!r} has denominator 0")
        return Fraction(p, q)
    m = _DECIMAL.fullmatch(text)  # before Decimal(), which also takes "1_0", "NaN", " 1"
    if not m:
        if text.strip("+-").lower() in ("nan", "inf", "infinity"):
            raise Malformed(f"{where}: {text!r}: NaN and infinities are refused")
        raise Malformed(f"{where}: {text!r} is not a number (integer, p/q or decimal)")
    if m[1] and abs(int(Decimal(m[1]))) > MAX_EXPONENT:
        raise Malformed(f"{where}: {text!r} has an exponent beyond +-{MAX_EXPONENT}")
    return Fraction(Decimal(text))


def number(value, where, canonical):
    """A rational from a JSON value; canonical=True demands a string in canonical spelling."""
    if isinstance(value, str):
        r = rational_from_text(value, where)
        if canonical and value != canon(r):
            raise Malformed(f"{where}: {value!r} is not in canonical spelling (expected the string {canon(r)!r})")
        return r
    if type(value) in (int, Fraction):  # a number literal, read exactly (a bool is no number)
        if canonical:
            raise Malformed(f"{where}: the number literal {canon(Fraction(value))} is not in canonical spelling "
                            f"(expected the string {canon(Fraction(value))!r})")
        return Fraction(value)
    if isinstance(value, float):  # only from a caller's json.loads
        raise Malformed(f"{where}: {value!r} is a binary float, not an exact number")
    raise Malformed(f"{where}: expected a number, got {_kind(value)}")


# ---------------------------------------------------------------- JSON and files

def load_json(data, what):
    """Parse JSON text (bytes or str) with exact numbers, Malformed on any problem; anything else is
    taken as already parsed (as json.loads gives it: ints are exact, floats will be refused)."""
    def literal(text):  # json passes a number literal's text: its exact value, never a float
        return rational_from_text(text, "a number literal")

    def constant(name):
        raise Malformed(f"{name} is refused: every number must be a finite rational")

    def unique_keys(pairs):  # duplicate keys would let two readers see two different files
        obj = {}
        for key, value in pairs:
            if key in obj:
                raise Malformed(f"duplicate key {key!r}")
            obj[key] = value
        return obj

    if not isinstance(data, (str, bytes)):
        return data
    if len(data) > MAX_FILE_BYTES:
        raise Malformed(f"{what} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text, parse_int=lambda t: int(literal(t)), parse_float=literal,
                          parse_constant=constant, object_pairs_hook=unique_keys)
    except UnicodeDecodeError:
        raise Malformed(f"{what} is not UTF-8 text") from None
    except Malformed as e:
        raise Malformed(f"{what}: {e}") from None
    except json.JSONDecodeError as e:
        raise Malformed(f"{what} is not valid JSON: {e}") from None
    except RecursionError:
        raise Malformed(f"{what} is nested too deeply") from None


def read_file(path, what):
    """The bytes of a file, one more than the size limit at most (load_json refuses those)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise Malformed(f"cannot read {what} {path}: {e.strerror or e}") from None


def _fields(obj, where, required, optional=()):
    """obj must be an object with all the required keys and no others than the optional ones."""
    if not isinstance(obj, dict):
        raise Malformed(f"{where}: expected an object, got {_kind(obj)}")
    for key in obj:
        if key not in required and key not in optional:
            raise Malformed(f"{where}: unknown field {key!r}")
    for key in required:
        if key not in obj:
            raise Malformed(f"{where}: missing field {key!r}")
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


def _check_header(obj, fmt, what):
    """Known format and version 1 (the JSON integer, not 1.0, "1" or true) come first."""
    if not isinstance(obj, dict):
        raise Malformed(f"{what}: expected a JSON object, got {_kind(obj)}")
    if obj.get("format") != fmt:
        raise Malformed(f"{what}: not a {fmt.replace('-', ' ')} (format must be {fmt!r})")
    version = obj.get("version")
    if not (type(version) is int and version == 1):
        raise Malformed(f"{what}: unknown version (only version 1 is known)")


# ---------------------------------------------------------------- networks

NOT_PIECEWISE_LINEAR = {"tanh", "sigmoid", "gelu", "softplus", "elu", "selu", "celu", "silu", "swish",
                        "mish", "softsign", "logsigmoid", "tanhshrink", "hardswish", "softmax", "exp", "sin"}
SUPPORTED = "relu, identity, abs, leaky_relu, hardtanh (clip)"
# Each activation's parameters, in the order of its tuple, with their defaults (formats.md).
PARAMETERS = {"relu": {}, "identity": {}, "abs": {}, "leaky_relu": {"alpha": Fraction(1, 100)},
              "hardtanh": {"min": Fraction(-1), "max": Fraction(1)}}


class Layer:
    """z = weight . h + bias, then the activation, elementwise.

    activation is ("relu",), ("identity",), ("abs",), ("leaky_relu", alpha) or
    ("hardtanh", min, max). For fast exact evaluation the layer also holds its
    entries as integers over one denominator (weight = W / den, bias = B / den)
    and its thresholds, where the activation's closed pieces meet, as pairs
    (numerator, denominator).
    """

    def __init__(self, weight, bias, activation):
        self.weight, self.bias, self.activation = weight, bias, activation
        self.den = lcm(*(v.denominator for v in [*bias, *(w for row in weight for w in row)]))
        self.W = [[int(w * self.den) for w in row] for row in weight]
        self.B = [int(b * self.den) for b in bias]
        ts = {"identity": (), "hardtanh": activation[1:]}.get(activation[0], (Fraction(0),))
        self.thresholds = [(t.numerator, t.denominator) for t in ts]


def parse_activation(spec, where, canonical, smooth=False):
    """An activation tuple; canonical=True accepts only the canonical form (formats.md)."""
    if smooth and spec in ("tanh", "sigmoid"):  # interval certificates only (interval.py)
        return (spec,)
    if isinstance(spec, str):
        name, params = spec, {}
    elif isinstance(spec, dict) and isinstance(spec.get("name"), str):
        name, params = spec["name"], {k: v for k, v in spec.items() if k != "name"}
    else:
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
    _check_header(obj, "verichaos-network", where)
    _fields(obj, where, ("format", "version", "layers"), ("metadata",))  # metadata: free-form
    specs = _list(obj["layers"], f"{where}.layers")
    if not specs:
        raise Malformed(f"{where}.layers: a network needs at least one layer")
    layers, fan_in = [], 1  # the first layer has in = 1
    for k, spec in enumerate(specs):
        at = f"{where}.layers[{k}]"
        _fields(spec, at, ("weight", "bias", "activation"))
        rows = _list(spec["weight"], f"{at}.weight")
        if not rows:
            raise Malformed(f"{at}.weight: a layer needs at least one neuron")
        weight = [_rationals(row, f"{at}.weight[{i}]", canonical, fan_in) for i, row in enumerate(rows)]
        bias = _rationals(spec["bias"], f"{at}.bias", canonical, len(rows))
        layers.append(Layer(weight, bias, parse_activation(spec["activation"], f"{at}.activation", canonical, smooth)))
        fan_in = len(rows)
    if fan_in != 1:
        raise Malformed(f"{where}: the last layer has {fan_in} outputs, not 1")
    return layers


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


# ---------------------------------------------------------------- certificates

def parse_certificate(obj):
    """The fields of a certificate as a dict; checks the structure only, never the claim."""
    _check_header(obj, "verichaos-certificate", "certificate")
    _fields(obj, "certificate", ("format", "version", "network", "network_sha256", "claim", "statement",
                                 "consequences"), ("witness", "proof", "tool", "statistics"))
    interval = any(isinstance(obj.get(k), dict) and obj[k].get("kind") == "interval" for k in ("witness", "proof"))
    cert = {"layers": parse_network(obj["network"], "network", canonical=True, smooth=interval), "interval": interval}
    if not (isinstance(obj["network_sha256"], str) and re.fullmatch(r"[0-9a-f]{64}", obj["network_sha256"])):
        raise Malformed("network_sha256: expected 64 lowercase hex digits")
    if not isinstance(obj["claim"], str) or obj["claim"] not in ("period-3", "no-period-3"):
        raise Malformed("claim: expected 'period-3' or 'no-period-3'")
    if not isinstance(obj["statement"], str):
        raise Malformed(f"statement: expected a string, got {_kind(obj['statement'])}")
    if not all(isinstance(c, str) for c in _list(obj["consequences"], "consequences")):
        raise Malformed("consequences: expected a list of strings")
    for key in ("network_sha256", "claim", "statement", "consequences"):
        cert[key] = obj[key]
    # Exactly one of witness and proof is structure; which one the claim needs is a check (REJECTED).
    if ("witness" in obj) == ("proof" in obj):
        raise Malformed("a certificate carries exactly one of 'witness' and 'proof'")
    if interval:  # interval.py reads and checks its own fields (it builds on this module)
        from .interval import parse_interval
        return {**cert, **parse_interval(obj)}
    if "witness" in obj:
        w = _fields(obj["witness"], "witness", ("orbit", "li_yorke"))
        ly = _fields(w["li_yorke"], "witness.li_yorke", ("a", "case"))
        if ly["case"] not in LI_YORKE_CASES:
            raise Malformed(f"witness.li_yorke.case: expected {' or '.join(map(repr, LI_YORKE_CASES))}")
        cert["witness"] = {"orbit": _rationals(w["orbit"], "witness.orbit", length=3), "case": ly["case"],
                           "a": number(ly["a"], "witness.li_yorke.a", True)}
    else:
        p = _fields(obj["proof"], "proof", ("chain", "cuts"))
        chain = []
        for j, step in enumerate(_list(p["chain"], "proof.chain")):
            at = f"proof.chain[{j}]"
            _fields(step, at, ("cuts", "bound"))
            chain.append((_rationals(step["cuts"], f"{at}.cuts"),
                          tuple(_rationals(step["bound"], f"{at}.bound", length=2, infinite_ok=True))))
        cert["proof"] = {"chain": chain, "cuts": _rationals(p["cuts"], "proof.cuts")}
    return cert
