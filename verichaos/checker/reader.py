"""Reading: exact numbers, JSON, networks and the structure of certificates.

Everything here answers "is this a well-formed file?" (docs/formats.md,
docs/certificates.md); a failure raises ``Malformed`` (exit 3).
"""

import hashlib
import json
import re
from fractions import Fraction
from math import lcm

MAX_DIGITS = 10_000           # digits in one number's text (formats.md)
MAX_EXPONENT = 10_000         # |decimal exponent| (formats.md)
MAX_FILE_BYTES = 64 * 2**20   # larger files are refused unread
_CHUNK = 600                  # int <-> str by pieces, below any sys.set_int_max_str_digits (>= 640)
_MAX_TEXT = MAX_DIGITS + 4    # longest text with MAX_DIGITS digits: sign, '.', 'e', exponent sign
_RATIO = re.compile(r"([+-]?)([0-9]+)/([0-9]+)")
_DECIMAL = re.compile(r"([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?")
LI_YORKE_CASES = ("d<=a<b<c", "d>=a>b>c")


class Malformed(Exception):
    """The input is not a well-formed file of a known format and version (exit 3)."""


class JsonNumber:
    """A JSON number literal kept as its text, so that it never goes through float."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def _kind(value):
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", JsonNumber: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


# ---------------------------------------------------------------- numbers

def _to_int(digits):
    """int() of ASCII digits, by pieces: int() alone refuses more than 4300 digits."""
    n = 0
    for i in range(0, len(digits), _CHUNK):
        n = n * 10 ** len(digits[i:i + _CHUNK]) + int(digits[i:i + _CHUNK])
    return n


def _int_str(n):
    """str() of an int, by pieces, for the same reason."""
    if n < 0:
        return "-" + _int_str(-n)
    parts, base = [], 10 ** _CHUNK
    while n >= base:
        n, r = divmod(n, base)
        parts.append(str(r).zfill(_CHUNK))
    return str(n) + "".join(reversed(parts))


def canon(r):
    """The canonical spelling of a rational: reduced "p/q" with q > 1, or "p"."""
    return _int_str(r.numerator) + ("" if r.denominator == 1 else "/" + _int_str(r.denominator))


def rational_from_text(text, where):
    """The exact value of a number's text (grammar and limits of formats.md)."""
    # Length first: a 10^6-digit number is refused before any conversion.
    if len(text) > _MAX_TEXT:
        raise Malformed(f"{where}: text too long for a number ({len(text)} characters; at most {MAX_DIGITS} digits)")
    if sum(ch in "0123456789" for ch in text) > MAX_DIGITS:
        raise Malformed(f"{where}: number has more than {MAX_DIGITS} digits")
    m = _RATIO.fullmatch(text)
    if m:
        if _to_int(m[3]) == 0:
            raise Malformed(f"{where}: {text!r} has denominator 0")
        return Fraction(_to_int(m[2]), _to_int(m[3])) * (-1 if m[1] == "-" else 1)
    m = _DECIMAL.fullmatch(text)
    if not m:
        if text.strip("+-").lower() in ("nan", "inf", "infinity"):
            raise Malformed(f"{where}: {text!r}: NaN and infinities are refused")
        raise Malformed(f"{where}: {text!r} is not a number (integer, p/q or decimal)")
    sign, whole, frac, only_frac, exp = m.groups()
    frac = frac or only_frac or ""
    e = _to_int(exp.lstrip("+-")) * (-1 if exp[0] == "-" else 1) if exp else 0
    if abs(e) > MAX_EXPONENT:
        raise Malformed(f"{where}: {text!r} has an exponent beyond +-{MAX_EXPONENT}")
    value = Fraction(_to_int((whole or "") + frac)) * Fraction(10) ** (e - len(frac))
    return -value if sign == "-" else value


def number(value, where, canonical):
    """A rational from a JSON value; canonical=True demands the canonical string spelling."""
    if isinstance(value, (JsonNumber, str)):
        text = value if isinstance(value, str) else value.text
    elif type(value) is int and value.bit_length() <= 4 * MAX_DIGITS:  # from a caller's json.loads
        text = _int_str(value)
    elif isinstance(value, float):
        raise Malformed(f"{where}: {value!r} is a binary float, not an exact number")
    else:
        raise Malformed(f"{where}: expected a number, got {_kind(value)}")
    r = rational_from_text(text, where)
    if canonical and (not isinstance(value, str) or text != canon(r)):
        raise Malformed(f"{where}: {text!r} is not in canonical spelling (expected the string {canon(r)!r})")
    return r


