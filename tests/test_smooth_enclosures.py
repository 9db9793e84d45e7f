"""Enclosures of exp, tanh, sigmoid and their derivatives, and of whole networks, against mpmath at 50 digits.

Both sides are tested: the certifier's arb balls (verichaos.smooth.enclosure) and the checker's
integer intervals (verichaos.checker.interval). Every true value must lie inside, and the
enclosures must be tight (a few units of the last place at a point).
"""

import json
from fractions import Fraction

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.checker import interval as checker
from verichaos.checker.reader import parse_network as checker_network
from verichaos.network import Network
from verichaos.rational import Q
from verichaos.smooth.enclosure import SmoothMap, interval, lower, point, precision, upper

mpmath.mp.dps = 50
SETTINGS = settings(max_examples=60, deadline=None)
ONE = checker.ONE

rationals = st.fractions(min_value=-80, max_value=80, max_denominator=10**6)


def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def inside(value, lo, hi):
    return mpmath.mpf(lo.numerator) / lo.denominator <= value <= mpmath.mpf(hi.numerator) / hi.denominator


def grid(i):
    """A checker interval as two Fractions."""
    return Fraction(i[0], ONE), Fraction(i[1], ONE)


def exact(x):
    return mpmath.mpf(x.numerator) / x.denominator


# ---------------------------------------------------------------- the checker's integer enclosures

@SETTINGS
@given(st.fractions(min_value=0, max_value=68, max_denominator=10**9))
def test_checker_exp_holds_the_value_tightly(u):
    fixed = int(u * ONE)
    lo, hi = checker.exp_grid(fixed)
    value = mpmath.exp(mpmath.mpf(fixed) / ONE)
    assert inside(value, Fraction(lo, 1 << checker._W), Fraction(hi, 1 << checker._W))
    assert (hi - lo) / (1 << checker._W) <= value * Fraction(1, 2**80)


@SETTINGS
@given(rationals)
def test_checker_tanh_and_sigmoid_hold_the_value_tightly(x):
    fixed = int(x * ONE)
    at = mpmath.mpf(fixed) / ONE
    for function, truth in ((checker.tanh_point, mpmath.tanh(at)), (checker.sigmoid_point, sigmoid(at))):
        lo, hi = function(fixed)
        assert inside(truth, *grid((lo, hi)))
        assert hi - lo <= 4


@SETTINGS
@given(rationals, st.fractions(min_value=0, max_value=3, max_denominator=1000), st.sampled_from(["tanh", "sigmoid"]))
def test_checker_activation_and_derivative_over_intervals(x, width, name):
    z = (int(x * ONE), int((x + width) * ONE))
    (vlo, vhi), (dlo, dhi) = checker.activate((name,), z, True)
    function = mpmath.tanh if name == "tanh" else sigmoid
    for t in (0, Fraction(1, 3), Fraction(1, 2), 1):
        at = mpmath.mpf(z[0]) / ONE + (mpmath.mpf(z[1] - z[0]) / ONE) * exact(t)
        assert inside(function(at), *grid((vlo, vhi)))
        assert inside(mpmath.diff(function, at), *grid((dlo, dhi)))


