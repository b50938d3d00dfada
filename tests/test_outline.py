"""The outline parser: pillars, descriptions, topics, example projects with cities — read, not built in."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.outline import read_outline, split_city


def test_shipped_outline_has_ten_pillars(outline_txt: Path) -> None:
    outline = read_outline(outline_txt)
    assert [p.number for p in outline.pillars] == list(range(1, 11))
    p1, p4, p10 = outline.pillar(1), outline.pillar(4), outline.pillar(10)
    assert p1.title == "市民の協働に対する意識の醸成"
    assert p1.description.startswith("より多くの市民が協働について知り")
    assert "一般市民に対する効果的な啓発、PR活動" in p1.topics
    assert p10.title.startswith("協働の取り組みを効果的に進めるための行動計画")
    # the title differs between sections 1 and 2; both are kept
    assert p4.title == "協働のコーディネート機能の育成" and "協働のコーディネーター機能の育成" in p4.alt_titles
    assert "中間支援組織の支援" in p4.topics


def test_examples_carry_their_cities(outline_txt: Path) -> None:
    outline = read_outline(outline_txt)
    cities = {e.city for p in outline.pillars for e in p.examples if e.city}
    cities |= {e.city for e in outline.model_projects if e.city}
    assert {"安城市", "裾野市", "尾道市", "東広島市", "横浜市"} <= cities
    ex = {(e.text, e.city) for e in outline.pillar(1).examples}
    assert ("市民協働出前講座の実施", "安城市") in ex
    assert ("市民協働の手引き(自治組織版)の発行", "尾道市") in ex
    assert ("まちづくりコーディネーター", "横浜市") in {(e.text, e.city) for e in outline.pillar(4).examples}
    model = {(e.text, e.city) for e in outline.model_projects}
    assert ("地域づくり推進交付金制度の構築", "東広島市") in model and ("アダプトプログラム", "裾野市") in model
    assert not any(e.text == "他都市の事例" for e in outline.model_projects)


def test_sections_for_the_draft(outline_txt: Path) -> None:
    sections = {s.number: s for s in read_outline(outline_txt).sections}
    assert sections[4].title == "計画の推進体制"
    assert sections[4].headings == ("推進組織", "庁内体制", "計画の進捗評価について")
    assert sections[5].title == "計画のスケジュール"


SEVEN = """まちづくり計画 構成案

1. 目標

（例えば）

{pairs}

2. 具体的な事業

{numbered}

3. モデル事業

先進事例

花壇の里親制度（小牧市）
"""

TOPICS = ["防災", "子育て", "環境美化", "福祉", "観光", "文化", "交通"]


def seven_pillar_outline() -> str:
    pairs = "\n\n".join(f"{t}の協働\n\n{t}について市民と協働する。" for t in TOPICS)
    numbered = "\n\n".join(
        f"({n}) {t}の協働\n\n- ・ {t}講座の開催\n\n【具体的な事業】\n\n- ・{t}マップづくり(西尾市)"
        for n, t in enumerate(TOPICS, start=1)
    )
    return SEVEN.format(pairs=pairs, numbered=numbered)


def test_another_outline_with_seven_pillars(tmp_path: Path) -> None:
    path = tmp_path / "outline.md"
    path.write_text(seven_pillar_outline(), "utf-8")
    outline = read_outline(path)
    assert len(outline.pillars) == 7
    p3 = outline.pillar(3)
    assert p3.title == "環境美化の協働" and p3.description == "環境美化について市民と協働する。"
    assert p3.topics == ("環境美化講座の開催",)
    assert [(e.text, e.city) for e in p3.examples] == [("環境美化マップづくり", "西尾市")]
    assert [(e.text, e.city) for e in outline.model_projects] == [("花壇の里親制度", "小牧市")]


def test_outline_of_title_description_pairs_only(tmp_path: Path) -> None:
    path = tmp_path / "outline.txt"
    path.write_text("構成案\n\n1. 目標\n\n防災の協働\n\n防災に取り組む。\n\n福祉の協働\n\n福祉に取り組む。\n\n観光の協働\n\n観光に取り組む。\n", "utf-8")
    outline = read_outline(path)
    assert [(p.number, p.title, p.description) for p in outline.pillars] == [
        (1, "防災の協働", "防災に取り組む。"), (2, "福祉の協働", "福祉に取り組む。"), (3, "観光の協働", "観光に取り組む。")]


def test_outline_without_pillars_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("ただのメモです。\n", "utf-8")
    with pytest.raises(InputError, match="no policy pillars"):
        read_outline(path)


@pytest.mark.parametrize(
    ("text", "body", "city"),
    [
        ("市民協働出前講座の実施(安城市)", "市民協働出前講座の実施", "安城市"),
        ("地域づくり推進交付金制度の構築（東広島市）", "地域づくり推進交付金制度の構築", "東広島市"),
        ("横浜市のまちづくりコーディネーター", "まちづくりコーディネーター", "横浜市"),
        ("市民協働の手引き(自治組織版)の発行", "市民協働の手引き(自治組織版)の発行", None),
        ("住民リーダーの研修", "住民リーダーの研修", None),
    ],
)
def test_split_city(text: str, body: str, city: str | None) -> None:
    assert split_city(text) == (body, city)


def _outline_as_docx(lines: list[str], path: Path) -> Path:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def _outline_as_pdf(lines: list[str], path: Path) -> Path:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    style = ParagraphStyle("ja", fontName="HeiseiMin-W3", fontSize=10.5, leading=16, wordWrap="CJK")
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(escape(line), style) for line in lines])
    return path


@pytest.mark.parametrize("make", [_outline_as_docx, _outline_as_pdf], ids=["docx", "pdf"])
def test_outline_reads_the_same_from_docx_and_pdf(tmp_path: Path, outline_txt: Path, make) -> None:  # type: ignore[no-untyped-def]
    lines = [line for line in outline_txt.read_text("utf-8").splitlines() if line.strip()]
    path = make(lines, tmp_path / f"outline{'.docx' if make is _outline_as_docx else '.pdf'}")
    base, other = read_outline(outline_txt), read_outline(path)
    assert other.pillars == base.pillars  # wrapped PDF lines included
    assert other.model_projects == base.model_projects and other.sections == base.sections
