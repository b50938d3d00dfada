"""The review page under real use (issue 14): a corrected row stays in view under the 要確認 filter, a
form from another tab does not overwrite silently, undo a correction, every item one correction moved,
the planner's own wording of an item (inputs/edits.tsv), the source of a measure, paging and sorting
of long lists, and a review page rendered off the event loop."""
from __future__ import annotations

import asyncio
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from starlette.testclient import httpx
from test_web import ORIGIN, Page, make_project

from pipeline.edits import read_edits
from pipeline.match.knowledge import read_corrections
from pipeline.web import routes

INPUTS = ROOT / "inputs"


@pytest.fixture()
def page(tmp_path: Path) -> Iterator[Page]:
    p = Page(make_project(tmp_path / "project", corrections=False))
    yield p
    p.app.state.jobs.shutdown()


def other_city_plan(city: str, names: list[tuple[str, str]]) -> bytes:
    """A small text plan of another city with these (項目, 内容) rows."""
    rows = "".join(f"◎ {name}\t{content}\t市民協働課\n" for name, content in names)
    return (f"平成22年度 市民協働推進アクションプラン\n\n{city} 市民協働課\n\n施策1\n\n市民協働の意識を高める\n\n"
            f"■職員の意識を高めます\n\n項目\tアクションプランの内容\t関係部署\n{rows}").encode()


def correct(page: Page, row, pillar: int, **extra: str):  # type: ignore[no-untyped-def]
    return page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                                     "pillar": str(pillar), **extra}, follow_redirects=False)


def row_ids(html: str) -> list[str]:
    return re.findall(r'<tr id="row-([^"]+)"', html)


def test_corrected_row_stays_in_view_under_the_low_confidence_filter(page: Page) -> None:
    row = next(r for r in page.project.snapshot.rows if r.match.needs_review)
    target = next(p.number for p in page.project.snapshot.outline.pillars if p.number != row.match.pillar)
    r = correct(page, row, target, back="low=1")
    html = page.client.get(r.headers["location"]).text
    assert not page.row(row.item.name).match.needs_review  # no longer 要確認 …
    assert f"{row.doc_id}-{row.item.id}" in row_ids(html)  # … and still on the filtered page
    assert "low=1" in r.headers["location"]  # the filter is kept
    # A fresh visit of the filter leaves it out.
    assert f"{row.doc_id}-{row.item.id}" not in row_ids(page.client.get("/review?low=1").text)


def test_form_from_another_tab_does_not_overwrite_silently(page: Page) -> None:
    snap = page.project.snapshot
    row = page.row("職員研修の実施")
    first, second = (3, 5) if row.match.pillar not in (3, 5) else (6, 7)
    stale = {"revision": str(snap.revision), "shown": str(row.match.pillar)}  # both tabs opened now
    assert correct(page, row, first, **stale).status_code == 303  # tab A
    r = correct(page, row, second, **stale)  # tab B, from before tab A's change
    assert r.status_code == 409 and "別のタブか画面で変更されています" in r.text and "上書きしていません" in r.text
    (c,) = read_corrections(page.root / "inputs" / "corrections.tsv")
    assert c.pillar == str(first) and page.row("職員研修の実施").match.pillar == first
    # Tab B's form of an item nobody changed still saves.
    other = page.row("広報紙の利用")
    target = 1 if other.match.pillar != 1 else 2
    assert correct(page, other, target, revision=stale["revision"], shown=str(other.match.pillar)).status_code == 303
    # The form as the page renders it carries the revision and the pillar shown.
    html = page.client.get("/review").text
    assert f'name="revision" value="{page.project.snapshot.revision}"' in html


def test_undo_a_correction_goes_back_to_automatic(page: Page) -> None:
    row = page.row("職員研修の実施")
    automatic = row.match.pillar
    target = 4 if automatic != 4 else 5
    correct(page, row, target)
    assert page.row("職員研修の実施").match.corrected
    html = page.client.get("/review").text
    assert "自動に戻す" in html
    r = page.client.post("/review/uncorrect", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id},
                         follow_redirects=False)
    assert r.status_code == 303
    assert read_corrections(page.root / "inputs" / "corrections.tsv") == []
    now = page.row("職員研修の実施")
    assert now.match.pillar == automatic and not now.match.corrected
    assert "自動の照合に戻しました" in page.client.get(r.headers["location"]).text
    # Nothing to undo any more: a clear 400, the file untouched.
    again = page.client.post("/review/uncorrect", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id},
                             follow_redirects=False)
    assert again.status_code == 400


