"""Comparison with other cities: matrix counts, pairs and gaps, the heatmap's Japanese font, the
Excel and Word outputs, and `plandraft compare` through main([...])."""
from __future__ import annotations

import io
import json
import logging
import warnings
from pathlib import Path

import pytest
from comparekit import MINAMIKAWA, WAKABA, KeywordMatcher, item
from conftest import ROOT
from docx import Document as open_docx
from docx.shared import Mm
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.compare.compare import (
    OUTLINE_EXAMPLES,
    Comparison,
    OtherItem,
    compare,
    find_gaps,
    others_from_document,
    others_from_outline,
)
from pipeline.ingest import ingest_file
from pipeline.model import Outline
from pipeline.outline import read_outline


@pytest.fixture(scope="module")
def outline() -> Outline:
    return read_outline(ROOT / "inputs" / "outline_計画の構成案.txt")


@pytest.fixture(scope="module")
def towns(outline: Outline) -> Comparison:
    """若葉町 (ours) against 南川町, pillars by keyword."""
    ours, theirs = ingest_file(WAKABA, use_cache=False), ingest_file(MINAMIKAWA, use_cache=False)
    return compare(outline, ours.items, others_from_document(theirs), KeywordMatcher(outline), our_city="若葉町")


def test_matrix_counts_every_measure_under_its_pillar(towns: Comparison) -> None:
    assert towns.cities == ("若葉町", "南川町")
    ours = {n: towns.count(n, "若葉町") for n, _ in towns.pillars}
    theirs = {n: towns.count(n, "南川町") for n, _ in towns.pillars}
    assert ours == {1: 2, 2: 1, 3: 0, 4: 1, 5: 0, 6: 2, 7: 1, 8: 0, 9: 1, 10: 0}
    assert theirs == {1: 2, 2: 0, 3: 2, 4: 0, 5: 0, 6: 3, 7: 0, 8: 0, 9: 0, 10: 0}


def test_pairs_name_our_nearest_item_and_shared_words(towns: Comparison) -> None:
    pairs = {p.other.item.name: p for p in towns.pairs}
    assert len(pairs) == 7
    subsidy = pairs["市民活動補助金の交付"]
    assert subsidy.ours is not None and subsidy.ours.name == "市民活動補助金制度の創設"
    assert "補助金" in subsidy.shared and subsidy.score >= towns.threshold
    points = pairs["ボランティアポイント事業"]
    assert points.ours is not None and points.ours.name == "ボランティアポイント制度"
    fund = pairs["まちづくりファンドの検討"]
    assert fund.ours is None and fund.score < towns.threshold and fund.nearest is not None


def test_gaps_are_their_measures_with_no_counterpart_per_pillar(towns: Comparison) -> None:
    gaps = {(g.pillar, g.text) for g in towns.gaps}
    assert (6, "まちづくりファンドの検討") in gaps and (3, "SNSによる情報発信") in gaps
    assert not any(t in ("市民活動補助金の交付", "ボランティアポイント事業") for _, t in gaps)
    for pillar in {g.pillar for g in towns.gaps}:
        assert [g.rank for g in towns.gaps if g.pillar == pillar] == list(range(1, 1 + sum(
            1 for g in towns.gaps if g.pillar == pillar)))


def test_like_gaps_of_several_cities_are_one_candidate_ranked_first(outline: Outline) -> None:
    ours = [item("職員研修の実施", "協働についての職員研修を行います。")]
    others = [
        ("甲市", item("里山保全ボランティアの育成", "里山の保全活動を担うボランティアを育てます。", 1, "a.txt", "a" * 64)),
        ("丙市", item("まちかど図書館", "空き店舗に小さな図書館を開きます。", 1, "c.txt", "c" * 64)),
        ("乙市", item("里山保全活動の支援", "里山保全に取り組むボランティア団体を支援します。", 1, "b.txt", "b" * 64)),
        ("丁市", item("職員研修の充実", "協働についての職員研修を充実します。", 1, "d.txt", "d" * 64)),
    ]
    matcher = KeywordMatcher(outline)
    matcher.pillar_of = lambda text: 6  # type: ignore[method-assign]
    gaps = find_gaps(ours, others, matcher)  # pure: (city, Item) pairs in, Gap records out
    assert [(g.pillar, g.rank, g.cities) for g in gaps] == [(6, 1, ("甲市", "乙市")), (6, 2, ("丙市",))]
    assert gaps[0].text in ("里山保全ボランティアの育成", "里山保全活動の支援")
    assert len(gaps[0].similar) == 1 and gaps[0].nearest is None and gaps[0].nearest_score == 0.0  # nothing alike
    with pytest.raises(ValueError):
        find_gaps(ours, others, object())  # type: ignore[arg-type]


