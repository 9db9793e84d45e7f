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

>>> from verichaos.experiments.families import builtin_family
>>> net = sample_network(builtin_family("row1"), width=2, seed=7, index=3)
>>> net == sample_network(builtin_family("row1"), width=2, seed=7, index=3), net.widths
(True, (2,))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verichaos.experiments.families import Family
from verichaos.network import Network

__all__ = ["FloatNetwork", "trial_generator", "sample_arrays", "exact_network", "provenance", "sample_network"]


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
    """The network whose rationals are exactly the binary values of ``arrays``."""
    return Network.from_arrays(arrays.weights, arrays.biases, [spec.activation for spec in family.layers], metadata)


def provenance(family: Family, width: int, seed: int, index: int) -> dict[str, object]:
    """Network metadata saying which trial of which run drew it."""
    metadata: dict[str, object] = {"family": family.name, "width": width, "seed": seed, "index": index}
    if family.parameters:
        metadata["parameters"] = dict(family.parameters)
    return metadata


def sample_network(family: Family, width: int, seed: int, index: int) -> Network:
    """Trial ``index`` as an exact :class:`Network`, with its :func:`provenance` as metadata."""
    return exact_network(family, sample_arrays(family, width, seed, index), provenance(family, width, seed, index))
