"""The rendered Word files, checked as a planner would open them: headings per pillar, every item
once, years rolled over, flags visible, fonts, A4, page numbers, repeated header rows; and their
content against golden JSON dumps (refresh with PLANDRAFT_UPDATE_GOLDEN=1 pytest tests/draft/test_render.py)."""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import GOLDEN
from docxdump import dump_docx
from test_draft import _item, _match, _outline, _plan, hand_matches, tsushima

from pipeline.draft.build import build_draft
from pipeline.draft.records import Span
from pipeline.draft.render import (
    DRAFT_TEMPLATE,
    build_and_write,
    draft_context,
    output_paths,
    render,
    render_changes,
    render_draft,
    write_draft,
)
from pipeline.errors import InputError, UsageError

UPDATE = os.environ.get("PLANDRAFT_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _no_libreoffice_pass(monkeypatch):
    """The contents' page numbers (a LibreOffice pass of several seconds) are tested in test_libreoffice.py."""
    monkeypatch.setenv("PLANDRAFT_SOFFICE", "off")


@pytest.fixture(scope="module")
def draft():
    outline, plan = tsushima()
    return build_draft(outline, plan, hand_matches(plan))


@pytest.fixture(scope="module")
def rendered(draft):
    return dump_docx(render_draft(draft, provenance="作成：test"))


@pytest.fixture(scope="module")
def comparison(draft):
    return dump_docx(render_changes(draft, provenance="作成：test"))


def _paragraphs(dump, style=None):
    return [b["p"] for b in dump["body"] if "p" in b and (style is None or b["style"] == style)]


def _tables(dump):
    return [b for b in dump["body"] if "table" in b]


def _unmark(text: str) -> str:
    return re.sub(r"\[/?\w*\]", "", text)


def test_one_heading_per_pillar_in_a_real_heading_style(rendered, draft):
    outline, _ = tsushima()
    h2 = _paragraphs(rendered, "Heading 2")
    assert [f"({p.number}) {p.title}" for p in outline.pillars] == h2[: len(outline.pillars)]
    h1 = _paragraphs(rendered, "Heading 1")
    assert h1[:2] == ["1．行動計画の目指すもの(目標)", "2．市民協働推進のための具体的な事業"]
    assert h1[-1].startswith("確認事項一覧")


def test_every_carried_item_appears_once_in_the_pillar_tables(rendered):
    _, plan = tsushima()
    project_tables = [t for t in _tables(rendered) if t["table"][0][:3] == ["項目", "内容", "主体"]]
    assert len(project_tables) == 10
    first_cells = [_unmark(row[0]) for t in project_tables for row in t["table"][1:]]
    for item in plan.items:
        name = item.name.replace("21年度", "22年度")
        assert sum(cell.endswith("　" + name) for cell in first_cells) == (2 if name == "市民活動コミュニティ連絡調整会議" else 1)


def test_years_are_rolled_over_and_last_years_label_only_names_last_years_plan(rendered):
    text = json.dumps(rendered["body"], ensure_ascii=False)
    assert "平成22年度" in rendered["body"][1]["p"] or "平成22年度" in rendered["body"][0]["p"]
    assert "平成22年度 市民協働(共働)推進アクションプラン（案）" in rendered["header"][0]
    for m in re.finditer("平成21年度", text):
        assert text[m.end() : m.end() + 2] == "計画", text[m.start() - 30 : m.end() + 10]
    assert "22年度アクションプランの策定" in text and "21年度アクションプラン" not in text


def test_every_decision_is_a_comment_anchored_on_its_text_and_listed(rendered, draft):
    comments = rendered["comments"]
    assert len(comments) == len(draft.review) == 27
    assert all(c["author"] == "plandraft" and c["anchor"] for c in comments)
    by_id = {c["id"]: c for c in comments}
    stale = next(r for r in draft.review if "現在66団体" in r.note)
    assert by_id[stale.number]["anchor"] == "現在66団体" and "要更新" in by_id[stale.number]["text"]
    assert by_id[1]["anchor"] == "平成22年　月"  # the cover's 発行年月
    text = json.dumps(rendered["body"], ensure_ascii=False)
    # what needs a decision is no longer highlighted nor repeated as ▲ lines; a place to type in is
    assert "▲" not in text and "[ReviewMark]現在66団体" not in text and "[ReviewMark]新規候補[/]" not in text
    assert "[ReviewMark]平成22年　月[/]" in text and "[ReviewMark]【記入】この柱の目指すもの" in text
    review = _tables(rendered)[-1]["table"]
    assert review[0] == ["No.", "区分", "場所", "確認すること", "確認状況"]
    assert any("現在66団体" in row[3] for row in review)


def test_inline_review_keeps_highlight_and_marks_and_writes_no_comments(draft):
    inline = dump_docx(render_draft(dataclasses.replace(draft, review_style="inline"), provenance="作成：test"))
    text = json.dumps(inline["body"], ensure_ascii=False)
    assert inline["comments"] == []
    assert "[ReviewMark]現在66団体[/]" in text and "[ReviewMark]新規候補[/]" in text
    assert "▲要更新：" in text and "▲柱の確認：" in text and "▲検討結果を反映：" in text


def test_settings_say_word_2013_mode_and_the_contents_is_a_field(draft):
    import zipfile

    data = render_draft(draft)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        settings = z.read("word/settings.xml").decode()
        document = z.read("word/document.xml").decode()
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings)
    assert 'TOC \\o "1-2"' in document and document.count('w:fldCharType="begin"') >= 1
    dump = dump_docx(data)
    assert any(b.get("p", "").startswith("{TOC}") for b in dump["body"])


