"""Evaluation arithmetic on a tiny gold file, gold lookup in a plan, and leave-one-out."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA

from pipeline.errors import InputError
from pipeline.ingest import ingest_file
from pipeline.match.evaluate import Gold, Report, Result, evaluate, find_items, read_gold
from pipeline.match.knowledge import load_knowledge
from pipeline.model import Match
from pipeline.outline import read_outline


def _result(gold: int, alt: tuple[int, ...], ranking: list[int]) -> Result:
    match = Match(item_id="", text="x", pillar=ranking[0], score=1.0, confidence=0.5,
                  ranking=tuple((n, 1.0 / (k + 1)) for k, n in enumerate(ranking)))
    return Result(Gold("x", gold, alt), match)


def test_accuracy_arithmetic() -> None:
    report = Report((
        _result(1, (), [1, 2, 3]),  # top-1
        _result(1, (2,), [2, 1, 3]),  # acceptable, top-2
        _result(3, (), [2, 3, 1]),  # top-2 only
        _result(3, (1,), [2, 1, 3]),  # nothing
    ))
    assert report.figures() == {"n": 4, "top1": 0.25, "acceptable": 0.5, "top2": 0.75}
    assert report.confusion() == {1: {1: 1, 2: 1}, 3: {2: 2}}
    assert len(report.misses()) == 3
    data = report.to_json()
    assert data["misses"][0]["acceptable"] is True and data["misses"][1]["acceptable"] is False
    assert "leave_one_out" not in data


def test_read_gold_columns_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text("id\tpolicy\titem\tpillar\talt\tnote\nA1\t施策2\t広報の利用\t3\t1, 9\tx\nA2\t\t職員研修\t2\t\t\n",
                    "utf-8")
    assert read_gold(path) == [Gold("広報の利用", 3, (1, 9), "施策2", "A1"), Gold("職員研修", 2, (), "", "A2")]
    path.write_text("item\tpillar\n職員研修\tなし\n", "utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_gold(path)


def test_gold_items_found_in_plan_by_normalized_name_and_policy(tsushima_txt: Path) -> None:
    doc = ingest_file(tsushima_txt)
    gold = [Gold("協働(共働)事例集の作成", 1), Gold("市民活動コミュニティ連絡調整会議", 6, policy="施策3"),
            Gold("市民活動コミュニティ連絡調整会議", 3, policy="施策2"), Gold("存在しない項目", 1)]
    items = find_items(doc, gold)
    assert items[0] is not None and items[0].name.startswith("協働")
    assert items[1] is not None and items[1].policy.startswith("施策3")
    assert items[2] is not None and items[2].policy.startswith("施策2")
    assert items[3] is None


def test_leave_one_out_uses_the_others_as_examples_only(outline_txt: Path) -> None:
    outline = read_outline(outline_txt)
    gold = [Gold("地域サポーター制度の導入", 4), Gold("地域サポーター制度の運用", 4), Gold("協働事業提案制度の創設", 7)]
    # (outline and rules alone: the shipped model may learn these items' pillars from the labelled measures)
    report = evaluate(outline, gold, load_knowledge(), loo=True, model=None)
    assert report.figures(report.leave_one_out)["top1"] > report.figures()["top1"]
    assert not any(r.match.corrected for r in report.leave_one_out)  # no exact-name override
    assert set(report.to_json()["leave_one_out"]) == {"without_corrections", "with_other_corrections"}


@pytest.mark.parametrize(("name", "least"), [("other_cities_labelled.tsv", 80), ("other_cities_sentences.tsv", 40), ("independent_measures.tsv", 50)])
def test_labelled_examples_of_other_cities_are_well_formed(name: str, least: int, outline_txt: Path) -> None:
    gold = read_gold(DATA / name)
    assert len(gold) >= least
    numbers = {p.number for p in read_outline(outline_txt).pillars}
    assert all(g.pillar in numbers and set(g.alt) <= numbers for g in gold)
    header = (DATA / name).read_text("utf-8").splitlines()[0].split("\t")
    assert "source" in header
