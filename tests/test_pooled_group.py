"""The pooled ``all`` group counts every mention once: a full date, also counted as its year, is there as its year."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from floor.cli import main
from floor.extract.categories import pooled
from floor.profile import Profile
from floor.report import build_report
from tests.test_cli import write_jsonl


@pytest.mark.parametrize("categories, pools", [
    (["birth_date", "birth_year", "death_place"], ("birth_year", "death_place")),
    (["birth_date", "death_date", "birth_year", "death_year"], ("birth_year", "death_year")),
    (["birth_date", "death_place"], ("birth_date", "death_place")),  # no year asked for: the date stands
    (["birth_date", "death_year"], ("birth_date", "death_year")),  # a death year is no birth date's year
    (["married", "birth_year", "birth_date"], ("birth_year", "married")),  # a relation of pre-extracted triples
])
def test_the_pooled_categories(categories, pools):
    assert pooled(categories) == pools


def test_the_pooled_group_sums_years_and_places_not_dates():
    profiles = {"birth_date": Profile([1], [2]), "birth_year": Profile([1, 2], [3, 1]),
                "death_place": Profile([1], [4])}
    report = build_report(profiles, answer_spaces={"birth_date": 364, "birth_year": 99, "death_place": 999})
    group = next(g for g in report["groups"] if g["category"] == "all")
    # birth_year N = 3 + 2 = 5, f1 = 3; death_place N = 4, f1 = 4; birth_date's 2 mentions are in birth_year
    assert (group["mentions"], group["singletons"], group["distinct_facts"]) == (9, 7, 8)
    assert group["singleton_rate"] == pytest.approx(7 / 9)
    assert group["answer_space"] == 99  # the smallest of the pooled categories
    assert group["pools"] == ["birth_year", "death_place"]
    assert all("pools" not in g for g in report["groups"] if g["category"] != "all")


def test_a_run_counts_a_full_date_once_in_all(tmp_path):
    data = write_jsonl(tmp_path / "c.jsonl", [
        {"id": "a", "text": "Jane Doe was born on 3 March 1902 in Cork."},  # birth_date, _year, _place: 2 mentions
        {"id": "b", "text": "John Roe was born in 1850."},  # birth_year: one mention
    ])
    result = CliRunner().invoke(main, ["run", str(data), "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    groups = {g["category"]: g for g in json.loads((tmp_path / "r.json").read_text())["groups"]}
    assert (groups["birth_date"]["mentions"], groups["birth_year"]["mentions"],
            groups["birth_place"]["mentions"]) == (1, 2, 1)
    assert groups["all"]["mentions"] == 3
    assert "all = birth_place + birth_year: each mention counted once" in result.output