def test_many_other_plans_with_long_names_fit_the_properties(tmp_path):
    """Issue 14.1: the list of inputs went into the 255-character core property and the draft failed."""
    from docx import Document as open_docx

    outline, plan = tsushima()
    others = [dataclasses.replace(plan, path=f"/data/{'第二次市民協働推進アクションプラン計画書改訂版' * 2}_{k}.pdf",
                                  items=(), city=f"市{k}") for k in range(6)]
    d = build_draft(outline, plan, hand_matches(plan), others)
    paths = write_draft(d, outline, tmp_path, page_numbers=False)
    names = [Path(o.path).name for o in others]
    assert sum(len(n) for n in names) > 255
    for path in paths:
        doc = open_docx(str(path))
        assert len(doc.core_properties.comments) <= 255
        body = "\n".join(p.text for p in doc.paragraphs)
        assert all(n in body for n in names)
        with zipfile.ZipFile(path) as z:
            custom = z.read("docProps/custom.xml").decode()
        assert all(n in custom for n in names)
        assert all(len(v) <= 255 for v in re.findall(r"<vt:lpwstr>(.*?)</vt:lpwstr>", custom))


def test_word_quality_a4_fonts_page_numbers_header_rows(rendered, comparison):
    assert (rendered["page"]["width_mm"], rendered["page"]["height_mm"]) == (210, 297)
    assert (comparison["page"]["width_mm"], comparison["page"]["height_mm"]) == (297, 210)
    for dump in (rendered, comparison):
        assert dump["defaults"]["eastAsia"] == "游明朝" and dump["defaults"]["lang_eastAsia"] == "ja-JP"
        assert all(f["eastAsia"] for name, f in dump["fonts"].items() if name not in ("Review Mark", "Inserted Text",
                                                                                     "Deleted Text"))
        assert "{PAGE}" in "".join(dump["footer"])
        assert all(t["header_rows"] == 1 for t in _tables(dump))
    assert rendered["fonts"]["Heading 1"]["eastAsia"] == "游ゴシック"


def test_cover_page_has_city_year_and_draft_mark(rendered):
    cover = _paragraphs(rendered)[:5]
    assert cover[:3] == ["平成22年度", "市民協働(共働)推進アクションプラン", "（案）"]
    assert "対馬市" in cover


def test_the_comparison_shows_old_against_new_with_changes_marked(comparison):
    table = _tables(comparison)[0]["table"]
    assert table[0] == ["No.", "新（平成22年度）", "旧（平成21年度）", "備考"]  # 新 (改正後) first
    row = next(r for r in table if "アクションプランの策定" in r[2])
    assert "[InsertedText]22[/]" in row[1] and "[DeletedText]21[/]" in row[2]
    assert sum(1 for r in table[1:] if r[2]) == 38


def test_render_leaves_the_template_alone_and_is_repeatable(draft):
    before = hashlib.sha256(DRAFT_TEMPLATE.read_bytes()).hexdigest()
    first = dump_docx(render_draft(draft, provenance="x"))
    second = dump_docx(render_draft(draft, provenance="x"))
    assert first == second
    assert hashlib.sha256(DRAFT_TEMPLATE.read_bytes()).hexdigest() == before


def test_a_missing_variable_is_an_error_not_an_empty_string(draft):
    context = draft_context(draft)
    del context["city"]
    with pytest.raises(InputError, match="city"):
        render(DRAFT_TEMPLATE, context)


def test_xml_special_characters_in_a_plan_are_escaped():
    item = _item(1, "A&B <協働>", "共働<協働>の R&D を進めます。")
    d = build_draft(_outline(), _plan([item]), [_match(item, 1)])
    dump = dump_docx(render_draft(d))
    assert "共働<協働>の R&D を進めます。" in json.dumps(dump, ensure_ascii=False)


