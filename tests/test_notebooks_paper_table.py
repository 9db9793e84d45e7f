"""The paper-table report: notebook labels and cells, refused rows not run, the P(chaos) column when records carry it."""

from __future__ import annotations

import pytest

from verichaos.experiments.families import builtin_family
from verichaos.experiments.paper_table import FAITHFUL_NOTE, TABLES, RowResult, markdown, render, report
from verichaos.experiments.measure import BOOLEAN_COLUMNS
from verichaos.experiments.summary import Summary


class WithoutChaos(Summary):
    """A summary as it reads while records carry no ``chaos`` column."""

    def to_json(self) -> dict:
        document = super().to_json()
        document["columns"].pop("chaos", None)
        return document


class WithChaos(Summary):
    """A summary as it reads once records carry the exact ``chaos`` column."""

    def to_json(self) -> dict:
        document = super().to_json()
        document["columns"]["chaos"] = {"label": "exact: chaos", "count": 3, "rate": 0.3, "wilson95": [0.1078, 0.6032]}
        return document


def summary(family: str, yes: int, n: int = 10, kind: type[Summary] = WithoutChaos) -> Summary:
    result = kind(family, 2, 1, {}, trials=n)
    for i in range(n):
        flags = dict.fromkeys(BOOLEAN_COLUMNS, i < yes)
        result.add({**flags, "chaos": "zero", "largest_power_of_two_period": 1, "fixed_points": 1, "lap_f3": 1, "certificate": None})
    return result


@pytest.fixture
def document() -> dict:
    main, tanh = TABLES[0], TABLES[3]
    results = [RowResult(main, row, summary(main.family(row), row)) for row in range(1, 6)]
    results += [RowResult(tanh, row, None, builtin_family(tanh.family(row)).refusal(exact_only=True)) for row in range(1, 6)]
    return report(results, seed=1)


def test_every_table_names_its_notebook_cells_and_every_row_runs():
    assert [table.activation for table in TABLES] == ["ReLU", "ReLU", "tanh", "tanh", "tanh", "ReLU"]
    for table in TABLES:
        assert "ipynb cell" in table.numbers_from and "cell" in table.follows
        assert all(builtin_family(table.family(row)).refusal() is None for row in range(1, 6))
        smooth = [builtin_family(table.family(row)).is_smooth for row in range(1, 6)]
        assert smooth == [table.activation == "tanh"] * 5
    assert TABLES[0].families[-1] == "row5" and all(table.families[-1].startswith("row5-glorot") for table in TABLES[1:])


def test_refused_rows_are_reported_not_run_with_the_reason(document):
    tanh_rows = [row for row in document["rows"] if row["table"] == "width4"]
    assert all(row["status"] == "not run" and "uses tanh" in row["reason"] for row in tanh_rows)
    text = markdown(document)
    assert "| 4 (row4-tanh) | 10.6% | not run |" in text and "WIDTH = 4 (without clipping, tanh activation)" in text
    assert len(render(document)) == 2


def test_the_faithful_columns_say_they_detect_period_2(document):
    assert document["faithful_test"] == FAITHFUL_NOTE and "f^4" in FAITHFUL_NOTE
    text = markdown(document)
    assert "grid f^4 W=1 (faithful: detects period 2)" in text and FAITHFUL_NOTE[1:] in text


def test_p_chaos_appears_beside_p_period_3_only_when_the_records_carry_it(document):
    assert "chaos" not in document["columns"] and "P(chaos)" not in markdown(document)
    main = TABLES[0]
    chaotic = [RowResult(main, row, summary(main.family(row), row, kind=WithChaos)) for row in range(1, 6)]
    headings = list(report(chaotic, seed=1)["columns"].values())
    assert headings.index("exact P(chaos)") == headings.index("exact P(period 3)") + 1
    assert "| 30.00% [10.78, 60.32]% |" in markdown(report(chaotic, seed=1))
