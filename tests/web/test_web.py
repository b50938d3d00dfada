"""The local web page (`plandraft serve`) through Starlette's test client: documents and their items,
uploads (bad files, size limit, names), the review table and corrections, cross-site refusal, the
comparison, search and the downloaded draft."""
from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, WEB_DATA
from docx import Document as open_docx
from starlette.testclient import TestClient

from pipeline.match.knowledge import read_corrections
from pipeline.web import create_app

INPUTS = ROOT / "inputs"
ORIGIN = "http://127.0.0.1:8000"
OTHER_CITY = WEB_DATA / "anjo_other_city_plan.txt"


def make_project(root: Path, corrections: bool = True) -> Path:
    """A project folder like the shipped one, with the text plan only (fast to read)."""
    inputs = root / "inputs"
    inputs.mkdir(parents=True)
    shutil.copy(INPUTS / "outline_計画の構成案.txt", inputs)
    shutil.copy(INPUTS / "tsushima_h21_action_plan.txt", inputs)
    if corrections:
        shutil.copy(INPUTS / "corrections.tsv", inputs)
    (inputs / "plandraft.toml").write_text('outline = "outline_計画の構成案.txt"\nplan = "tsushima_h21_action_plan.txt"\n'
                                           + ('corrections = "corrections.tsv"\n' if corrections else ""), "utf-8")
    return root


class Page:
    """A test client on a loaded project, with the helpers the tests share."""

    def __init__(self, root: Path, **options: object) -> None:
        self.root = root
        self.app = create_app(root, **options)  # type: ignore[arg-type]
        self.client = TestClient(self.app, base_url=ORIGIN)
        self.wait(self.app.state.load_job.id)

    @property
    def project(self):  # type: ignore[no-untyped-def]
        return self.app.state.project

    @property
    def csrf(self) -> str:
        return str(self.app.state.csrf)

    def wait(self, job_id: str) -> None:
        job = self.app.state.jobs.wait(job_id, timeout=60)
        assert job.state == "done", job.error

    def wait_redirect(self, response) -> str:  # type: ignore[no-untyped-def]
        """Wait for the job a POST's redirect names; returns the redirect."""
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        m = re.search(r"job=([0-9a-f]+)", location)
        if m:
            self.wait(m.group(1))
        return str(location)

    def upload(self, role: str, *files: tuple[str, bytes], **headers: str):  # type: ignore[no-untyped-def]
        return self.client.post("/upload", data={"csrf": self.csrf, "role": role},
                                files=[("files", (name, data, "application/octet-stream")) for name, data in files],
                                headers=headers, follow_redirects=False)

    def row(self, name: str):  # type: ignore[no-untyped-def]
        return next(r for r in self.project.snapshot.rows if r.item.name == name)


@pytest.fixture()
def page(tmp_path: Path) -> Iterator[Page]:
    p = Page(make_project(tmp_path / "project"))
    yield p
    p.app.state.jobs.shutdown()


# -- documents ------------------------------------------------------------------------------------

def test_documents_page_lists_files_roles_and_the_outline(page: Page) -> None:
    html = page.client.get("/").text
    assert "outline_計画の構成案.txt" in html and "tsushima_h21_action_plan.txt" in html
    # the file picker offers every format plandraft reads (old Word and Excel files too)
    (accept,) = re.findall(r'accept="([^"]+)"', html)
    assert {".pdf", ".docx", ".xlsx", ".doc", ".xls", ".csv", ".odt", ".rtf"} <= set(accept.split(","))
    assert "使用中" in html and "施策の柱：10 本" in html
    assert '<html lang="ja">' in html


def test_document_page_shows_items_with_provenance(page: Page) -> None:
    snap = page.project.snapshot
    html = page.client.get(f"/documents/{snap.plan_id}").text
    assert "対馬市" in html and "平成21年度" in html and "38 項目" in html
    assert "自治会、地域で" in html and "自治会等への出前による協働についての説明会を開催します。" in html
    assert re.search(r"tsushima_h21_action_plan\.txt 表\d+ \d+行目", html)
    outline = page.client.get(f"/documents/{snap.outline_id}").text
    assert "施策の柱（10 本）" in outline


