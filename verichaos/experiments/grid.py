"""The published grid test for "period 3", emulated in float64, and its corrected variant.

The notebooks of Chatziafratis et al. decided "period 3" numerically
(../shared/docs/paper-notes.md). On the grid ``x = linspace(-W, W, 163)``:

    F0[i] = f(x_i)
    F3[i] = f(f(f(F0[i])))        # = f⁴(x_i): the published code applies f³ to F0

and a net counts as "period 3" when ``x − F3`` has more sign changes than
``x − F0``. The sign changes of ``d = x − F`` are counted exactly as the
notebooks' loop is written (``Depth_2_RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb``
cell 5, and cell 5 of the January ``RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb``)::

    for i in range(1, N-1):
        if d[i-1]*d[i] < 0: count += 1
        if d[i] == 0 and d[i-1]*d[i+1] < 0: count += 1

So the last neighbouring pair (N−2, N−1) is never counted, a grid point
where d is exactly zero counts only when its two neighbours have opposite
signs (a fixed point that f only touches counts nothing), and no zero is
looked at on the two end points. The products are the float64 products the
notebooks formed: one that underflows to ±0 counts nothing, one that
overflows to −inf counts, and NaN (overflow of f itself) counts nothing.

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
[[1, 7, 15]]

(The tent map T has 2, 8 and 16 fixed points of T, T³, T⁴; the one at 0 is a
grid point where x − Tⁿ(x) touches zero without changing sign, so the loop
does not count it.)
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
    """The activation in float64, overwriting its argument where it can: the evaluator passes only
    temporaries, and a batch's arrays are large enough that allocating them costs more than the arithmetic."""
    params = {name: float(value) for name, value in activation.params}
    if activation.name == "relu":
        return lambda z: np.maximum(z, 0.0, out=z)
    if activation.name == "identity":
        return lambda z: z
    if activation.name == "abs":
        return lambda z: np.abs(z, out=z)
    if activation.name == "leaky_relu":
        return lambda z: np.where(z >= 0, z, params["alpha"] * z)
    if activation.name == "hardtanh":
        return lambda z: np.clip(z, params["min"], params["max"], out=z)
    if activation.name == "tanh":
        return lambda z: np.tanh(z, out=z)  # the notebooks' tanh tables; float only, like every grid verdict
    if activation.name == "sigmoid":
        return lambda z: 1.0 / (1.0 + np.exp(-z))  # float ok: a grid verdict; exp overflows to inf, giving 0
    raise ValueError(f"no float evaluation for activation {activation.name!r}")


def _evaluator(batch: Sequence[FloatNetwork], activations: Sequence[object]) -> Callable[[np.ndarray], np.ndarray]:
    """f for every net of the batch at once: (B, P) inputs → (B, P) outputs."""
    weights = [np.stack([net.weights[j] for net in batch]) for j in range(len(activations))]
    biases = [np.stack([net.biases[j] for net in batch])[:, :, None] for j in range(len(activations))]
    functions = [_float_activation(parse_activation(a)) for a in activations]

    def f(x: np.ndarray) -> np.ndarray:
        # One input: layer 1 is an outer product, the same single rounded product per entry that a
        # (k, 1) @ (1, P) matmul forms, at a fraction of a batched matmul's cost.
        h = weights[0] * x[:, None, :]
        h += biases[0]
        h = functions[0](h)
        for weight, bias, act in zip(weights[1:], biases[1:], functions[1:]):
            h = np.matmul(weight, h)
            h += bias
            h = act(h)
        return h[:, 0, :]

    return f


def count_sign_changes(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sign changes of ``x − values`` along the last axis, counted as the notebooks' loop (module docstring)."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        d = x - values
        # float ok: the published float64 heuristic, emulated product for product
        flips = d[..., :-2] * d[..., 1:-1] < 0  # pairs (i-1, i) for i = 1 .. N-2
        zeros = (d[..., 1:-1] == 0) & (d[..., :-2] * d[..., 2:] < 0)
    return np.count_nonzero(flips, axis=-1) + np.count_nonzero(zeros, axis=-1)


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