def test_checker_clarke_derivative_of_relu_at_its_kink():
    value, slope = checker.activate(("relu",), (-ONE, ONE), True)
    assert value == (0, ONE) and slope == (0, ONE)
    value, slope = checker.activate(("leaky_relu", Fraction(1, 4)), (-ONE, -ONE // 2), True)
    assert value == (-ONE // 4, -ONE // 8) and slope == (ONE // 4, ONE // 4)


# ---------------------------------------------------------------- the certifier's arb balls

@SETTINGS
@given(rationals, st.fractions(min_value=0, max_value=3, max_denominator=1000), st.sampled_from(["tanh", "sigmoid"]))
def test_certifier_activation_and_derivative_over_intervals(x, width, name):
    net = Network.from_arrays([[[1]]], [[0]], [name])
    f = SmoothMap(net)
    function = mpmath.tanh if name == "tanh" else sigmoid
    with precision():
        value, slope = f.jet(interval(Q(x), Q(x + width)))
        tight = f.value(point(Q(x)))
    for t in (0, Fraction(1, 3), Fraction(1, 2), 1):
        at = exact(x + width * t)
        assert inside(function(at), lower(value), upper(value))
        assert inside(mpmath.diff(function, at), lower(slope), upper(slope))
    assert upper(tight) - lower(tight) < Q(1, 2**100)


# ---------------------------------------------------------------- whole networks, both sides

weights = st.fractions(min_value=-4, max_value=4, max_denominator=16)


@st.composite
def smooth_networks(draw):
    width = draw(st.integers(1, 3))
    first = draw(st.sampled_from(["tanh", "sigmoid", "relu"]))
    second = draw(st.sampled_from(["tanh", "sigmoid", "identity", "abs"]))
    w1 = [[str(draw(weights))] for _ in range(width)]
    w2 = [[str(draw(weights)) for _ in range(width)] for _ in range(2)]
    w3 = [[str(draw(weights)), str(draw(weights))]]
    biases = [[str(draw(weights)) for _ in range(n)] for n in (width, 2, 1)]
    acts = [first, second, "tanh" if "tanh" not in (first, second) and "sigmoid" not in (first, second) else "identity"]
    return Network.from_arrays([w1, w2, w3], biases, acts)


def reference(net, x):
    """f(x) at 50 digits with mpmath."""
    functions = {"tanh": mpmath.tanh, "sigmoid": sigmoid, "relu": lambda z: max(z, 0), "identity": lambda z: z, "abs": abs}
    values = [x]
    for layer in net.layers:
        values = [functions[layer.activation.name](sum((exact(w) * h for w, h in zip(row, values)), exact(b)))
                  for row, b in zip(layer.weight, layer.bias)]
    return values[0]


@settings(max_examples=40, deadline=None)
@given(smooth_networks(), st.fractions(min_value=-3, max_value=3, max_denominator=100),
       st.fractions(min_value=0, max_value=1, max_denominator=100))
def test_network_enclosures_of_both_sides_hold_values_and_derivatives(net, x, width):
    f = SmoothMap(net)
    layers = checker_network(json.loads(json.dumps(net.to_json())), "network", canonical=True, smooth=True)
    check = checker.IntervalChecker(layers)
    with precision():
        value, slope = f.jet(interval(Q(x), Q(x + width)))
    cvalue, cslope = check.jet((checker.fix(x)[0], checker.fix(x + width)[1]))
    for t in (0, Fraction(1, 4), Fraction(2, 3), 1):
        at = exact(x + width * t)
        y = reference(net, at)
        assert inside(y, lower(value), upper(value)) and inside(y, *grid(cvalue))
        if not any(layer.activation.name in ("relu", "abs") for layer in net.layers):  # smooth: f' exists everywhere
            dy = mpmath.diff(lambda s: reference(net, s), at)
            assert inside(dy, lower(slope), upper(slope)) and inside(dy, *grid(cslope))
    # the checker's endpoint arithmetic is never wider than the certifier's balls (up to its rounding)
    assert grid(cvalue)[0] >= lower(value) - Fraction(1, 2**80) and grid(cvalue)[1] <= upper(value) + Fraction(1, 2**80)


@pytest.mark.parametrize("x", [Fraction(34) - Fraction(1, 2**90), Fraction(34), Fraction(67) - Fraction(1, 2**90),
                               Fraction(67), Fraction(-34), Fraction(-67), Fraction(200), Fraction(1, 2**96)])
def test_checker_tanh_and_sigmoid_at_the_cutoffs_of_their_tails(x):
    fixed = int(x * ONE)
    at = mpmath.mpf(fixed) / ONE
    for function, truth in ((checker.tanh_point, mpmath.tanh(at)), (checker.sigmoid_point, sigmoid(at))):
        assert inside(truth, *grid(function(fixed)))


def test_checker_exp_at_the_largest_argument():
    lo, hi = checker.exp_grid(68 * ONE)
    assert inside(mpmath.exp(68), Fraction(lo, 1 << checker._W), Fraction(hi, 1 << checker._W))
