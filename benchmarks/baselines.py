"""The float baselines the exact side is measured against, and how rounds are timed.

The *lean grid* is the period-3 test as a user would write it for one net,
with no more work than the test needs: one window [-1, 1] of 163 points,
f and f³ only (three evaluations: f, then f twice more), the first layer as an
outer product of its weight column with the grid (no matmul against a 1-row
input), then the later layers; "period 3" when x − f³(x) changes sign more
often than x − f(x) (:func:`verichaos.experiments.grid.count_sign_changes`).

:func:`lean_grid_batched` is the same test vectorized over nets that share
their layer shapes, in chunks of at most :data:`CHUNK_FLOATS` hidden values
(about 16 MiB of float64), so memory stays bounded at every width.

:func:`interleaved` times several actions round-robin, so a burst of load
from other processes hits every action alike; report min and median and the
ratios of both.

>>> import numpy as np
>>> from verichaos.experiments.sampling import FloatNetwork
>>> tent = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])), (np.array([0.0, -0.5]), np.array([0.0])))
>>> bool(lean_grid([tent], ["relu", "identity"])[0]), lean_grid_batched([tent] * 3, ["relu", "identity"]).tolist()
(True, [True, True, True])
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np

from verichaos.experiments.grid import GRID_POINTS, count_sign_changes
from verichaos.experiments.sampling import FloatNetwork

__all__ = ["CHUNK_FLOATS", "float_activation", "lean_grid", "lean_grid_batched", "interleaved", "Timing"]

CHUNK_FLOATS = 2**21
GRID = np.linspace(-1.0, 1.0, GRID_POINTS)


def float_activation(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The activations of the built-in families, as a user writes them in numpy."""
    if name == "relu":
        return lambda z: np.maximum(z, 0.0)
    if name == "identity":
        return lambda z: z
    if name == "tanh":
        return np.tanh
    if name == "sigmoid":
        return lambda z: 1 / (1 + np.exp(-z))
    if name.startswith("hardtanh"):  # the clipped families: hardtanh(min=0, max=1)
        return lambda z: np.clip(z, 0.0, 1.0)
    raise ValueError(f"no baseline for activation {name!r}")


def _names(activations: Sequence[object]) -> list[str]:
    return [str(a) for a in activations]


def lean_grid(nets: Sequence[FloatNetwork], activations: Sequence[object]) -> list[bool]:
    """The lean grid test, one net at a time."""
    functions = [float_activation(name) for name in _names(activations)]
    verdicts = []
    for net in nets:
        column, first_bias = net.weights[0][:, 0], net.biases[0][:, None]
        rest = [(w, b[:, None], act) for w, b, act in zip(net.weights[1:], net.biases[1:], functions[1:])]

        def f(v: np.ndarray) -> np.ndarray:
            h = functions[0](np.outer(column, v) + first_bias)
            for weight, bias, act in rest:
                h = act(weight @ h + bias)
            return h[0]

        with np.errstate(over="ignore", invalid="ignore"):
            f1 = f(GRID)
            f3 = f(f(f1))
        verdicts.append(bool(count_sign_changes(GRID, f3) > count_sign_changes(GRID, f1)))
    return verdicts


def lean_grid_batched(nets: Sequence[FloatNetwork], activations: Sequence[object]) -> np.ndarray:
    """The lean grid test vectorized over nets, in memory-bounded chunks."""
    functions = [float_activation(name) for name in _names(activations)]
    width = nets[0].weights[0].shape[0]
    step = max(1, CHUNK_FLOATS // (width * GRID_POINTS))
    verdicts = []
    for start in range(0, len(nets), step):
        batch = nets[start : start + step]
        column = np.stack([net.weights[0][:, 0] for net in batch])[:, :, None]
        first_bias = np.stack([net.biases[0] for net in batch])[:, :, None]
        rest = [
            (np.stack([net.weights[j] for net in batch]), np.stack([net.biases[j] for net in batch])[:, :, None], functions[j])
            for j in range(1, len(functions))
        ]

        def f(v: np.ndarray) -> np.ndarray:
            h = functions[0](column * v[:, None, :] + first_bias)
            for weight, bias, act in rest:
                h = act(np.matmul(weight, h) + bias)
            return h[:, 0, :]

        x = np.broadcast_to(GRID, (len(batch), GRID_POINTS))
        with np.errstate(over="ignore", invalid="ignore"):
            f1 = f(x)
            f3 = f(f(f1))
        verdicts.append(count_sign_changes(x, f3) > count_sign_changes(x, f1))
    return np.concatenate(verdicts)


class Timing(dict):
    """Seconds per round, by action name."""

    def low(self, name: str) -> float:
        return min(self[name])

    def median(self, name: str) -> float:
        return statistics.median(self[name])

    def ratio(self, name: str, base: str) -> str:
        """"min-ratio / median-ratio" of ``name`` against ``base``."""
        return f"{self.low(name) / self.low(base):.1f}x / {self.median(name) / self.median(base):.1f}x"


def interleaved(rounds: int, actions: dict[str, Callable[[], object]]) -> Timing:
    """Wall time of every action in each of ``rounds`` rounds, actions taking turns."""
    timing = Timing({name: [] for name in actions})
    for _ in range(rounds):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            timing[name].append(time.perf_counter() - start)
    return timing