def test_outline_examples_count_as_other_cities(outline: Outline) -> None:
    others = others_from_outline(outline, "f" * 64)
    by_city = {o.city for o in others}
    assert {"安城市", "裾野市", "尾道市", "東広島市", "横浜市", OUTLINE_EXAMPLES} <= by_city
    anjo = [o for o in others if o.item.name == "市民協働出前講座の実施"]
    assert anjo[0].city == "安城市" and anjo[0].pillar == 1
    assert all(o.pillar is None for o in others if o.item.policy == "モデル事業")
    ours = ingest_file(WAKABA, use_cache=False)
    result = compare(outline, ours.items, others, KeywordMatcher(outline), our_city="若葉町")
    assert result.cities[0] == "若葉町" and result.cities[-1] == OUTLINE_EXAMPLES
    assert result.count(4, "横浜市") == 1
    # 安城市's 出前講座 has our 協働出前講座の開催 as its counterpart
    pair = next(p for p in result.pairs if p.other.item.name == "市民協働出前講座の実施")
    assert pair.ours is not None and pair.ours.name == "協働出前講座の開催"


def test_our_own_citys_older_measures_are_not_another_city(outline: Outline) -> None:
    ours = ingest_file(WAKABA, use_cache=False)
    older = [OtherItem(item=i, city="若葉町", fiscal_year=2022) for i in ours.items]
    result = compare(outline, ours.items, older, KeywordMatcher(outline), our_city="若葉町")
    assert result.pairs == () and result.cities == ("若葉町",) and result.skipped


def test_heatmap_font_is_found_and_japanese_renders_without_missing_glyphs(
    towns: Comparison, caplog: pytest.LogCaptureFixture
) -> None:
    from matplotlib import font_manager

    from pipeline.compare.heatmap import FONT_FAMILY, japanese_font, render_heatmap

    family, path = japanese_font()
    assert family == FONT_FAMILY and Path(path).is_file()
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert font_manager.FontProperties(fname=found).get_name() == family == font_manager.get_font(path).family_name
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        png = render_heatmap(towns)
    assert not [w for w in caught if "missing" in str(w.message).lower() or "glyph" in str(w.message).lower()]
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def _docx_dump(data: bytes) -> dict[str, object]:
    doc = open_docx(io.BytesIO(data))
    section = doc.sections[0]
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    return {
        "page_mm": (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))),
        "headings": [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))],
        "tables": [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables],
        "pictures": len(doc.inline_shapes),
        "east_asia": rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"),
    }


def test_word_report_has_heatmap_matrix_and_gaps_on_a4(towns: Comparison) -> None:
    from pipeline.compare.heatmap import render_heatmap
    from pipeline.compare.report import report_bytes

    dump = _docx_dump(report_bytes(towns, render_heatmap(towns), provenance="test"))
    assert dump["page_mm"] == (297, 210)  # A4 landscape: a column per municipality
    assert dump["east_asia"] == "游明朝"
    assert dump["pictures"] == 1
    headings = dump["headings"]
    assert headings[0] == ("Title", "他市町村との施策比較（若葉町）")
    assert ("Heading 1", "施策の柱ごとの比較") in headings
    assert ("Heading 1", "新規候補（他市町村にあって当市にない施策）") in headings
    assert ("Heading 2", "(6) 市民自身が市民の活動を支える環境づくり") in headings
    matrix = dump["tables"][0]
    assert matrix[0] == ["施策の柱", "若葉町", "南川町"]
    assert matrix[6][0].startswith("(6)") and matrix[6][1:] == ["2", "3"]
    assert matrix[-1] == ["合計", "8", "7"]
    gap_tables = dump["tables"][1:]
    assert gap_tables and all(t[0][:3] == ["順位", "新規候補（他市町村の施策）", "市町村"] for t in gap_tables)
    assert any(row[1] == "まちづくりファンドの検討" and row[2] == "南川町" for t in gap_tables for row in t)