def test_unknown_document_is_404_in_japanese(page: Page) -> None:
    r = page.client.get("/documents/d0000000000")
    assert r.status_code == 404 and "その文書はありません" in r.text


def test_upload_other_city_plan_is_read_matched_and_compared(page: Page) -> None:
    r = page.upload("others", (OTHER_CITY.name, OTHER_CITY.read_bytes()))
    page.wait_redirect(r)
    stored = page.root / "uploads" / "others" / OTHER_CITY.name
    assert stored.read_bytes() == OTHER_CITY.read_bytes()
    html = page.client.get("/").text
    assert "安城市" in html and "比較に使用" in html
    assert any(r.city == "安城市" for r in page.project.snapshot.rows)
    r = page.client.get("/compare", follow_redirects=False)
    if r.status_code == 303:
        page.wait_redirect(r)
        r = page.client.get("/compare")
    assert "安城市" in r.text and 'class="heatmap"' in r.text and "新規候補" in r.text


def test_bad_file_is_listed_with_its_reason(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")  # as `plandraft serve` sets it: the page speaks Japanese
    page.wait_redirect(page.upload("others", ("broken.pdf", b"this is not a PDF at all")))
    html = page.client.get("/").text
    assert "broken.pdf" in html and "読めません" in html and "PDF ではありません (%PDF の見出しがありません)" in html
    f = next(f for f in page.project.snapshot.files if f.name == "broken.pdf")
    detail = page.client.get(f"/documents/{f.id}").text
    assert "このファイルは読めませんでした" in detail and "別の形式のファイルの名前を変えたもの" in detail  # with what to do
    assert "no %PDF header" not in html + detail


def test_unsupported_file_type_is_refused_and_not_stored(page: Page) -> None:
    r = page.upload("others", ("setup.exe", b"MZ..."))
    location = page.wait_redirect(r)
    assert "読めない種類のファイルは受け取りませんでした" in page.client.get(location).text
    assert not (page.root / "uploads" / "others").exists() or not any((page.root / "uploads" / "others").iterdir())


@pytest.mark.parametrize(("sent", "stored"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\Windows\\plan.pdf", "plan.pdf"),
    ("/tmp/abs.docx", "abs.docx"),
    (".hidden.txt", "hidden.txt"),
    ("...txt", "txt"),
    ("..", "upload"),
    ("令和6年度 安城市 アクションプラン.pdf", "令和6年度 安城市 アクションプラン.pdf"),
    ("\u304b\u3099んばる計画.txt", "がんばる計画.txt"),  # a Mac's decomposed が is composed
    ("a<b>:c|d?.xlsx", "a_b__c_d_.xlsx"),
    ("CON.txt", "_CON.txt"),
    ("tab\there\n.md", "tab here.md"),
    ("長" * 300 + ".pdf", "長" * 65 + ".pdf"),  # 199 bytes: file systems count bytes, a kanji is 3
])
def test_filename_is_sanitised(sent: str, stored: str) -> None:
    from pipeline.web.uploads import safe_filename

    assert safe_filename(sent) == stored


def test_upload_never_writes_outside_the_uploads_folder(page: Page) -> None:
    page.wait_redirect(page.upload("others", ("../../../escape.txt", OTHER_CITY.read_bytes())))
    assert (page.root / "uploads" / "others" / "escape.txt").is_file()
    assert not (page.root.parent / "escape.txt").exists() and not (page.root / "escape.txt").exists()


def test_same_name_other_content_is_kept_beside_it(page: Page) -> None:
    page.wait_redirect(page.upload("others", ("plan.txt", OTHER_CITY.read_bytes())))
    page.wait_redirect(page.upload("others", ("plan.txt", OTHER_CITY.read_bytes())))  # same content: once
    page.wait_redirect(page.upload("others", ("plan.txt", OTHER_CITY.read_bytes() + b"\n")))
    assert sorted(p.name for p in (page.root / "uploads" / "others").iterdir()) == ["plan (2).txt", "plan.txt"]


def test_upload_over_the_size_limit_is_413(tmp_path: Path) -> None:
    page = Page(make_project(tmp_path / "project"), max_upload=4096)
    r = page.upload("others", ("big.txt", b"x" * 5000))
    assert r.status_code == 413 and "大きすぎます" in r.text
    assert not (page.root / "uploads").exists()


def test_body_over_the_limit_without_content_length_is_413(tmp_path: Path) -> None:
    """A chunked upload (no Content-Length) is counted as it arrives."""
    import asyncio

    page = Page(make_project(tmp_path / "project"), max_upload=1000)
    body = (f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{page.csrf}\r\n'
            '--b\r\nContent-Disposition: form-data; name="role"\r\n\r\nothers\r\n'
            '--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n').encode() + b"x" * 3000
    chunks = [body[i:i + 500] for i in range(0, len(body), 500)]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks[1:])}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/upload", "raw_path": b"/upload", "query_string": b"",
             "scheme": "http", "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000), "root_path": "",
             "http_version": "1.1",
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"multipart/form-data; boundary=b")]}
    asyncio.run(page.app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert not (page.root / "uploads").exists()


def test_role_change_and_removal_of_an_upload(page: Page) -> None:
    page.wait_redirect(page.upload("others", (OTHER_CITY.name, OTHER_CITY.read_bytes())))
    f = next(f for f in page.project.snapshot.files if f.name == OTHER_CITY.name)
    page.wait_redirect(page.client.post(f"/documents/{f.id}/role", data={"csrf": page.csrf, "role": "plan"},
                                        follow_redirects=False))
    assert (page.root / "uploads" / "plan" / OTHER_CITY.name).is_file()
    f = next(f for f in page.project.snapshot.files if f.name == OTHER_CITY.name)
    page.wait_redirect(page.client.post(f"/documents/{f.id}/remove", data={"csrf": page.csrf, "confirmed": "1"},
                                        follow_redirects=False))
    assert not (page.root / "uploads" / "plan" / OTHER_CITY.name).exists()
    assert (page.root / "uploads" / ".removed" / OTHER_CITY.name).is_file()  # kept, out of the way
    assert all(f.name != OTHER_CITY.name for f in page.project.snapshot.files)
    inputs_file = next(f for f in page.project.snapshot.files if f.origin == "inputs")
    r = page.client.post(f"/documents/{inputs_file.id}/remove", data={"csrf": page.csrf, "confirmed": "1"},
                         follow_redirects=False)
    assert r.status_code == 400 and (page.root / "inputs" / inputs_file.name).is_file()


def test_the_filled_progress_sheet_is_handed_in_on_the_page_and_the_draft_uses_it(page: Page) -> None:
    """The page takes last year's filled 進行管理シート (its own kind, or given as 当市の計画 under its
    usual name): it is last year's results, not our plan, and the downloaded draft lists the measure
    it reports 完了 (before, the sheet became the plan and the review table was empty)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["項目", "実施状況", "実績", "次年度の方向"])
    wb.active.append(["協働(共働)に関する標語の募集", "完了", "標語を募集し32点の応募", "完了"])
    data = io.BytesIO()
    wb.save(data)
    html = page.client.get(page.wait_redirect(page.upload("plan", ("平成21年度_進行管理シート_総務課.xlsx", data.getvalue())))).text
    assert "平成21年度_進行管理シート_総務課.xlsx（前年度の進行管理シートとして）" in html
    snap = page.project.snapshot
    assert [f.role for f in snap.files if f.name.startswith("平成21年度_進行管理")] == ["progress"]
    assert snap.file(snap.plan_id).name == "tsushima_h21_action_plan.txt"  # still our plan
    assert snap.state.progress is not None and len(snap.state.progress.results) == 1
    assert "前年度の進行管理シート" in page.client.get("/").text and len(snap.rows) >= 38
    draft = page.project.generate()["draft"]
    assert "前年度に完了" in "\n".join(p.text for p in open_docx(str(draft)).paragraphs)


def test_uploaded_outline_and_plan_become_the_ones_used(tmp_path: Path) -> None:
    page = Page(tmp_path / "empty")  # a folder with nothing in it yet
    html = page.client.get("/").text
    assert "構成案がまだありません" in html and "当市の昨年度の計画がまだありません" in html
    page.wait_redirect(page.upload("outline", ("構成案.txt", (INPUTS / "outline_計画の構成案.txt").read_bytes())))
    page.wait_redirect(page.upload("plan", ("plan.txt", (INPUTS / "tsushima_h21_action_plan.txt").read_bytes())))
    snap = page.project.snapshot
    assert snap.outline is not None and len(snap.outline.pillars) == 10
    assert snap.plan is not None and len(snap.rows) == 38


# -- review ----------------------------------------------------------------------------------------

def test_review_table_shows_item_pillar_confidence_evidence_and_runner_up(page: Page) -> None:
    html = page.client.get("/review").text
    row = page.row("職員研修の実施")
    m = row.match
    tr = html[html.index(f'id="row-{row.doc_id}-{row.item.id}"'):]
    tr = tr[: tr.index("</tr>")]
    assert "職員研修の実施" in tr and "協働についての意識向上の研修を行います。" in tr and "対馬市" in tr
    assert re.search(rf'<option value="{m.pillar}" selected>', tr)
    assert f"{round(m.confidence * 100)}%" in tr
    assert m.evidence[0].term in tr
    assert m.runner_up is not None and f"({m.runner_up})" in tr.split('class="c-next"')[1]
    assert "表" in tr and "行目" in tr  # provenance


def test_review_filters_by_pillar_low_confidence_and_city(page: Page) -> None:
    rows = page.project.snapshot.rows
    low = [r for r in rows if r.match.needs_review]
    html = page.client.get("/review?low=1").text
    assert html.count('<tr id="row-') == len(low) and f"表示 {len(low)} 件" in html
    pillar = rows[0].match.pillar
    html = page.client.get(f"/review?pillar={pillar}").text
    assert html.count('<tr id="row-') == sum(1 for r in rows if r.match.pillar == pillar)
    assert page.client.get("/review?city=対馬市").text.count('<tr id="row-') == len(rows)
    assert page.client.get("/review?city=安城市").text.count('<tr id="row-') == 0


def test_a_corrections_file_that_cannot_be_written_back_is_one_line_naming_it(page: Page,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved with a stray Shift_JIS line after a UTF-8 BOM: writing a correction back would lose those
    bytes, so the page refuses with one line naming the file (400, in Japanese), and the file is kept."""
    from pipeline.messages import ENV

    monkeypatch.setenv(ENV, "ja")
    tsv = page.root / "inputs" / "corrections.tsv"
    before = b"\xef\xbb\xbfitem\tpillar\n" + "職員研修\t2\n".encode("cp932")
    tsv.write_bytes(before)
    row = page.row("職員研修の実施")
    r = page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                                  "pillar": "4", "back": ""}, follow_redirects=False)
    assert r.status_code == 400 and "corrections.tsv" in r.text and "読めない文字" in r.text and "Traceback" not in r.text
    assert tsv.read_bytes() == before