# ---------------------------------------------------------------- JSON

def _number_hook(text):
    # json passes the literal's text: keep it as text; refuse a giant at once.
    if len(text) > _MAX_TEXT:
        raise Malformed(f"a number has more than {MAX_DIGITS} digits")
    return JsonNumber(text)


def _constant_hook(name):
    raise Malformed(f"{name} is refused: every number must be a finite rational")


def _object_hook(pairs):
    # Duplicate keys would let two readers see two different files: refuse them.
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise Malformed(f"duplicate key {key!r}")
        obj[key] = value
    return obj


def load_json(data, what):
    """Parse JSON text (bytes or str) with exact numbers; Malformed on any problem."""
    if len(data) > MAX_FILE_BYTES:
        raise Malformed(f"{what} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text, parse_int=_number_hook, parse_float=_number_hook,
                          parse_constant=_constant_hook, object_pairs_hook=_object_hook)
    except UnicodeDecodeError:
        raise Malformed(f"{what} is not UTF-8 text") from None
    except Malformed as e:
        raise Malformed(f"{what}: {e}") from None
    except json.JSONDecodeError as e:
        raise Malformed(f"{what} is not valid JSON: {e}") from None
    except RecursionError:
        raise Malformed(f"{what} is nested too deeply") from None


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


def _check_header(obj, fmt, what):
    """Known format and version 1 (the JSON integer, not 1.0, "1" or true) come first."""
    if not isinstance(obj, dict):
        raise Malformed(f"{what}: expected a JSON object, got {_kind(obj)}")
    if obj.get("format") != fmt:
        raise Malformed(f"{what}: not a {fmt.replace('-', ' ')} (format must be {fmt!r})")
    version = obj.get("version")
    if not ((isinstance(version, JsonNumber) and version.text == "1")
            or (type(version) is int and version == 1)):
        raise Malformed(f"{what}: unknown version (only version 1 is known)")


# ---------------------------------------------------------------- networks

NOT_PIECEWISE_LINEAR = {"tanh", "sigmoid", "gelu", "softplus", "elu", "selu", "celu", "silu", "swish",
                        "mish", "softsign", "logsigmoid", "tanhshrink", "hardswish", "softmax", "exp", "sin"}
SUPPORTED = "relu, identity, abs, leaky_relu, hardtanh (clip)"
_DEFAULTS = {"leaky_relu": {"alpha": Fraction(1, 100)}, "hardtanh": {"min": Fraction(-1), "max": Fraction(1)}}


