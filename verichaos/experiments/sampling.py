"""Drawing the networks of a run: one fixed random stream per trial, exact conversion.

Trial i of a run with seed S draws from its own generator,

    numpy.random.default_rng(numpy.random.SeedSequence(S, spawn_key=(i,)))

which is the i-th child of ``SeedSequence(S).spawn(...)``. So trial i yields
the same network whatever the number of workers, the backend, the order in
which trials run or whether the run was resumed.

:func:`sample_chunk` draws the same numbers for many trials at once, about
twice as fast (docs/performance.md): numpy's SeedSequence hashing (O'Neill's ``seed_seq``
design, ``numpy/random/bit_generator.pyx``) mixes the run's entropy words,
which are the same for every trial, before the trial's own spawn word, so the
mixed constants are computed once per run and only the last mixing round and
the state words are computed per trial, vectorized in uint32 arithmetic
(which wraps mod 2³², as numpy's does). PCG64 is then seeded exactly as
``pcg64_set_seed`` does (state 0, inc = 2·s₁ + 1, one LCG step, add s₀, one
step) and one reused generator draws. The test suite checks the draws
against :func:`trial_generator` bit for bit; indices ≥ 2³² and seeds ≥ 2¹²⁸
take the plain path.

Within a trial the draws are taken layer by layer, the weight matrix
(n_out × n_in, C order) then the bias vector, each from its initializer
(:mod:`verichaos.experiments.families`; a constant consumes no randomness).
The float64 samples are then converted exactly: the network's rationals are
the binary values of those floats (:meth:`verichaos.network.Network.from_arrays`).
:func:`exact_network` builds the same network without re-validating what the
family already guarantees (shapes, finite floats, parsed activations), and
:func:`network_sha256` gives its hash straight from the floats, for nets that
never need their rationals (a float's exact value p/2^e is
``float.as_integer_ratio``, reduced, which is how ``mpq`` spells it too).

>>> from verichaos.experiments.families import builtin_family
>>> net = sample_network(builtin_family("row1"), width=2, seed=7, index=3)
>>> net == sample_network(builtin_family("row1"), width=2, seed=7, index=3), net.widths
(True, (2,))
"""

from __future__ import annotations

import hashlib
import math
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from gmpy2 import mpq

from verichaos.experiments.families import Family
from verichaos.network import FORMAT, VERSION, Activation, Layer, Network, parse_activation

__all__ = ["FloatNetwork", "trial_generator", "sample_arrays", "exact_network", "provenance", "sample_network", "network_sha256", "sample_chunk", "exact_from_arrays"]


def trial_generator(seed: int, index: int) -> np.random.Generator:
    """The generator of trial ``index`` of a run with seed ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))


@dataclass(frozen=True)
class FloatNetwork:
    """The float64 parameters of one sampled network, layer by layer."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]


def sample_arrays(family: Family, width: int, seed: int, index: int) -> FloatNetwork:
    """The float64 weights and biases of trial ``index``."""
    return _draw(family, width, trial_generator(seed, index))


_MASK = 0xFFFFFFFF
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_LEFT, _MIX_RIGHT = 0xCA01F9DD, 0x4973F715
_PCG_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_POOL = 4


def _words(value: int) -> list[int]:
    words = [value & _MASK]
    while value >> 32:
        value >>= 32
        words.append(value & _MASK)
    return words


def _hash_constants(start: int, multiplier: int, count: int) -> list[int]:
    """The hash constant after each of ``count`` uses (it advances independently of the data)."""
    constants, h = [], start
    for _ in range(count):
        h = (h * multiplier) & _MASK
        constants.append(h)
    return constants


def _hashmix(value, before: int, after: int):
    value = ((value ^ before) * after) & _MASK
    return value ^ (value >> 16)


def _mix(x, y):
    result = (_MIX_LEFT * x - _MIX_RIGHT * y) & _MASK
    return result ^ (result >> 16)


def _run_constants(seed: int) -> tuple[list[int], list[tuple[int, int]]] | None:
    """The pool mixed from the run's entropy alone, and the hash constants the spawn word will meet."""
    entropy = _words(seed)
    if len(entropy) > _POOL:
        return None
    entropy += [0] * (_POOL - len(entropy))
    uses = _POOL + _POOL * (_POOL - 1) + _POOL
    after = _hash_constants(_INIT_A, _MULT_A, uses)
    before = [_INIT_A, *after[:-1]]
    pool = [_hashmix(entropy[i], before[i], after[i]) for i in range(_POOL)]
    use = _POOL
    for source in range(_POOL):
        for target in range(_POOL):
            if source != target:
                pool[target] = _mix(pool[target], _hashmix(pool[source], before[use], after[use]))
                use += 1
    return pool, [(before[use + t], after[use + t]) for t in range(_POOL)]