def test_correction_writes_corrections_tsv_and_rematches(page: Page) -> None:
    row = page.row("職員研修の実施")
    target = 3 if row.match.pillar != 3 else 4
    title = page.project.snapshot.outline.pillar(target).title
    r = page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                                  "pillar": str(target), "back": "low=1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/review?low=1&keep=") and "&note=" in r.headers["location"]
    assert r.headers["location"].endswith(f"#row-{row.doc_id}-{row.item.id}")
    tsv = page.root / "inputs" / "corrections.tsv"
    (c,) = read_corrections(tsv)
    assert (c.item, c.pillar, c.title, c.policy) == ("職員研修の実施", str(target), title, row.item.policy)
    assert tsv.read_text("utf-8-sig").startswith("item\tpillar")  # the planner's header and comment kept
    assert "# A planner's corrections" in tsv.read_text("utf-8-sig")
    assert list((page.root / "inputs").glob("corrections.*.tsv.bak"))  # the file as it was, once
    new = page.row("職員研修の実施")
    assert new.match.pillar == target and new.match.corrected
    html = page.client.get(r.headers["location"]).text
    assert "「職員研修の実施」を" in html and "corrections.tsv に保存し" in html
    # A second change of the same item replaces its line; the page stays in step.
    again = 5 if target != 5 else 6
    page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                              "pillar": str(again)}, follow_redirects=False)
    (c,) = read_corrections(tsv)
    assert c.pillar == str(again) and page.row("職員研修の実施").match.pillar == again
    assert len(list((page.root / "inputs").glob("corrections.*.tsv.bak"))) == 1