def test_every_item_one_correction_moved_is_listed(page: Page) -> None:
    names = [("職員研修の実施", "協働についての意識向上の研修を行います。")] * 1 + [
        (f"職員研修の実施（{n}）", "協働についての意識向上の研修を行います。") for n in range(1, 3)]
    page.wait_redirect(page.upload("others", ("尾道市.txt", other_city_plan("尾道市", names))))
    row = next(r for r in page.project.snapshot.rows if r.item.name == "職員研修の実施" and r.ours)
    target = 9 if row.match.pillar != 9 else 10
    r = correct(page, row, target)
    moved = [x for x in page.project.snapshot.rows if x.city == "尾道市" and x.match.pillar == target]
    assert moved  # the other city's 職員研修の実施 follows the correction
    html = page.client.get(r.headers["location"]).text
    assert "moved=" in r.headers["location"] and "の修正で、ほかに" in html
    box = html[html.index('class="card moved"'):html.index("</section>", html.index('class="card moved"'))]
    for x in moved:
        assert f"/items/{x.doc_id}/{x.item.id}" in box and "（尾道市）" in box


def test_review_pages_long_lists_sorts_by_confidence_and_filters_corrected(page: Page,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes, "PAGE_SIZE", 10)
    rows = page.project.snapshot.rows
    html = page.client.get("/review").text
    assert len(row_ids(html)) == 10 and f"表示 {len(rows)} 件（1〜10 件目）" in html and 'rel="next"' in html
    page4 = page.client.get("/review?page=4").text
    assert len(row_ids(page4)) == len(rows) - 30
    assert page.client.get("/review?page=999").status_code == 200  # past the end: the last page
    by_conf = row_ids(page.client.get("/review?sort=conf").text)
    ordered = sorted(rows, key=lambda r: r.match.confidence)
    assert by_conf == [f"{r.doc_id}-{r.item.id}" for r in ordered[:10]]
    # Paging keeps the filters and the sort.
    assert "sort=conf&amp;page=2" in page.client.get("/review?sort=conf").text
    row = page.row("職員研修の実施")
    correct(page, row, 4 if row.match.pillar != 4 else 5)
    assert row_ids(page.client.get("/review?corrected=1").text) == [f"{row.doc_id}-{row.item.id}"]


def test_edited_name_and_content_are_kept_in_edits_tsv_and_drafted_from(page: Page) -> None:
    row = page.row("職員研修の実施")
    html = page.client.get(f"/items/{row.doc_id}/{row.item.id}").text
    assert 'name="name" value="職員研修の実施"' in html and "協働についての意識向上の研修を行います。" in html
    form = {"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id, "name": "職員協働研修の実施",
            "content": "全職員を対象に協働研修を年2回行います。", "revision": str(page.project.snapshot.revision),
            "shown_name": row.item.name, "shown_content": row.item.content}
    r = page.client.post("/review/edit", data=form, follow_redirects=False)
    assert r.status_code == 303
    edits = read_edits(page.root / "inputs" / "edits.tsv")
    (e,) = edits.values()
    assert (e.name, e.content, e.original, e.item) == ("職員協働研修の実施", "全職員を対象に協働研修を年2回行います。",
                                                      "職員研修の実施", row.item.id)
    snap = page.project.snapshot
    plan_items = {i.id: i for i in snap.state.plan.items}
    assert plan_items[row.item.id].name == "職員協働研修の実施"  # the items the draft is made from
    new = next(x for x in snap.rows if x.key == row.key)
    assert new.edited and "文言を編集済み" in page.client.get("/review").text
    # The draft stage of the same job drafts the planner's wording.
    state = page.project._pipeline()(snap.state, ("draft",))
    assert "職員協働研修の実施" in repr(state.draft) and "職員研修の実施'" not in repr(state.draft)
    # A stale form (the old wording) is refused; an edit back to the file's wording removes the line.
    assert page.client.post("/review/edit", data={**form, "name": "別の名前"}, follow_redirects=False).status_code == 409
    back = {**form, "name": "職員研修の実施", "content": "協働についての意識向上の研修を行います。",
            "revision": str(page.project.snapshot.revision), "shown_name": "職員協働研修の実施",
            "shown_content": "全職員を対象に協働研修を年2回行います。"}
    assert page.client.post("/review/edit", data=back, follow_redirects=False).status_code == 303
    assert read_edits(page.root / "inputs" / "edits.tsv") == {}
    assert page.row("職員研修の実施").edited is False
    # The planner's file was backed up before this session first changed it.
    assert list((page.root / "inputs").glob("edits.*.tsv.bak"))
    # Text from the form is escaped like document text.
    evil = {**back, "name": "<script>x</script>", "revision": str(page.project.snapshot.revision)}
    page.client.post("/review/edit", data=evil, follow_redirects=False)
    html = page.client.get("/review").text
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html