def test_the_draft_can_append_the_comparison_to_its_own_document(towns: Comparison) -> None:
    from docx import Document

    from pipeline.compare.report import add_comparison

    doc = Document()
    add_comparison(doc, towns, None, level=2)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"][:1] == ["施策の柱ごとの比較"]
    assert doc.tables[0].rows[0].cells[1].text == "若葉町"


def test_workbook_sheets(towns: Comparison) -> None:
    from pipeline.compare.report import workbook_bytes

    wb = load_workbook(io.BytesIO(workbook_bytes(towns)))
    assert wb.sheetnames == ["柱別の施策数", "施策の対応", "新規候補"]
    m = wb["柱別の施策数"]
    assert [c.value for c in m[1]] == ["施策の柱", "若葉町", "南川町"]
    rows = {r[0]: r[1:] for r in m.iter_rows(min_row=2, values_only=True)}
    assert rows["(6) 市民自身が市民の活動を支える環境づくり"] == (2, 3) and rows["合計"] == (8, 7)
    pairs = list(wb["施策の対応"].iter_rows(min_row=2, values_only=True))
    assert len(pairs) == 7
    subsidy = next(r for r in pairs if r[3] == "市民活動補助金の交付")
    assert subsidy[6] == "対応あり" and subsidy[7] == "市民活動補助金制度の創設"
    gaps = list(wb["新規候補"].iter_rows(min_row=2, values_only=True))
    assert ("まちづくりファンドの検討", "南川町") in {(r[3], r[4]) for r in gaps}


def test_compare_template_is_what_the_script_builds() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_compare_template.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_compare_cli(tmp_path: Path, outline_txt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, lib = tmp_path / "out", str(tmp_path / "lib.sqlite")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    args = ["compare", "--outline", str(outline_txt), "--plan", str(WAKABA), "--library", lib, "-o", str(out)]
    assert main([*args, "--others", str(MINAMIKAWA), str(broken), "--json"]) == 1
    captured = capsys.readouterr()
    err = [line for line in captured.err.splitlines() if line.startswith(str(broken))]
    assert len(err) == 1
    data = json.loads(captured.out)
    assert data["our_city"] == "若葉町" and "南川町" in data["cities"] and "安城市" in data["cities"]
    assert sum(data["matrix"][p]["若葉町"] for p in data["matrix"]) == 8
    assert sum(data["matrix"][p]["南川町"] for p in data["matrix"]) == 7
    assert data["gaps"] and {"pillar", "rank", "measure", "cities"} <= set(data["gaps"][0])
    assert sorted(Path(p).name for p in data["outputs"]) == ["comparison.docx", "comparison.xlsx", "heatmap.png"]
    assert main(args) == 2  # outputs exist: --force needed
    assert "use --force" in capsys.readouterr().err
    # the library remembers 南川町: a second run without --others still compares with it
    assert main([*args, "--force"]) == 0
    assert "南川町" in [c.value for c in load_workbook(out / "comparison.xlsx")["柱別の施策数"][1]]
    assert list(out.glob("comparison.*.xlsx.bak"))
    assert main(["compare", "--outline", str(outline_txt), "-o", str(out)]) == 2  # --plan missing
    assert main(["compare", "--outline", str(outline_txt), "--plan", str(tmp_path / "none.txt"), "-o", str(out)]) == 2
    assert main([*args, "--force", "--no-library", "--threshold", "2"]) == 2