def test_correction_creates_corrections_tsv_when_there_is_none(tmp_path: Path) -> None:
    page = Page(make_project(tmp_path / "project", corrections=False))
    row = page.row("職員研修の実施")
    page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                              "pillar": "2"}, follow_redirects=False)
    (c,) = read_corrections(page.root / "inputs" / "corrections.tsv")
    assert c.item == "職員研修の実施" and c.pillar == "2"


def test_correction_of_unknown_item_or_pillar_is_400(page: Page) -> None:
    row = page.row("職員研修の実施")
    for doc, item, pillar in ((row.doc_id, "nope", "1"), (row.doc_id, row.item.id, "99"), ("x", row.item.id, "x")):
        r = page.client.post("/review/correct", data={"csrf": page.csrf, "doc": doc, "item": item, "pillar": pillar},
                             follow_redirects=False)
        assert r.status_code == 400
    assert read_corrections(page.root / "inputs" / "corrections.tsv") == []


# -- cross-site requests, hosts --------------------------------------------------------------------

@pytest.mark.parametrize(("data", "headers"), [
    ({}, {}),  # no token
    ({"csrf": "forged"}, {}),
    ({"csrf": None}, {"Origin": "http://evil.example"}),  # the right token, from another site
    ({"csrf": None}, {"Origin": "null"}),
    ({"csrf": None}, {"Sec-Fetch-Site": "cross-site"}),
    ({"csrf": None}, {"Sec-Fetch-Site": "same-site"}),
])
def test_cross_site_or_tokenless_post_is_refused(page: Page, data: dict[str, str | None],
                                                 headers: dict[str, str]) -> None:
    row = page.row("職員研修の実施")
    form = {"doc": row.doc_id, "item": row.item.id, "pillar": "2",
            **{k: (v if v is not None else page.csrf) for k, v in data.items()}}
    r = page.client.post("/review/correct", data=form, headers=headers, follow_redirects=False)
    assert r.status_code == 403
    assert read_corrections(page.root / "inputs" / "corrections.tsv") == []


