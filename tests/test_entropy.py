"""Chaos decided exactly (verichaos.dynamics.entropy) and the set of periods (verichaos.dynamics.periods).

Known maps, each on [0, 1] or [1, 5] with constant tails (so every periodic
point lies in the image of the interval):

* the tent map T(x) = 1 − |2x − 1|: period 3, every period, h = log 2;
* the P-linear map of a Štefan 5-cycle, x₄ < x₂ < x₀ < x₁ < x₃ with
  f(x_i) = x_{i+1}, on the points 1, …, 5: 3 → 4 → 2 → 5 → 1 → 3. Its type is
  5 (Štefan 1977; Alsedà–Llibre–Misiurewicz): every period but 3,
  h = log λ with λ ≈ 1.5129 the largest root of x⁵ − 2x³ − 1;
* the doubling operator (the "square root" construction of Block–Coppel,
  LNM 1513, and Alsedà–Llibre–Misiurewicz) on maps g of [0, 1]:

      D(g)(x) = 2/3 + g(3x)/3   on [0, 1/3],
      D(g)(x) = x − 2/3         on [2/3, 1],
      linear in between, from ((1/3), (2 + g(1))/3) to (2/3, 0).

  D(g) swaps [0, 1/3] and [2/3, 1]; D(g)² on [2/3, 1] is conjugate to g by
  x ↦ 3x − 2, and the decreasing middle piece holds the only fixed point and
  no other periodic point. So Per(D(g)) = {1} ∪ 2·Per(g) and h(D(g)) = h(g)/2.
  From a constant (periods {1}), Dᴷ gives type 2ᴷ: periods exactly
  {1, 2, …, 2ᴷ}, h = 0. From the tent map, D(T) has periods {1} ∪ 2ℕ: period 6,
  no odd period above 1, h = (log 2)/2 > 0.
"""

from __future__ import annotations

import functools
import json

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from verichaos.cli import app
from verichaos.cli.errors import EXIT_UNDECIDED, EXIT_USAGE
from verichaos.dynamics import find_orbit, minimal_period
from verichaos.dynamics.entropy import ChaosVerdict, decide_chaos
from verichaos.dynamics import periods as periods_module
from verichaos.dynamics.periods import period_set, sharkovsky_predecessor
from verichaos.dynamics.sharkovsky import forces
from verichaos.network import Network
from verichaos.pwl import PiecewiseLinear, from_network
from verichaos.rational import Q
from verichaos.strategies import networks, rationals, relu_network
from verichaos.testing import assert_orbit

TENT = PiecewiseLinear.from_knots([0, "1/2", 1], [0, 1, 0], 0, 0)
STEFAN5 = PiecewiseLinear.from_knots([1, 2, 3, 4, 5], [3, 5, 4, 2, 1], 0, 0)
CONSTANT = PiecewiseLinear.affine(0, "1/2")


def double(g: PiecewiseLinear) -> PiecewiseLinear:
    """The doubling operator D of the module docstring, with constant tails."""
    knots = sorted({Q(0), Q(1), *(t for t in g.breakpoints if 0 < t < 1)})
    xs = [t / 3 for t in knots] + [Q(2, 3), Q(1)]
    ys = [Q(2, 3) + g(t) / 3 for t in knots] + [Q(0), Q(1, 3)]
    return PiecewiseLinear.from_knots(xs, ys, 0, 0)


def doubled(g: PiecewiseLinear, times: int) -> PiecewiseLinear:
    for _ in range(times):
        g = double(g)
    return g


def assert_verdict_orbits(f: PiecewiseLinear, verdict: ChaosVerdict) -> None:
    """Every orbit the verdict names is an orbit of exactly its minimal period, by f and by its network."""
    net = relu_network(f)
    named = [verdict.orbit, verdict.power_orbit, *(orbit for _, orbit in verdict.searched)]
    for orbit in filter(None, named):
        assert minimal_period(f, orbit.points[0], orbit.period) == orbit.period
        assert_orbit(net, orbit.points)
    for period, orbit in verdict.searched:
        assert orbit is None or orbit.period == period


# ------------------------------------------------------------------ known maps


