"""classify, match and evaluate driven through main([...]): JSON shapes, order, exit codes."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import DATA, SHARED

from pipeline.cli import main

SHARED_GOLD = SHARED / "eval" / "tsushima_h21_gold.tsv"


def test_classify_json_lines_in_input_order(tmp_path: Path, outline_txt: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    measures = tmp_path / "measures.txt"
    measures.write_text("職員研修の実施\n\n協働事業提案制度の創設\n市民協働条例の制定\n", "utf-8")
    assert main(["classify", "--outline", str(outline_txt), "--json", str(measures)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == ["職員研修の実施", "協働事業提案制度の創設", "市民協働条例の制定"]
    assert [r["pillar"] for r in rows] == [2, 7, 10]
    first = rows[0]
    assert set(first) >= {"text", "pillar", "title", "score", "confidence", "ranking", "evidence"}
    assert first["title"] == "職員の意識改革・スキルアップ"
    assert len(first["ranking"]) == 10 and first["ranking"][0] == {"pillar": 2, "score": first["score"]}
    assert set(first["evidence"][0]) == {"kind", "text", "weight", "where"}
    assert first["evidence"][0]["kind"] in ("outline", "rule", "model", "measure", "learned", "correction", "none")


def test_classify_reads_stdin_and_prints_a_table(outline_txt: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("市民協働出前講座の実施\n".encode())))
    assert main(["classify", "--outline", str(outline_txt)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(1) 市民の協働に対する意識の醸成") and "出前" in out


def test_classify_usage_errors(outline_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "no/such.txt", "--outline", str(outline_txt)]) == 2
    assert main(["classify", "-"]) == 2  # --outline is required


def test_classify_bad_corrections_file_exit_1(tmp_path: Path, outline_txt: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "corrections.tsv"
    bad.write_text("name\tpillar\n", "utf-8")
    measures = tmp_path / "m.txt"
    measures.write_text("職員研修\n", "utf-8")
    assert main(["classify", "--outline", str(outline_txt), "--corrections", str(bad), str(measures)]) == 1
    assert capsys.readouterr().err.startswith(f"{bad}: no column item")


def test_match_plans_json_and_unreadable_plan_exit_1(tmp_path: Path, outline_txt: Path, tsushima_txt: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert main(["match", "--outline", str(outline_txt), str(bad), str(tsushima_txt), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == f"{bad}: empty file (0 bytes) (check that the right file was given)"
    data = json.loads(captured.out)
    (doc,) = data["documents"]
    assert len(doc["items"]) == 38
    item = doc["items"][0]
    assert set(item) >= {"id", "name", "pillar", "title", "score", "runner_up", "evidence", "confidence"}
    assert data["metadata"]["tokenizer"]["split_mode"] == "C"
    assert data["errors"][0]["path"] == str(bad)


def test_match_readable_listing_with_corrections(tmp_path: Path, outline_txt: Path, tsushima_txt: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    corrections = tmp_path / "corrections.tsv"
    corrections.write_text("item\tpillar\n職員用マニュアル\t8\n", "utf-8")
    assert main(["match", "--outline", str(outline_txt), "--corrections", str(corrections), str(tsushima_txt)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "職員用マニュアル" in x)
    assert "✔ (8" in line


def test_evaluate_tiny_gold_text_only(tmp_path: Path, outline_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text("item\tpillar\talt\n職員研修の実施\t2\t\n協働事業提案制度の創設\t7\t\n職員研修の見直し\t9\t2\n",
                    "utf-8")
    assert main(["evaluate", "--outline", str(outline_txt), "--gold", str(gold), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["n"], data["top1"], data["acceptable"]) == (3, round(2 / 3, 3), 1.0)
    assert [m["item"] for m in data["misses"]] == ["職員研修の見直し"]
    assert data["misses"][0]["evidence"]


@pytest.mark.skipif(not SHARED_GOLD.is_file(), reason="shared gold set not present")
def test_evaluate_gold_with_plan_meets_targets(outline_txt: Path, tsushima_txt: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--outline", str(outline_txt), "--gold", str(SHARED_GOLD), "--plan", str(tsushima_txt),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n"] == 38
    assert data["top1"] >= 0.80 and data["acceptable"] >= 0.90 and data["top2"] >= 0.95


@pytest.mark.parametrize("name", ["other_cities_labelled.tsv", "other_cities_sentences.tsv", "independent_measures.tsv"])
def test_evaluate_labelled_other_cities_text_only(name: str, outline_txt: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    gold = DATA / name
    assert main(["evaluate", "--outline", str(outline_txt), "--gold", str(gold), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["acceptable"] >= 0.80


def test_evaluate_gold_item_missing_from_plan_exit_1(tmp_path: Path, outline_txt: Path, tsushima_txt: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text("item\tpillar\talt\n職員研修の実施\t2\t\n架空の項目\t1\t\n", "utf-8")
    assert main(["evaluate", "--outline", str(outline_txt), "--gold", str(gold), "--plan", str(tsushima_txt)]) == 1
    assert "'架空の項目' is not an item of" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["classify", "match", "evaluate"])
def test_matching_commands_read_corrections_beside_the_outline(tmp_path: Path, outline_txt: Path,
                                                               tsushima_txt: Path, command: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # as run and draft do: corrections.tsv beside the outline is the planner's, without --corrections
    folder = tmp_path / "計画 フォルダ"
    folder.mkdir()
    outline = folder / outline_txt.name
    outline.write_bytes(outline_txt.read_bytes())
    (folder / "corrections.tsv").write_text("item\tpillar\n職員用マニュアル\t8\n", "utf-8")
    measures = tmp_path / "m.txt"
    measures.write_text("職員用マニュアル\n", "utf-8")
    gold = tmp_path / "gold.tsv"
    gold.write_text("item\tpillar\talt\n職員用マニュアル\t8\t\n", "utf-8")
    args = {"classify": ["classify", "--outline", str(outline), "--json", str(measures)],
            "match": ["match", "--outline", str(outline), "--json", str(tsushima_txt)],
            "evaluate": ["evaluate", "--outline", str(outline), "--gold", str(gold), "--json"]}[command]
    assert main(args) == 0
    out = capsys.readouterr().out
    if command == "classify":
        row = json.loads(out)
        assert row["corrected"] and row["pillar"] == 8
    elif command == "match":
        items = json.loads(out)["documents"][0]["items"]
        found = [i for i in items if i["name"] == "職員用マニュアル"]
        assert found and all(i["corrected"] and i["pillar"] == 8 for i in found)
    else:
        assert json.loads(out)["acceptable"] == 1.0


def test_match_command_matches_like_the_job(outline_txt: Path, tsushima_txt: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # one path for matching: `plandraft match` gives what the job's match stage gives
    from pipeline.job import Pipeline
    from pipeline.settings import RunConfig

    assert main(["match", "--outline", str(outline_txt), "--json", str(tsushima_txt)]) == 0
    items = json.loads(capsys.readouterr().out)["documents"][0]["items"]
    state = Pipeline()(RunConfig.for_files(outline_txt, tsushima_txt, reference="none"), ("outline", "read", "match"))
    assert state.plan is not None
    assert [(i["pillar"], i["score"]) for i in items] == [(m.pillar, m.score) for m in state.matches_of(state.plan)]


def test_classify_leaves_a_labelled_department_out_of_the_evidence(tmp_path: Path, outline_txt: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A measure printed with its department (…（担当課：まちづくり推進課）) or its 区分 (【新規】, （再掲）) is
    matched by what it is, as an item read from a plan is: the department's words (推進, 担当課) are no
    evidence, and the line is reported as given."""
    measures = tmp_path / "measures.txt"
    plain, noted = "市民活動団体のスキルアップ研修", "市民活動団体のスキルアップ研修（担当課：まちづくり推進課）"
    measures.write_text(f"{plain}\n{noted}\n{plain}【所管】市民協働推進課\n【新規】{plain}（再掲）\n", "utf-8")
    assert main(["classify", "--outline", str(outline_txt), "--json", str(measures)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[1]["text"] == noted.replace("（", "(").replace("）", ")").replace("：", ":")
    for row in rows[1:]:
        assert row["ranking"] == rows[0]["ranking"] and row["confidence"] == rows[0]["confidence"]
        assert not any("担当" in e["text"] or "推進" in e["text"] for e in row["evidence"])
