"""The published grid test for "period 3", emulated in float64, and its corrected variant.

The notebooks of Chatziafratis et al. decided "period 3" numerically
(../shared/docs/paper-notes.md). On the grid ``x = linspace(-W, W, 163)``:

    F0[i] = f(x_i)
    F3[i] = f(f(f(F0[i])))        # = f⁴(x_i): the published code applies f³ to F0

and a net counts as "period 3" when ``x − F3`` has more sign changes than
``x − F0``. The sign changes of ``d = x − F`` are counted as

    #{i : sign(d_i) · sign(d_{i+1}) < 0}  +  #{i : d_i == 0}

i.e. every strict sign flip between neighbours, plus one for every grid
point where d is exactly zero (a grid point that is a fixed point); a zero
never also counts as a flip, because its sign product with a neighbour is 0.
Overflow to ±inf/NaN (possible for wide nets with large variance) counts no
crossing, as in plain numpy.

Two variants, same grid, windows W ∈ {1, 2}:

* **published**: F3 = f⁴(x), exactly as the notebooks ran it. A fixed point of
  f⁴ that f does not fix has minimal period 2 or 4, and period 4 forces
  period 2 (Sharkovsky), so this test looks for period 2, not 3.
* **corrected**: F3 = f³(x), which looks for period 3 as intended.

Both are float heuristics on a finite window; the exact answers are in
:mod:`verichaos.experiments.measure`. Nothing here feeds an exact decision.
All nets of a batch share their layer shapes, so a batch is evaluated with
one batched matrix product per layer, both windows in one pass. numpy
multiplies each net's matrices on their own, with the same shapes whatever
the batch, so a net's floats do not depend on its batch or chunk (tested);
on another machine a different BLAS could change a last bit and so, rarely,
a grid verdict. The exact columns cannot change.

>>> from verichaos.experiments.sampling import FloatNetwork
>>> tent = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])), (np.array([0.0, -0.5]), np.array([0.0])))
>>> counts = sign_change_counts([tent], ["relu", "identity"])
>>> counts["w1"].tolist()   # [crossings of x - f, of x - f^3, of x - f^4] on [-1, 1]
[[2, 8, 16]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from verichaos.experiments.sampling import FloatNetwork
from verichaos.network import Activation, parse_activation

__all__ = ["GRID_POINTS", "WINDOWS", "grid", "sign_change_counts", "count_sign_changes", "verdicts"]

GRID_POINTS = 163
WINDOWS = {"w1": 1.0, "w2": 2.0}
"""The windows [-W, W] of the notebooks: W = 2 in the early notebook, W = 1 later."""


def grid(window: float) -> np.ndarray:
    return np.linspace(-window, window, GRID_POINTS)


def _float_activation(activation: Activation) -> Callable[[np.ndarray], np.ndarray]:
    params = {name: float(value) for name, value in activation.params}
    if activation.name == "relu":
        return lambda z: np.maximum(z, 0.0)
    if activation.name == "identity":
        return lambda z: z
    if activation.name == "abs":
        return np.abs
    if activation.name == "leaky_relu":
        return lambda z: np.where(z >= 0, z, params["alpha"] * z)
    if activation.name == "hardtanh":
        return lambda z: np.clip(z, params["min"], params["max"])
    raise ValueError(f"no float evaluation for activation {activation.name!r}")


def _evaluator(batch: Sequence[FloatNetwork], activations: Sequence[object]) -> Callable[[np.ndarray], np.ndarray]:
    """f for every net of the batch at once: (B, P) inputs → (B, P) outputs."""
    weights = [np.stack([net.weights[j] for net in batch]) for j in range(len(activations))]
    biases = [np.stack([net.biases[j] for net in batch])[:, :, None] for j in range(len(activations))]
    functions = [_float_activation(parse_activation(a)) for a in activations]

    def f(x: np.ndarray) -> np.ndarray:
        h = x[:, None, :]
        for weight, bias, act in zip(weights, biases, functions):
            h = act(np.matmul(weight, h) + bias)
        return h[:, 0, :]

    return f


def count_sign_changes(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sign changes of ``x − values`` along the last axis, plus exact zeros (module docstring)."""
    d = x - values
    s = np.sign(d)
    return (s[..., :-1] * s[..., 1:] < 0).sum(axis=-1) + (d == 0).sum(axis=-1)


def sign_change_counts(batch: Sequence[FloatNetwork], activations: Sequence[object]) -> dict[str, np.ndarray]:
    """Per window, a (B, 3) integer array: crossings of x − f, x − f³ and x − f⁴ on the grid."""
    f = _evaluator(batch, activations)
    grids = [grid(window) for window in WINDOWS.values()]
    x = np.broadcast_to(np.concatenate(grids), (len(batch), GRID_POINTS * len(grids)))  # every window in one pass
    with np.errstate(over="ignore", invalid="ignore"):
        f1 = f(x)
        f3 = f(f(f1))
        f4 = f(f3)
    result = {}
    for position, name in enumerate(WINDOWS):
        part = slice(position * GRID_POINTS, (position + 1) * GRID_POINTS)
        result[name] = np.stack([count_sign_changes(x[:, part], g[:, part]) for g in (f1, f3, f4)], axis=1)
    return result


def verdicts(counts: Sequence[int]) -> tuple[bool, bool]:
    """(published, corrected) from one window's counts [f, f³, f⁴]."""
    fixed, cube, fourth = counts
    return fourth > fixed, cube > fixed