def test_edits_survive_a_reload_of_the_project(page: Page) -> None:
    row = page.row("広報紙の利用")
    page.client.post("/review/edit", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                           "name": "広報紙「つしま」の利用", "content": row.item.content},
                     follow_redirects=False)
    page.wait_redirect(page.client.post("/reload", data={"csrf": page.csrf}, follow_redirects=False))
    assert any(r.item.name == "広報紙「つしま」の利用" and r.edited for r in page.project.snapshot.rows)


def test_source_of_a_text_item_shows_its_lines(page: Page) -> None:
    row = page.row("職員研修の実施")
    html = page.client.get(f"/items/{row.doc_id}/{row.item.id}").text
    assert 'class="source-lines"' in html
    here = re.search(r'<span class="here">(.*?)</span>', html, re.S)
    assert here and "職員研修の実施" in here.group(1)


@pytest.mark.slow
def test_source_of_a_pdf_item_is_its_page_and_of_a_docx_item_its_table_row(tmp_path: Path) -> None:
    root = tmp_path / "project"
    make_project(root, corrections=False)
    for suffix in (".pdf", ".docx"):
        shutil.copy(INPUTS / f"tsushima_h21_action_plan{suffix}", root / "inputs")
    toml = root / "inputs" / "plandraft.toml"
    toml.write_text(toml.read_text("utf-8").replace("tsushima_h21_action_plan.txt", "tsushima_h21_action_plan.pdf")
                    + 'others = ["tsushima_h21_action_plan.docx"]\n', "utf-8")
    page = Page(root)
    try:
        pdf_row = next(r for r in page.project.snapshot.rows if r.ours and r.item.name == "職員研修の実施")
        html = page.client.get(f"/items/{pdf_row.doc_id}/{pdf_row.item.id}").text
        src = re.search(r'<img class="page" src="([^"]+)"', html)
        assert src and src.group(1).endswith(f"/pages/{pdf_row.item.source.page}.png")
        png = page.client.get(src.group(1))
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        assert png.content.startswith(b"\x89PNG") and len(png.content) > 10_000
        assert page.client.get(f"/documents/{pdf_row.doc_id}/pages/999.png").status_code == 404
        docx_row = next(r for r in page.project.snapshot.rows if not r.ours and r.item.name == "職員研修の実施")
        html = page.client.get(f"/items/{docx_row.doc_id}/{docx_row.item.id}").text
        table = html[html.index('class="source-row"'):html.index("</table>", html.index('class="source-row"'))]
        here = table[table.index('class="here"'):]
        assert "職員研修の実施" in here and "協働についての意識向上の研修を行います。" in here
    finally:
        page.app.state.jobs.shutdown()


def test_review_page_is_rendered_off_the_event_loop(page: Page) -> None:
    """While one review page is being rendered, the style sheet and other requests are answered."""
    templates = page.app.state.templates
    real = templates.get_template
    started, release = threading.Event(), threading.Event()

    class Slow:
        def __init__(self, template):  # type: ignore[no-untyped-def]
            self.template = template

        def render(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            started.set()
            release.wait(5)  # a long table: blocking here must not block the server
            return self.template.render(*args, **kwargs)

    templates.get_template = lambda name: Slow(real(name)) if name == "review.html" else real(name)

    async def scenario() -> tuple[float, float]:
        transport = httpx.ASGITransport(app=page.app)
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
            review = asyncio.create_task(client.get("/review"))
            for _ in range(500):
                if started.is_set():
                    break
                await asyncio.sleep(0.01)
            assert started.is_set(), "the review page was not rendered through the worker thread"
            t0 = time.monotonic()
            css = await client.get("/static/app.css")
            status = await client.get(f"/jobs/{page.app.state.load_job.id}")
            waited = time.monotonic() - t0
            assert css.status_code == 200 and status.status_code == 200
            release.set()
            r = await review
            assert r.status_code == 200 and "柱の確認・修正" in r.text
            return waited, time.monotonic() - t0

    try:
        waited, total = asyncio.run(scenario())
    finally:
        release.set()
        templates.get_template = real
    assert waited < 1.0  # answered while the review page was still rendering
