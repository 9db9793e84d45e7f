"""An independent implementation of the authors' notebooks, for the tests only.

Written from the notebooks of ``steliostavroulakis/Chaos_RNNs`` and not from
verichaos: no verichaos import, plain numpy with its legacy ``RandomState``
(the notebooks call ``np.random.randn``, ``np.random.uniform``), the
notebooks' matrix shapes ((n_inputs, n_neurons) weights, (1, n_neurons)
biases) and their loops as written. Cells are numbered from 0 in file order.

* Initializers: ``Layer_Dense_In`` / ``Layer_Dense_Out`` of
  ``Depth_2_RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb`` cell 2 ('he',
  '1', 'uniform', 'normal_k', 'glorot'); TR(-1,1) has no code and is read as a
  standard normal redrawn until it lies in (-1, 1). Row 5 is the January run
  of ``RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb`` cells 2, 4, 5:
  ``2/(width+1) * randn`` everywhere, the output bias drawn but not added, the
  output returned before its activation.
* The grid test: cell 5 of either notebook. ``F0[i] = RNN_Pass(F0[i])``, then
  ``F3[i] = RNN_Pass(RNN_Pass(RNN_Pass(F0[i])))`` (so f⁴), and the counting
  loop ``for check in range(1, len(test_X)-1)`` copied statement for
  statement. ``RNN_Pass`` is applied to the whole grid column at once, which
  is the same ``np.dot`` per grid point.
* Exact minimal period 2, which the notebooks do not compute: Fractions from
  the drawn floats, f and f∘f split at their breakpoints into affine pieces,
  and a fixed point of f∘f that f does not fix, piece by piece.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

X_GRANULARITY = 163


# ------------------------------------------------------------- the notebooks


def initialize(rng: np.random.RandomState, rule: str, n_inputs: int, n_neurons: int, shape: tuple[int, int]) -> np.ndarray:
    """One weight matrix or bias row, as ``Layer_Dense_*.__init__`` draws it."""
    if rule == "he":
        return rng.randn(*shape) * np.sqrt(2 / n_inputs)
    if rule == "1":
        return np.ones(shape)
    if rule == "uniform":
        return rng.uniform(size=shape)
    if rule == "normal_k":
        return (1 / n_neurons) * rng.randn(*shape)
    if rule == "glorot":
        return np.sqrt(2.0 / (n_inputs + n_neurons)) * rng.randn(*shape)
    if rule == "TR":
        values = rng.randn(*shape)
        while (outside := (values <= -1) | (values >= 1)).any():
            values[outside] = rng.randn(int(outside.sum()))
        return values
    raise ValueError(rule)


# row: (layer-1 weight, layer-1 bias, layer-2 weight, layer-2 bias, output activation)
MAIN_TABLE = {
    1: ("1", "he", "he", "he", "identity"),
    2: ("he", "he", "he", "he", "relu"),
    3: ("he", "uniform", "he", "uniform", "relu"),
    4: ("normal_k", "TR", "normal_k", "TR", "relu"),
    5: "january",
}


class Net:
    """A depth-2 notebook net: weights (1, k) and (k, 1), biases (1, k) and (1, 1)."""

    def __init__(self, w1, b1, w2, b2, output: str, output_bias: bool = True):
        self.w1, self.b1, self.w2, self.b2 = w1, b1, w2, b2
        self.output, self.output_bias = output, output_bias

    def rnn_pass(self, inputs: np.ndarray) -> np.ndarray:
        hidden = np.maximum(0, np.dot(inputs, self.w1) + self.b1)
        out = np.dot(hidden, self.w2) + self.b2 if self.output_bias else np.dot(hidden, self.w2)
        return np.maximum(0, out) if self.output == "relu" else out


def draw(rng: np.random.RandomState, row: int, width: int = 2) -> Net:
    """One random net of a main-table row, drawn in the notebooks' order."""
    spec = MAIN_TABLE[row]
    if spec == "january":
        variance = 2 / (width + 1)
        w1, b1 = variance * rng.randn(1, width), variance * rng.randn(1, width)
        w2, b2 = variance * rng.randn(width, 1), variance * rng.randn(1, 1)
        return Net(w1, b1, w2, b2, "identity", output_bias=False)
    w1_rule, b1_rule, w2_rule, b2_rule, output = spec
    w1 = initialize(rng, w1_rule, 1, width, (1, width))
    b1 = initialize(rng, b1_rule, 1, width, (1, width))
    w2 = initialize(rng, w2_rule, width, 1, (width, 1))
    b2 = initialize(rng, b2_rule, width, 1, (1, 1))
    return Net(w1, b1, w2, b2, output)