def test_tent_map_is_positive_at_period_3():
    verdict = decide_chaos(TENT)
    assert (verdict.chaos, verdict.doublings, verdict.orbit.period) == ("positive", 0, 3)
    assert verdict.largest_power_of_two_period is None and verdict.reason is None
    assert verdict.markov.minimal_polynomial == (-1, -1, 1)  # λ = golden ratio for either 3-cycle
    assert [n for n, _ in verdict.searched] == [1, 2, 3]
    assert_verdict_orbits(TENT, verdict)
    periods = period_set(TENT, verdict)
    assert periods.exact and periods.text() == "all n >= 1"
    assert all(periods.contains(n) for n in range(1, 40))


def test_stefan_5_cycle_has_period_5_not_3_and_positive_entropy():
    """The loop meets 6 (= 3·2¹) before 5, since 5 forces 6; the period set's
    refinement then finds 5 at once and the type is exact."""
    assert find_orbit(STEFAN5, 5) is not None and find_orbit(STEFAN5, 3) is None
    verdict = decide_chaos(STEFAN5)
    assert (verdict.chaos, verdict.doublings, verdict.orbit.period) == ("positive", 1, 6)
    assert verdict.markov.ratio > 1
    assert_verdict_orbits(STEFAN5, verdict)
    periods = period_set(STEFAN5, verdict)
    assert (periods.present, periods.absent, periods.exact) == (5, 3, True)
    assert [n for n in range(1, 20) if not periods.contains(n)] == [3]


@pytest.mark.parametrize("doublings", [1, 2, 3, 4])
def test_doubled_constants_have_type_2_to_the_K_and_zero_entropy(doublings):
    f = doubled(CONSTANT, doublings)
    verdict = decide_chaos(f)
    top = 2**doublings
    assert (verdict.chaos, verdict.doublings, verdict.largest_power_of_two_period) == ("zero", doublings, top)
    assert verdict.power_orbit.period == top and verdict.orbit is None and verdict.markov is None
    assert verdict.found(2 * top) is False and verdict.core_compact
    assert_verdict_orbits(f, verdict)
    periods = period_set(f, verdict)
    assert periods.exact and periods.text() == "exactly {" + ", ".join(str(2**j) for j in range(doublings + 1)) + "}"
    # the periods, one by one, by brute force: exactly the powers of 2 up to 2^K
    assert [n for n in range(1, 2 * top + 1) if find_orbit(f, n)] == [2**j for j in range(doublings + 1)]


def test_doubled_tent_has_period_6_no_odd_period_above_1_and_positive_entropy():
    f = double(TENT)
    assert [n for n in (1, 3, 5, 7, 9) if find_orbit(f, n)] == [1]
    verdict = decide_chaos(f)
    assert (verdict.chaos, verdict.doublings, verdict.orbit.period) == ("positive", 1, 6)
    assert verdict.found(3) is False
    assert_verdict_orbits(f, verdict)
    periods = period_set(f, verdict, max_period=15)  # refined: 5, 7, …, 15 searched and absent
    assert (periods.present, periods.absent, periods.exact) == (6, 15, False)
    assert periods.contains(15) is False and periods.contains(17) is None and periods.contains(10) is True


def test_doubled_twice_tent_is_positive_at_period_12():
    f = doubled(TENT, 2)
    verdict = decide_chaos(f)
    assert (verdict.chaos, verdict.doublings, verdict.orbit.period) == ("positive", 2, 12)
    assert [n for n, orbit in verdict.searched if orbit is None] == [3, 6]


def test_no_fixed_point_means_no_periodic_point():
    verdict = decide_chaos(PiecewiseLinear.affine(1, 1))
    assert (verdict.chaos, verdict.doublings, verdict.largest_power_of_two_period) == ("zero", None, 0)
    assert verdict.power_orbit is None and [n for n, _ in verdict.searched] == [1]
    periods = period_set(PiecewiseLinear.affine(1, 1), verdict)
    assert periods.exact and not any(periods.contains(n) for n in range(1, 10))


def test_degenerate_maps_with_intervals_of_periodic_points():
    """The identity (every point fixed) and 1 − x (period 2 on ℝ but 1/2) have zero entropy."""
    identity, flip = PiecewiseLinear.affine(1, 0), PiecewiseLinear.affine(-1, 1)
    assert (decide_chaos(identity).chaos, decide_chaos(identity).largest_power_of_two_period) == ("zero", 1)
    assert (decide_chaos(flip).chaos, decide_chaos(flip).largest_power_of_two_period) == ("zero", 2)
    assert_verdict_orbits(flip, decide_chaos(flip))