class Layer:
    """z = weight . h + bias, then the activation, elementwise.

    activation is ("relu",), ("identity",), ("abs",), ("leaky_relu", alpha) or
    ("hardtanh", min, max).  rows / row_den: each weight row as integers over one
    denominator, for fast exact evaluation.
    """

    def __init__(self, weight, bias, activation):
        self.weight, self.bias, self.activation = weight, bias, activation
        self.row_den = [lcm(*(w.denominator for w in row)) for row in weight]
        self.rows = [[w.numerator * (d // w.denominator) for w in row]
                     for row, d in zip(weight, self.row_den)]


def parse_activation(spec, where, canonical):
    """An activation tuple; canonical=True accepts only the canonical form (formats.md)."""
    if isinstance(spec, str):
        name, params = spec, {}
    elif isinstance(spec, dict) and isinstance(spec.get("name"), str):
        name, params = spec["name"], {k: v for k, v in spec.items() if k != "name"}
    else:
        raise Malformed(f"{where}: expected an activation name or an object with a 'name'")
    if name.lower() in NOT_PIECEWISE_LINEAR:
        raise Malformed(f"{where}: activation {name!r} is not piecewise linear, so f is not a piecewise-"
                        f"linear map and cannot be certified exactly (supported: {SUPPORTED})")
    if name == "clip":  # a synonym, not the canonical name
        if canonical:
            raise Malformed(f"{where}: the canonical name of clip is 'hardtanh'")
        name = "hardtanh"
    if name in ("relu", "identity", "abs"):
        if params or (canonical and not isinstance(spec, str)):
            raise Malformed(f"{where}: {name} takes no parameters (canonical form: the string {name!r})")
        return (name,)
    if name not in _DEFAULTS:
        raise Malformed(f"{where}: unknown activation {name!r} (supported: {SUPPORTED})")
    defaults = _DEFAULTS[name]
    if canonical and (isinstance(spec, str) or set(params) != set(defaults)):
        raise Malformed(f"{where}: the canonical form of {name} is an object with 'name', "
                        + " and ".join(map(repr, sorted(defaults))))
    for key in params:
        if key not in defaults:
            raise Malformed(f"{where}: {name} has no parameter {key!r}")
    v = {k: number(params[k], f"{where}.{k}", canonical) if k in params else d for k, d in defaults.items()}
    if name == "leaky_relu":
        return ("leaky_relu", v["alpha"])
    if not v["min"] < v["max"]:
        raise Malformed(f"{where}: hardtanh needs min < max")
    return ("hardtanh", v["min"], v["max"])


def parse_network(obj, where, canonical):
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
        weight = [[number(w, f"{at}.weight[{i}][{j}]", canonical)  # in = previous layer's out
                   for j, w in enumerate(_list(row, f"{at}.weight[{i}]", fan_in))]
                  for i, row in enumerate(rows)]
        bias = [number(b, f"{at}.bias[{i}]", canonical)
                for i, b in enumerate(_list(spec["bias"], f"{at}.bias", len(rows)))]
        activation = parse_activation(spec["activation"], f"{at}.activation", canonical)
        layers.append(Layer(weight, bias, activation))
        fan_in = len(rows)
    if fan_in != 1:
        raise Malformed(f"{where}: the last layer has {fan_in} outputs, not 1")
    return layers


def network_sha256(layers):
    """SHA-256 of the canonical serialization (formats.md; metadata left out)."""
    def act(a):
        if a[0] == "leaky_relu":
            return {"alpha": canon(a[1]), "name": "leaky_relu"}
        return {"max": canon(a[2]), "min": canon(a[1]), "name": "hardtanh"} if a[0] == "hardtanh" else a[0]
    text = json.dumps({"format": "verichaos-network", "version": 1,
                       "layers": [{"weight": [[canon(w) for w in row] for row in layer.weight],
                                   "bias": [canon(b) for b in layer.bias],
                                   "activation": act(layer.activation)}
                                  for layer in layers]},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- certificates

def _rationals(values, where, length=None, infinite_ok=False):
    return [None if v is None and infinite_ok else number(v, f"{where}[{i}]", True)
            for i, v in enumerate(_list(values, where, length))]


def parse_certificate(obj):
    """The fields of a certificate as a dict; checks the structure only, never the claim."""
    _check_header(obj, "verichaos-certificate", "certificate")
    _fields(obj, "certificate", ("format", "version", "network", "network_sha256", "claim", "statement",
                                 "consequences"), ("witness", "proof", "tool", "statistics"))
    cert = {"layers": parse_network(obj["network"], "network", canonical=True)}
    if not (isinstance(obj["network_sha256"], str) and re.fullmatch(r"[0-9a-f]{64}", obj["network_sha256"])):
        raise Malformed("network_sha256: expected 64 lowercase hex digits")
    if obj["claim"] not in ("period-3", "no-period-3") or not isinstance(obj["claim"], str):
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
    if "witness" in obj:
        w = _fields(obj["witness"], "witness", ("orbit", "li_yorke"))
        ly = _fields(w["li_yorke"], "witness.li_yorke", ("a", "case"))
        if ly["case"] not in LI_YORKE_CASES:
            raise Malformed(f"witness.li_yorke.case: expected {' or '.join(map(repr, LI_YORKE_CASES))}")
        cert["witness"] = {"orbit": _rationals(w["orbit"], "witness.orbit", 3), "case": ly["case"],
                           "a": number(ly["a"], "witness.li_yorke.a", True)}
    else:
        p = _fields(obj["proof"], "proof", ("chain", "cuts"))
        chain = []
        for j, step in enumerate(_list(p["chain"], "proof.chain")):
            at = f"proof.chain[{j}]"
            _fields(step, at, ("cuts", "bound"))
            chain.append((_rationals(step["cuts"], f"{at}.cuts"),
                          tuple(_rationals(step["bound"], f"{at}.bound", 2, infinite_ok=True))))
        cert["proof"] = {"chain": chain, "cuts": _rationals(p["cuts"], "proof.cuts")}
    return cert