def _pcg_states(constants: tuple[list[int], list[tuple[int, int]]], indices: np.ndarray) -> list[tuple[int, int]]:
    """(state, inc) of PCG64 seeded from SeedSequence(seed, spawn_key=(i,)) for each index,
    from the run's ``_run_constants(seed)``."""
    mixed, spawn_hashes = constants
    spawn = indices.astype(np.uint64)
    pool = [
        _mix(np.uint64(mixed[t]), _hashmix(spawn, np.uint64(spawn_hashes[t][0]), np.uint64(spawn_hashes[t][1])))
        for t in range(_POOL)
    ]
    after = _hash_constants(_INIT_B, _MULT_B, 2 * _POOL)
    before = [_INIT_B, *after[:-1]]
    words = [_hashmix(pool[t % _POOL], np.uint64(before[t]), np.uint64(after[t])).astype(object) for t in range(2 * _POOL)]
    states = []
    for w in zip(*words):
        s0, s1 = w[0] | w[1] << 32, w[2] | w[3] << 32
        i0, i1 = w[4] | w[5] << 32, w[6] | w[7] << 32
        state_seed, increment = (s0 << 64 | s1), ((i0 << 64 | i1) << 1 | 1) & (2**128 - 1)
        state = ((increment + state_seed) * _PCG_MULTIPLIER + increment) & (2**128 - 1)  # 0 steps to inc
        states.append((state, increment))
    return states


def sample_chunk(family: Family, width: int, seed: int, indices: Sequence[int]) -> list[FloatNetwork]:
    """``[sample_arrays(family, width, seed, i) for i in indices]``, bit for bit, faster (module docstring)."""
    fast = [i for i in indices if 0 <= i < 2**32]
    constants = _run_constants(seed) if seed >= 0 and len(fast) == len(indices) else None
    if constants is None:  # numpy's own path, and its errors
        return [sample_arrays(family, width, seed, i) for i in indices]
    bits = np.random.PCG64()
    rng = np.random.Generator(bits)
    plan = _normal_plan(family, width)
    samples = []
    for state, increment in _pcg_states(constants, np.array(fast, dtype=np.uint64)):
        bits.state = {"bit_generator": "PCG64", "state": {"state": state, "inc": increment}, "has_uint32": 0, "uinteger": 0}
        samples.append(_draw(family, width, rng) if plan is None else _draw_normals(plan, rng))
    return samples


def _fans(family: Family, width: int) -> list[tuple[tuple[int, int], dict[str, int]]]:
    """Each layer's (n_out, n_in) and the divisors its initializers may name."""
    return [((n_out, n_in), {"1": 1, "n_in": n_in, "n_out": n_out, "n_in+n_out": n_in + n_out, "k": width})
            for n_out, n_in in family.layer_shapes(width)]


def _draw(family: Family, width: int, rng: np.random.Generator) -> FloatNetwork:
    weights, biases = [], []
    for spec, (shape, fans) in zip(family.layers, _fans(family, width)):
        weights.append(spec.weight.draw(rng, shape, fans, family.parameters))
        biases.append(spec.bias.draw(rng, shape[:1], fans, family.parameters))
    return FloatNetwork(tuple(weights), tuple(biases))


def _normal_plan(family: Family, width: int) -> list[tuple[tuple[int, ...], float, bool]] | None:
    """When every initializer is a constant or an untruncated normal, the draws of a trial in order as
    (shape, σ or the constant, whether constant); else None. Consecutive ``standard_normal`` calls read
    the stream in order, so one call for the whole trial gives the same numbers (tested)."""
    plan = []
    for spec, (shape, fans) in zip(family.layers, _fans(family, width)):
        for initializer, part in ((spec.weight, shape), (spec.bias, shape[:1])):
            if initializer.kind == "constant":
                plan.append((part, initializer.constant(family.parameters), True))
            elif initializer.kind == "normal" and not initializer.truncate:
                plan.append((part, initializer.normal_scale(fans, family.parameters), False))
            else:
                return None
    return plan