def test_same_origin_post_with_token_is_accepted(page: Page) -> None:
    row = page.row("職員研修の実施")
    r = page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                                  "pillar": "2"},
                         headers={"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert r.status_code == 303


def test_upload_without_token_is_refused(page: Page) -> None:
    r = page.client.post("/upload", data={"role": "others"}, files=[("files", ("x.txt", b"abc", "text/plain"))],
                         follow_redirects=False)
    assert r.status_code == 403 and not (page.root / "uploads").exists()


def test_other_host_names_are_refused(page: Page) -> None:
    """A page of another site that rebinds its name to 127.0.0.1 cannot read this one."""
    assert page.client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400
    assert page.client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_pages_carry_a_strict_content_security_policy(page: Page) -> None:
    r = page.client.get("/review")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    # Not no-referrer: under it a browser sends "Origin: null" with a form POST, which is refused.
    assert r.headers["referrer-policy"] == "same-origin"
    html = r.text
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from the internet


def test_text_from_documents_is_escaped(page: Page) -> None:
    plan = OTHER_CITY.read_text("utf-8").replace("市民協働出前講座", "<script>alert(1)</script>講座")
    page.wait_redirect(page.upload("others", ("evil.txt", plan.encode("utf-8"))))
    html = page.client.get("/review?city=安城市").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;講座" in html and "<script>alert" not in html


def test_static_assets_are_served_locally(page: Page) -> None:
    assert "font-family" in page.client.get("/static/app.css").text
    assert "fetch(" in page.client.get("/static/app.js").text
    font = page.client.get("/fonts/ipaexg.ttf")
    assert font.status_code == 200 and len(font.content) > 1_000_000


# -- comparison, search, outputs, jobs -------------------------------------------------------------

def test_search_finds_measures_in_the_library(page: Page) -> None:
    html = page.client.get("/search?q=出前").text
    assert "自治会、地域で" in html and "対馬市" in html
    assert "合う施策はありません" in page.client.get("/search?q=宇宙開発").text


def test_generate_and_download_the_draft_and_comparison(page: Page) -> None:
    assert "まだ作成されていません" in page.client.get("/outputs").text
    assert page.client.get("/download/draft").status_code == 404
    page.wait_redirect(page.client.post("/outputs/generate", data={"csrf": page.csrf, "year": ""},
                                        follow_redirects=False))
    html = page.client.get("/outputs").text
    assert "/download/draft" in html and "/download/comparison.xlsx" in html
    r = page.client.get("/download/draft")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert "filename*=utf-8''" in r.headers["content-disposition"].lower()
    doc = open_docx(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "平成22年度" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert any(c.endswith("職員研修の実施") for c in cells)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(page.client.get("/download/comparison.xlsx").content))
    assert {"柱別の施策数", "施策の対応", "新規候補"} <= set(wb.sheetnames)
    sheet = page.client.get("/download/progress")  # the 進行管理シート to hand to the 担当課, as run writes it
    assert sheet.status_code == 200 and "進行管理シート" in load_workbook(io.BytesIO(sheet.content)).sheetnames
    assert page.client.get("/download/../../etc/passwd").status_code == 404


def test_generate_with_a_year_and_a_bad_year(page: Page) -> None:
    page.wait_redirect(page.client.post("/outputs/generate", data={"csrf": page.csrf, "year": "平成23年度"},
                                        follow_redirects=False))
    assert (page.root / "outputs" / "平成23年度_市民協働推進アクションプラン_案.docx").is_file()
    r = page.client.post("/outputs/generate", data={"csrf": page.csrf, "year": "来年"}, follow_redirects=False)
    assert r.status_code == 400 and "年度が読めません" in r.text


def test_correction_reaches_the_downloaded_draft(page: Page) -> None:
    row = page.row("職員研修の実施")
    target = 7 if row.match.pillar != 7 else 8
    page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                              "pillar": str(target)}, follow_redirects=False)
    page.wait_redirect(page.client.post("/outputs/generate", data={"csrf": page.csrf}, follow_redirects=False))
    draft = page.project.outputs_present()["draft"]
    from docxdump import dump_docx

    dumped = str(dump_docx(draft))
    title = page.project.snapshot.outline.pillar(target).title
    assert dumped.index(title) < dumped.index("職員研修の実施")