def count_points(test_X, F) -> int:
    """The notebooks' counting loop for one series (F0 or F3), statement for statement."""
    points = 0
    for check in range(1, len(test_X) - 1):
        if (test_X[check - 1] - F[check - 1]) * (test_X[check] - F[check]) < 0:
            points += 1
        if (test_X[check] - F[check]) == 0:
            if (test_X[check - 1] - F[check - 1]) * (test_X[check + 1] - F[check + 1]) < 0:
                points += 1
    return points


def grid_series(net: Net, window: float) -> tuple[list[float], list[float], list[float]]:
    """test_X, F0 = f(test_X) and F3 = f(f(f(F0))) = f⁴(test_X), as Python floats."""
    test_X = np.linspace(-window, window, num=X_GRANULARITY, endpoint=True)
    with np.errstate(over="ignore", invalid="ignore"):
        F0 = net.rnn_pass(test_X[:, None])
        F3 = net.rnn_pass(net.rnn_pass(net.rnn_pass(F0)))
    return test_X.tolist(), F0[:, 0].tolist(), F3[:, 0].tolist()


def chaos_verdict(net: Net, window: float) -> bool:
    """``f3_points - f1_points > 0``: the net counts in the published "chaos percentage"."""
    test_X, F0, F3 = grid_series(net, window)
    return count_points(test_X, F3) - count_points(test_X, F0) > 0


# ------------------------------------------------------ exact minimal period 2


def exact_map(net: Net):
    """f with Fraction arithmetic on the drawn floats, and its breakpoints."""
    w = [Fraction(v) for v in net.w1[0]]
    b = [Fraction(v) for v in net.b1[0]]
    a = [Fraction(v) for v in net.w2[:, 0]]
    c = Fraction(net.b2[0, 0]) if net.output_bias else Fraction(0)

    def inner(x: Fraction) -> Fraction:
        return sum((ai * max(Fraction(0), wi * x + bi) for ai, wi, bi in zip(a, w, b)), c)

    def f(x: Fraction) -> Fraction:
        value = inner(x)
        return max(Fraction(0), value) if net.output == "relu" else value

    knots = sorted({-bi / wi for wi, bi in zip(w, b) if wi != 0})
    if net.output == "relu":
        knots = sorted(set(knots) | set(preimages(inner, knots, Fraction(0))))
    return f, knots


def pieces(g, knots: list[Fraction]):
    """(lo, hi, slope, intercept) of g on each piece between knots; None is an infinite end."""
    if not knots:
        return [(None, None, g(Fraction(1)) - g(Fraction(0)), g(Fraction(0)))]
    result = []
    bounds = [None, *knots, None]
    for lo, hi in zip(bounds, bounds[1:]):
        p = lo if lo is not None else hi - 1
        q = hi if hi is not None else lo + 1
        slope = (g(q) - g(p)) / (q - p)
        result.append((lo, hi, slope, g(p) - slope * p))
    return result


def inside(x: Fraction, lo, hi) -> bool:
    return (lo is None or lo <= x) and (hi is None or x <= hi)


def interior_point(lo, hi) -> Fraction:
    if lo is None or hi is None:
        return Fraction(0) if lo is None and hi is None else lo + 1 if hi is None else hi - 1
    return (lo + hi) / 2


def preimages(g, knots: list[Fraction], target: Fraction) -> list[Fraction]:
    """The isolated solutions of g(x) = target (a flat piece at the target adds none)."""
    return [(target - i) / s for lo, hi, s, i in pieces(g, knots) if s != 0 and inside((target - i) / s, lo, hi)]


def has_minimal_period_2(net: Net) -> bool:
    """Some x with f(f(x)) = x and f(x) ≠ x, decided exactly."""
    f, knots = exact_map(net)
    second_knots = sorted(set(knots).union(*(preimages(f, knots, t) for t in knots)))
    for lo, hi, slope, intercept in pieces(lambda x: f(f(x)), second_knots):
        if slope != 1:
            x = intercept / (1 - slope)
            if inside(x, lo, hi) and f(x) != x:
                return True
        elif intercept == 0:  # f∘f is the identity on the piece, where f is affine
            probe = interior_point(lo, hi)
            if f(probe) != probe:
                return True
    return False