def test_build_and_write_refuses_to_overwrite_without_force_and_keeps_a_backup(tmp_path):
    outline, plan = tsushima()
    matches = hand_matches(plan)
    paths = build_and_write(outline, plan, matches, out_dir=tmp_path)
    assert [p.name for p in paths] == ["平成22年度_市民協働推進アクションプラン_案.docx",
                                       "平成22年度_市民協働推進アクションプラン_新旧対照表.docx"]
    paths[0].write_bytes(b"planner's edits")
    with pytest.raises(UsageError, match="--force"):
        build_and_write(outline, plan, matches, out_dir=tmp_path)
    assert paths[0].read_bytes() == b"planner's edits"
    build_and_write(outline, plan, matches, out_dir=tmp_path, force=True)
    backups = list(tmp_path.glob("*.bak"))
    assert any(b.read_bytes() == b"planner's edits" for b in backups)
    assert dump_docx(paths[0])["page"]["width_mm"] == 210
    assert not list(tmp_path.glob(".*.tmp"))


def test_year_argument_names_the_files(tmp_path):
    outline, plan = tsushima()
    d = build_draft(outline, plan, hand_matches(plan), year=2019)
    assert output_paths(d, tmp_path)[0].name == "令和元年度_市民協働推進アクションプラン_案.docx"


def test_a_broken_template_is_refused_with_the_reason(tmp_path):
    from docx import Document as open_docx

    doc = open_docx(str(DRAFT_TEMPLATE))
    doc.add_paragraph("{%p for x in pillars %}")
    broken = tmp_path / "broken.docx"
    doc.save(broken)
    outline, plan = tsushima()
    with pytest.raises(InputError, match="template tag broken"):
        build_and_write(outline, plan, hand_matches(plan), out_dir=tmp_path, template=broken)
    assert not list(tmp_path.glob("*_案.docx"))


def test_a_plan_given_as_the_template_is_refused_not_written_out_as_the_draft(tmp_path):
    """A planner who gives last year's plan (a .docx with no template tag) as --template would get that
    plan back as the "draft", with nothing of the new year in it; a file that is no .docx at all is
    said to be that, not a broken tag."""
    from docx import Document as open_docx

    plan_docx = open_docx()
    plan_docx.add_heading("令和6年度 市民協働推進アクションプラン", level=1)
    plan_docx.add_paragraph("協働事業提案制度　市民活動団体からの提案を受けて事業を実施します。")
    not_a_template = tmp_path / "令和6年度 計画.docx"
    plan_docx.save(not_a_template)
    outline, plan = tsushima()
    with pytest.raises(InputError, match="not a template: no template tag") as caught:
        build_and_write(outline, plan, hand_matches(plan), out_dir=tmp_path, template=not_a_template)
    assert "templates/draft.docx" in caught.value.hint
    text_file = tmp_path / "template.docx"
    text_file.write_text("{{ title }}", "utf-8")
    with pytest.raises(InputError, match="cannot be read as a template: not a readable .docx") as caught:
        build_and_write(outline, plan, hand_matches(plan), out_dir=tmp_path, template=text_file)
    assert "tag" not in str(caught.value.reason)
    assert not list(tmp_path.glob("*_案.docx"))


def test_marks_render_in_their_character_styles():
    item = _item(1, "事業", "内容")
    d = build_draft(_outline(), _plan([item]), [_match(item, 1)])
    d = dataclasses.replace(d, issued=(Span("平成22年"), Span("　月", "fill")))
    assert "[c1]平成22年[ReviewMark]　月[/][/c1]" in _paragraphs(dump_docx(render_draft(d)))
    d = dataclasses.replace(d, issued=(Span("平成22年"), Span("　月", "review")))
    assert "[c1]平成22年　月[/c1]" in _paragraphs(dump_docx(render_draft(d)))  # its comment marks it
    d = dataclasses.replace(d, review_style="inline")
    assert "平成22年[ReviewMark]　月[/]" in _paragraphs(dump_docx(render_draft(d)))


@pytest.mark.parametrize("name", ["draft", "comparison"])
def test_rendered_content_matches_golden(name, rendered, comparison):
    dump = {"draft": rendered, "comparison": comparison}[name]
    path = GOLDEN / f"tsushima_{name}.json"
    text = json.dumps(dump, ensure_ascii=False, indent=1) + "\n"
    if UPDATE or not path.exists():
        path.write_text(text, "utf-8")
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {path}; check it and commit it")
    assert json.loads(path.read_text("utf-8")) == dump, (
        f"rendered {name} differs from {path}; if the change is intended, run "
        "PLANDRAFT_UPDATE_GOLDEN=1 pytest tests/draft/test_render.py and review the diff")