def test_job_status_is_json_and_unknown_job_is_404(page: Page) -> None:
    job_id = page.app.state.load_job.id
    status = page.client.get(f"/jobs/{job_id}").json()
    assert status["state"] == "done" and status["finished"] and status["total"] >= status["done"] > 0
    assert page.client.get("/jobs/nope").status_code == 404


def test_running_job_is_shown_with_progress_for_the_script_to_poll(page: Page) -> None:
    import threading
    import time

    release = threading.Event()

    def slow(job):  # type: ignore[no-untyped-def]
        job.progress(3, 10, "読み込み：他市の計画.pdf")
        release.wait(10)

    job = page.app.state.jobs.submit("文書を読み込んで柱に照合しています", slow)
    try:
        for _ in range(200):
            if page.client.get(f"/jobs/{job.id}").json()["done"] == 3:
                break
            time.sleep(0.02)
        html = page.client.get("/review").text  # any page shows the job under way
        assert f'data-job="{job.id}"' in html and '<progress max="10" value="3">' in html
        assert '<noscript><meta http-equiv="refresh"' in html  # without script the page reloads itself
    finally:
        release.set()
        page.app.state.jobs.wait(job.id, timeout=10)


def test_failed_job_is_shown_with_its_reason(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.messages import input_error

    monkeypatch.setenv("PLANDRAFT_LANG", "ja")  # as `plandraft serve` sets it: reasons come in Japanese

    def fail(job):  # type: ignore[no-untyped-def]
        raise input_error("file.empty")

    job = page.app.state.jobs.submit("テスト", fail)
    assert page.app.state.jobs.wait(job.id, timeout=10).state == "failed"
    assert page.client.get(f"/jobs/{job.id}").json()["error"] == "空のファイルです (0 バイト) (正しいファイルか確かめてください)"
    html = page.client.get(f"/?job={job.id}").text
    assert "うまくいきませんでした" in html and "空のファイルです" in html


def test_search_shows_the_reference_measures_of_other_municipalities_with_their_source(page: Page) -> None:
    html = page.client.get("/search", params={"q": "協働事業提案制度"}).text
    assert "参考事例（他市町村の実際の取組" in html
    section = html.split("参考事例（他市町村の実際の取組", 1)[1]
    assert "参考事例：" in section and "http" in section  # each names its city and source
