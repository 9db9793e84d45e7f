"""Drawing the networks of a run: one fixed random stream per trial, exact conversion.

Trial i of a run with seed S draws from its own generator,

    numpy.random.default_rng(numpy.random.SeedSequence(S, spawn_key=(i,)))

which is the i-th child of ``SeedSequence(S).spawn(...)``. So trial i yields
the same network whatever the number of workers, the backend, the order in
which trials run or whether the run was resumed.

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

from dataclasses import dataclass

import hashlib
import json
import math

import numpy as np
from gmpy2 import mpq

from verichaos.experiments.families import Family
from verichaos.network import FORMAT, VERSION, Layer, Network

__all__ = ["FloatNetwork", "trial_generator", "sample_arrays", "exact_network", "provenance", "sample_network", "network_sha256"]


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
    rng = trial_generator(seed, index)
    weights, biases = [], []
    for spec, (n_out, n_in) in zip(family.layers, family.layer_shapes(width)):
        fans = {"1": 1, "n_in": n_in, "n_out": n_out, "n_in+n_out": n_in + n_out, "k": width}
        weights.append(spec.weight.draw(rng, (n_out, n_in), fans, family.parameters))
        biases.append(spec.bias.draw(rng, (n_out,), fans, family.parameters))
    return FloatNetwork(tuple(weights), tuple(biases))


def exact_network(family: Family, arrays: FloatNetwork, metadata: dict[str, object] | None = None) -> Network:
    """The network whose rationals are exactly the binary values of ``arrays``
    (equal to ``Network.from_arrays`` of them, without its parsing)."""
    layers = []
    for spec, weight, bias in zip(family.layers, arrays.weights, arrays.biases, strict=True):
        if not (np.isfinite(weight).all() and np.isfinite(bias).all()):
            return Network.from_arrays(arrays.weights, arrays.biases, [s.activation for s in family.layers], metadata)  # says which value
        rows = tuple(tuple(mpq(w) for w in row) for row in weight.tolist())
        layers.append(Layer(rows, tuple(mpq(b) for b in bias.tolist()), spec.activation))
    plain = {key: dict(value) if isinstance(value, dict) else value for key, value in (metadata or {}).items()}
    return Network(tuple(layers), plain)


def _spelling(value: float) -> str:
    numerator, denominator = value.as_integer_ratio()  # float ok: exact, the float's own value
    return str(numerator) if denominator == 1 else f"{numerator}/{denominator}"


def network_sha256(family: Family, arrays: FloatNetwork) -> str:
    """``exact_network(family, arrays).sha256``, computed from the floats."""
    layers = [
        {
            "activation": spec.activation.to_json(),
            "bias": [_spelling(b) for b in bias.tolist()],
            "weight": [[_spelling(w) for w in row] for row in weight.tolist()],
        }
        for spec, weight, bias in zip(family.layers, arrays.weights, arrays.biases, strict=True)
    ]
    if not all(math.isfinite(v) for array in (*arrays.weights, *arrays.biases) for v in array.ravel().tolist()):
        return exact_network(family, arrays).sha256
    text = json.dumps({"format": FORMAT, "layers": layers, "version": VERSION}, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def provenance(family: Family, width: int, seed: int, index: int) -> dict[str, object]:
    """Network metadata saying which trial of which run drew it."""
    metadata: dict[str, object] = {"family": family.name, "width": width, "seed": seed, "index": index}
    if family.parameters:
        metadata["parameters"] = dict(family.parameters)
    return metadata


def sample_network(family: Family, width: int, seed: int, index: int) -> Network:
    """Trial ``index`` as an exact :class:`Network`, with its :func:`provenance` as metadata."""
    return exact_network(family, sample_arrays(family, width, seed, index), provenance(family, width, seed, index))
