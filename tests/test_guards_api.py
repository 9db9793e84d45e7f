"""The budget, atomic outputs and the Python API of issue 12."""

from __future__ import annotations

import json
import os
import stat
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import verichaos
from verichaos.budget import BudgetExceeded, DeadlineExceeded, PiecesExceeded, budget, charge, check_deadline
from verichaos.output import atomic_path, write_text_atomic
from verichaos.pwl import PiecewiseLinear
from verichaos.rational import Q, RationalError, exact_json, parse_rational

TENT = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)


def test_outside_a_budget_nothing_is_charged():
    charge(10**12)
    check_deadline()
    assert TENT.iterate(12).piece_count == 4097 + 1


def test_the_piece_budget_stops_the_first_map_over_it():
    with budget(max_pieces=2_000) as state, pytest.raises(PiecesExceeded, match="more than the budget of 2000"):
        TENT.iterate(12)
    assert state.largest > 2_000  # the map that was refused
    with budget(max_pieces=5_000) as state:
        assert TENT.iterate(12).piece_count > 4_000
    assert state.largest > 4_000


def test_a_passed_deadline_stops_the_builders():
    with budget(seconds=1e-9), pytest.raises(DeadlineExceeded, match="not done after"):
        TENT.iterate(5)


def test_budgets_nest_and_the_inner_one_ends_with_its_block():
    with budget(max_pieces=100):
        with budget(max_pieces=10):
            with pytest.raises(PiecesExceeded):
                TENT.iterate(5)
        assert TENT.iterate(5).piece_count == 33 + 1  # the outer budget again
    assert issubclass(PiecesExceeded, BudgetExceeded) and issubclass(DeadlineExceeded, BudgetExceeded)


@pytest.mark.parametrize(("max_pieces", "seconds"), [(0, None), (None, 0), (None, -1.0)])
def test_a_budget_needs_positive_limits(max_pieces, seconds):
    with pytest.raises(ValueError):
        with budget(max_pieces, seconds):
            pass


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.svg"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half of a new SVG")
        raise RuntimeError("killed mid-write")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.svg"]
    write_text_atomic(target, "new")
    assert target.read_text() == "new" and os.listdir(tmp_path) == ["out.svg"]


def test_atomic_outputs_get_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "x.json", "{}")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "x.json").stat().st_mode) == 0o644


def test_certificate_save_writes_the_document(tmp_path):
    net = verichaos.load_network(json.loads(Path(verichaos.__file__).with_name("examples").joinpath("tent.json").read_text()))
    certificate = verichaos.certify(net)
    certificate.save(tmp_path / "tent.cert.json")
    saved = (tmp_path / "tent.cert.json").read_bytes()
    assert json.loads(saved) == certificate.document
    assert verichaos.check_certificate(saved)[0] == 0


def test_load_network_takes_a_path_or_a_dict(tmp_path):
    document = {"format": "verichaos-network", "version": 1, "layers": [{"weight": [["3"]], "bias": ["1/2"], "activation": "relu"}]}
    (tmp_path / "n.json").write_text(json.dumps(document))
    from_dict, from_path = verichaos.load_network(document), verichaos.load_network(tmp_path / "n.json")
    assert from_dict.sha256 == from_path.sha256 and from_dict(Q(1, 2)) == 2
    with pytest.raises(verichaos.network.NetworkFormatError, match="is a directory, not a network file"):
        verichaos.load_network(tmp_path)


def test_the_package_exports_its_entry_points():
    for name in ("load_network", "Network", "from_network", "PiecewiseLinear", "certify", "Certificate",
                 "check_certificate", "periodic_orbits", "BudgetExceeded", "exact_json", "Q"):
        assert name in verichaos.__all__ and callable(getattr(verichaos, name)), name  # a class or a function
    with pytest.raises(AttributeError):
        verichaos.no_such_thing


@given(st.lists(st.fractions(), max_size=5), st.integers())
def test_exact_json_round_trips_every_rational(values, integer):
    document = exact_json({"values": tuple(Q(v.numerator, v.denominator) for v in values), "n": integer, "f": values})
    text = json.dumps(document)
    back = json.loads(text)
    assert [parse_rational(v) for v in back["values"]] == [Q(v.numerator, v.denominator) for v in values]
    assert [Fraction(str(parse_rational(v))) for v in back["f"]] == values and parse_rational(back["n"]) == integer


def test_exact_json_refuses_floats():
    with pytest.raises(RationalError, match="binary float"):
        exact_json([0.1])