def test_depth_limit_gives_undecided_with_what_is_established():
    verdict = decide_chaos(doubled(CONSTANT, 3), max_doublings=1)
    assert (verdict.chaos, verdict.doublings, verdict.largest_power_of_two_period) == ("undecided", 1, 4)
    assert "max_doublings = 1" in verdict.reason and "1, 2, 4" in verdict.reason
    periods = period_set(doubled(CONSTANT, 3), verdict)
    assert (periods.present, periods.absent, periods.exact) == (4, 6, False)
    assert periods.contains(3) is False and periods.contains(4) is True and periods.contains(8) is None


def test_piece_budget_gives_undecided_and_says_where():
    verdict = decide_chaos(doubled(CONSTANT, 4), max_pieces=60)
    assert verdict.chaos == "undecided" and "budget of 60 pieces" in verdict.reason
    assert verdict.power_orbit is not None and verdict.largest_power_of_two_period == verdict.power_orbit.period


def test_bad_depth_is_refused():
    with pytest.raises(ValueError, match="max_doublings"):
        decide_chaos(TENT, max_doublings=-1)


def test_sharkovsky_predecessors():
    assert [sharkovsky_predecessor(n) for n in (1, 2, 4, 3, 5, 7, 6, 10, 12)] == [2, 4, 8, None, 3, 5, None, 6, None]
    for n in range(1, 200):
        m = sharkovsky_predecessor(n)
        assert m is None or (forces(m, n) and m != n)


# ------------------------------------------------------------ random networks

# Nets with a bounded image and small weights, so that f^n stays small enough
# for a brute-force search of every period n = 1, 2, …, 32: random nets with a
# hardtanh output (mostly periods {1} or {1, 2}), and the ReLU nets of random
# interval maps of [0, 1] (values at 2 to 5 equally spaced knots, constant
# tails) doubled 0 to 2 times (richer: periods 4 and 8, period 3, 6 and 12).
HARDTANH_NETS = networks(
    depth=2,
    width=(1, 3),
    output_activations=[{"name": "hardtanh", "min": -2, "max": 2}],
    weights=rationals(max_bits=2, min_value=-3, max_value=3),
)


@st.composite
def _doubled_interval_maps(draw) -> Network:
    count = draw(st.integers(2, 5))
    values = draw(st.lists(rationals(max_bits=3, min_value=0, max_value=1), min_size=count, max_size=count))
    g = PiecewiseLinear.from_knots([Q(i, count - 1) for i in range(count)], values, 0, 0)
    return relu_network(doubled(g, draw(st.integers(0, 2))))


BOUNDED_NETS = st.one_of(HARDTANH_NETS, _doubled_interval_maps())
MAX_PIECES = 20_000


def brute_force_periods(f: PiecewiseLinear, limit: int) -> list[int] | None:
    """Every n ≤ limit that is a minimal period, in increasing n, stopping
    after the first that is not a power of 2 (then h > 0 is settled); None
    when some fⁿ needs more than MAX_PIECES pieces. Computed on ℝ's core
    interval, not on the cycle hull, and from all fixed points of fⁿ."""
    from verichaos.dynamics import core_interval

    core = core_interval(f)
    found = []
    for n in range(1, limit + 1):
        power = f.iterate(n, within=core)
        if power.piece_count > MAX_PIECES:
            return None
        fixed = power.fixed_points(*core)
        candidates = list(fixed.points) + [lo if lo is not None else (hi if hi is not None else Q(0)) for lo, hi in fixed.intervals]
        if any(minimal_period(f, x, n) == n for x in candidates) or (fixed.intervals and find_orbit(f, n, core)):
            found.append(n)
            if n & (n - 1):
                break
    return found


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(BOUNDED_NETS)
def test_decisions_agree_with_brute_force_search_of_periods_up_to_32(net):
    f = from_network(net)
    periods = brute_force_periods(f, 32)
    assume(periods is not None)
    verdict = decide_chaos(f)
    event(f"{verdict.chaos}, periods {periods}")
    assert_verdict_orbits(f, verdict)
    non_powers = [n for n in periods if n & (n - 1)]  # at most one: the search stops there
    if non_powers:
        first = non_powers[0]  # the smallest period that is not a power of 2
        assert verdict.chaos == "positive"
        assert forces(first, verdict.orbit.period)  # Sharkovsky: f has every period `first` forces
        assert verdict.doublings == 0 or not forces(first, 3 * 2 ** (verdict.doublings - 1))  # claimed absent
        assert periods[:-1] == [2**j for j in range(len(periods) - 1)]
    elif verdict.chaos == "positive":
        assert verdict.orbit.period > 32 and periods == [2**j for j in range(6)]
    if verdict.chaos == "zero":
        top = verdict.largest_power_of_two_period
        assert periods == [2**j for j in range(top.bit_length())]  # [] when top = 0
    if verdict.chaos != "undecided":
        assert verdict.markov is None or verdict.markov.ratio > 1