def _draw_normals(plan: list[tuple[tuple[int, ...], float, bool]], rng: np.random.Generator) -> FloatNetwork:
    normals = rng.standard_normal(sum(math.prod(shape) for shape, _, constant in plan if not constant))
    arrays, start = [], 0
    for shape, scale, constant in plan:
        if constant:
            arrays.append(np.full(shape, scale, dtype=np.float64))
        else:
            size = math.prod(shape)
            arrays.append(normals[start : start + size].reshape(shape) * scale)
            start += size
    return FloatNetwork(tuple(arrays[0::2]), tuple(arrays[1::2]))


def exact_network(family: Family, arrays: FloatNetwork, metadata: dict[str, object] | None = None) -> Network:
    """The network whose rationals are exactly the binary values of ``arrays``."""
    return exact_from_arrays(arrays, [spec.activation for spec in family.layers], metadata)


def exact_from_arrays(arrays: FloatNetwork, activations: Sequence[object], metadata: dict[str, object] | None = None) -> Network:
    """``Network.from_arrays(arrays.weights, arrays.biases, activations, metadata)``, the
    same network (tested), without its parsing when the arrays are finite numbers
    of consistent shapes; anything else takes the parsing path, which names the problem."""
    weights, biases = arrays.weights, arrays.biases
    fan_in, consistent = 1, len(weights) == len(biases) == len(activations) > 0
    for weight, bias in zip(weights, biases):
        consistent = consistent and weight.ndim == 2 and weight.shape[1] == fan_in and bias.shape == (weight.shape[0],)
        consistent = consistent and weight.dtype.kind in "fiu" and bias.dtype.kind in "fiu"
        consistent = consistent and bool(np.isfinite(weight).all() and np.isfinite(bias).all())
        fan_in = weight.shape[0] if weight.ndim == 2 else -1
    if not (consistent and fan_in == 1):
        return Network.from_arrays(weights, biases, activations, metadata)
    layers = tuple(
        Layer(tuple(tuple(_exact(w) for w in row) for row in weight.tolist()), tuple(_exact(b) for b in bias.tolist()), parse_activation(activation))
        for weight, bias, activation in zip(weights, biases, activations)
    )
    plain = {key: dict(value) if isinstance(value, dict) else value for key, value in (metadata or {}).items()}
    return Network(layers, plain)


def _exact(value: float) -> mpq:
    """The float's exact value: p/2^e from ``float.as_integer_ratio``, 2.7x faster than ``mpq(float)``
    and the same rational (tested)."""
    return mpq(*value.as_integer_ratio())  # float ok: exact, the float's own value


def _spelling(value: float) -> str:
    numerator, denominator = value.as_integer_ratio()  # float ok: exact, the float's own value
    return str(numerator) if denominator == 1 else f"{numerator}/{denominator}"


def _layer_text(activation: str, weight: np.ndarray, bias: np.ndarray) -> str:
    rows = ",".join("[" + ",".join(f'"{_spelling(w)}"' for w in row) + "]" for row in weight.tolist())
    return '{"activation":' + activation + ',"bias":[' + ",".join(f'"{_spelling(b)}"' for b in bias.tolist()) + '],"weight":[' + rows + "]}"


@lru_cache(maxsize=64)
def _activation_text(activation: Activation) -> str:
    return json.dumps(activation.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def network_sha256(family: Family, arrays: FloatNetwork) -> str:
    """``exact_network(family, arrays).sha256``, from the floats: the same canonical
    JSON text (keys sorted, no spaces; the spellings need no escaping), written directly."""
    try:
        layers = ",".join(
            _layer_text(_activation_text(spec.activation), w, b)
            for spec, w, b in zip(family.layers, arrays.weights, arrays.biases, strict=True)
        )
    except (OverflowError, ValueError):  # an infinite or NaN float: the exact path refuses it, naming it
        return exact_network(family, arrays).sha256
    text = '{"format":' + json.dumps(FORMAT) + ',"layers":[' + layers + '],"version":' + str(VERSION) + "}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def provenance(family: Family, width: int, seed: int, index: int) -> dict[str, object]:
    """Network metadata saying which trial of which run drew it."""
    metadata: dict[str, object] = {"family": family.name, "width": width, "seed": seed, "index": index}
    if family.parameters:
        metadata["parameters"] = dict(family.parameters)
    return metadata


def sample_network(family: Family, width: int, seed: int, index: int) -> Network:
    """Trial ``index`` as an exact :class:`Network`, with its :func:`provenance` as metadata."""
    return exact_network(family, sample_arrays(family, width, seed, index), provenance(family, width, seed, index))