@settings(max_examples=40, deadline=None)
@given(BOUNDED_NETS, st.integers(1, 3))
def test_period_set_agrees_with_every_search_it_names(net, extra):
    f = from_network(net)
    verdict = decide_chaos(f, max_pieces=MAX_PIECES)
    periods = period_set(f, verdict, max_period=8 * extra, max_pieces=MAX_PIECES)
    for n, orbit in verdict.searched:
        assert periods.contains(n) in (orbit is not None, None)
    if periods.present is not None:
        assert find_orbit(f, periods.present, verdict.core) is not None


# ----------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_orbits_periods_text_and_json(tmp_path):
    path = tmp_path / "doubled-tent.json"
    path.write_text(json.dumps(relu_network(double(TENT)).to_json()))
    text = runner.invoke(app, ["orbits", str(path), "--periods"])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("chaos: positive\n  orbit of minimal period 6:\n    2/27 -> 22/27 -> 4/27 -> ")
    assert "searched: 1 yes, 2 yes, 3 no, 4 yes, 6 yes" in text.output
    document = json.loads(runner.invoke(app, ["orbits", str(path), "--periods", "--json"]).output)
    assert document["chaos"] == "positive" and document["largest_power_of_two_period"] is None
    assert document["entropy"]["minimal_polynomial"] == [-1, 0, -1, 0, 1]  # λ⁴ = λ² + 1: λ² is the golden ratio
    assert document["periods"]["present"] == 6 and not document["periods"]["exact"]


def test_cli_orbits_periods_zero_and_undecided(tmp_path, monkeypatch):
    path = tmp_path / "type4.json"
    path.write_text(json.dumps(relu_network(doubled(CONSTANT, 2)).to_json()))
    zero = json.loads(runner.invoke(app, ["orbits", str(path), "--periods", "--json"]).output)
    assert (zero["chaos"], zero["largest_power_of_two_period"], zero["entropy"]) == ("zero", 4, {"zero": True})
    assert zero["periods"]["text"] == "exactly {1, 2, 4}"
    # type 8 with the loop cut at K = 1: the depth limit, without the minutes a type-2^7 map would take
    monkeypatch.setattr(periods_module, "decide_chaos", functools.partial(decide_chaos, max_doublings=1))
    deep = tmp_path / "type8.json"
    deep.write_text(json.dumps(relu_network(doubled(CONSTANT, 3)).to_json()))
    undecided = runner.invoke(app, ["orbits", str(deep), "--periods"])
    assert undecided.exit_code == EXIT_UNDECIDED and "chaos: undecided" in undecided.output


def test_cli_orbits_periods_refuses_a_smooth_network(tmp_path):
    path = tmp_path / "tanh.json"
    path.write_text(json.dumps(Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["tanh", "identity"]).to_json()))
    result = runner.invoke(app, ["orbits", str(path), "--periods"])
    assert result.exit_code == EXIT_USAGE
    assert "--periods needs a piecewise-linear network, not one with tanh" in result.output


def test_an_enclosing_budget_gives_undecided_and_a_deadline_propagates():
    from verichaos.budget import DeadlineExceeded, budget

    with budget(max_pieces=40):
        verdict = decide_chaos(doubled(CONSTANT, 4), max_pieces=None)
    assert verdict.chaos == "undecided" and "(--max-pieces)" in verdict.reason
    with pytest.raises(DeadlineExceeded), budget(seconds=1e-9):
        decide_chaos(doubled(CONSTANT, 4))


def test_cli_orbits_periods_with_a_small_max_pieces_is_undecided(tmp_path):
    path = tmp_path / "type16.json"
    path.write_text(json.dumps(relu_network(doubled(CONSTANT, 4)).to_json()))
    result = runner.invoke(app, ["orbits", str(path), "--periods", "--max-pieces", "40"])
    assert result.exit_code == EXIT_UNDECIDED and "budget of 40" in result.output
