"""The web page under hostile and careless use (issue 14): long Japanese upload names, the host check
when listening on every address, no English and no server paths on the page, the role a planner
chose, an outline uploaded as another city's plan, the same file under a new name, removal asked
first, colour contrast, no caching of pages with the form token, search limits and copies, and
downloads older than the latest corrections."""
from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from starlette.testclient import TestClient
from test_web import ORIGIN, OTHER_CITY, Page, make_project

from pipeline.web import create_app
from pipeline.web.routes import skipped_note

INPUTS = ROOT / "inputs"
CSS = ROOT / "pipeline" / "web" / "static" / "app.css"


@pytest.fixture()
def page(tmp_path: Path) -> Iterator[Page]:
    p = Page(make_project(tmp_path / "project"))
    yield p
    p.app.state.jobs.shutdown()


def test_upload_with_a_long_japanese_name_is_stored_not_a_500(page: Page) -> None:
    name = "令和六年度" + "市民協働推進" * 14 + ".txt"  # 89 characters, 263 bytes
    r = page.upload("others", (name, OTHER_CITY.read_bytes()))
    page.wait_redirect(r)
    (stored,) = (page.root / "uploads" / "others").iterdir()
    assert len(stored.name.encode("utf-8")) <= 200 and stored.name.startswith("令和六年度市民協働推進")
    assert stored.suffix == ".txt" and stored.read_bytes() == OTHER_CITY.read_bytes()


@pytest.mark.parametrize(("host", "allowed"), [
    ("evil.example:8000", False),  # a site that rebinds its own name to this computer
    ("attacker.localhost.evil:8000", False),
    ("192.168.1.5:8000", True),  # an address: the browser is on that origin itself
    ("[fe80::1]:8000", True),
    ("127.0.0.1:8000", True),
    ("plan-pc.local:8000", True),  # --allow-host
])
def test_listening_on_every_address_keeps_the_host_check(tmp_path: Path, host: str, allowed: bool) -> None:
    app = create_app(tmp_path, host="0.0.0.0", load=False, allow_hosts=("plan-pc.local",))
    client = TestClient(app, base_url=ORIGIN)
    r = client.get("/", headers={"Host": host})
    assert (r.status_code == 200) is allowed and (allowed or "csrf" not in r.text)
    assert client.get("/", headers={"Host": f"{socket.gethostname()}:8000"}).status_code == 200
    app.state.jobs.shutdown()


def test_unknown_address_and_starlette_errors_are_in_japanese(page: Page) -> None:
    r = page.client.get("/no-such-page")
    assert r.status_code == 404 and "このページはありません" in r.text and "Not Found" not in r.text
    many = [("files", (f"f{n}.txt", b"x", "text/plain")) for n in range(201)]
    r = page.client.post("/upload", data={"csrf": page.csrf, "role": "others"}, files=many, follow_redirects=False)
    assert r.status_code == 400 and "多すぎます" in r.text and "Too many" not in r.text
    r = page.client.get("/review/correct")
    assert r.status_code == 405 and "Method Not Allowed" not in r.text
    assert skipped_note("38 measures of 対馬市 itself (an earlier plan) left out") == \
        "対馬市自身の施策 38 件（以前の計画のもの）は比較から外しました"


def test_failed_job_shows_no_traceback_or_server_paths(page: Page) -> None:
    where = str(page.root / "inputs" / "plan.pdf")

    def fail(job):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"cannot open {where}: broken")

    job = page.app.state.jobs.submit("テスト", fail)
    assert page.app.state.jobs.wait(job.id, timeout=10).state == "failed"
    status = page.client.get(f"/jobs/{job.id}").json()
    text = str(status)
    assert "Traceback" not in text and str(page.root) not in text and "plan.pdf" in status["error"]
    html = page.client.get(f"/?job={job.id}").text
    assert "Traceback" not in html and where not in html


def test_role_chosen_for_an_upload_is_offered_again(page: Page) -> None:
    page.wait_redirect(page.upload("plan", ("h20.txt", (INPUTS / "tsushima_h21_action_plan.txt").read_bytes()
                                            + b"\n")))
    html = page.client.get("/").text
    assert re.search(r'value="plan" checked', html) and not re.search(r'value="others" checked', html)


def test_outline_uploaded_as_another_citys_plan_is_questioned(page: Page) -> None:
    data = (INPUTS / "outline_計画の構成案.txt").read_bytes() + b"\n"
    location = page.wait_redirect(page.upload("others", ("計画の構成案.txt", data)))
    assert "構成案ではありませんか" in page.client.get(location).text
    assert "構成案ではありませんか" in page.client.get("/").text


def test_same_file_under_a_new_name_is_not_a_new_plan(page: Page) -> None:
    page.wait_redirect(page.upload("others", ("安城市.txt", OTHER_CITY.read_bytes())))
    location = page.wait_redirect(page.upload("others", ("コピー ～ 安城市.txt", OTHER_CITY.read_bytes())))
    assert [p.name for p in (page.root / "uploads" / "others").iterdir()] == ["安城市.txt"]
    assert "同じ内容のファイルが「安城市.txt」として既にあります" in page.client.get(location).text
    # The plan of inputs/ uploaded again is not a second plan either.
    page.upload("plan", ("h21.txt", (INPUTS / "tsushima_h21_action_plan.txt").read_bytes()))
    assert not (page.root / "uploads" / "plan").exists()


def test_removal_is_asked_first(page: Page) -> None:
    page.wait_redirect(page.upload("others", (OTHER_CITY.name, OTHER_CITY.read_bytes())))
    f = next(f for f in page.project.snapshot.files if f.name == OTHER_CITY.name)
    assert 'data-confirm="' in page.client.get("/").text  # the script asks in a dialog
    r = page.client.post(f"/documents/{f.id}/remove", data={"csrf": page.csrf}, follow_redirects=False)
    assert r.status_code == 200 and "を外しますか" in r.text and 'name="confirmed" value="1"' in r.text
    assert (page.root / "uploads" / "others" / OTHER_CITY.name).is_file()


def _luminance(color: str) -> float:
    h = color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_have_at_least_4_5_to_1_contrast() -> None:
    css = CSS.read_text("utf-8")
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    resolve = lambda v: var.get(v[6:-1], v) if v.startswith("var(") else v  # noqa: E731
    pairs = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        color = re.search(r"(?<![-\w])color:\s*([^;]+);?", body)
        background = re.search(r"background(?:-color)?:\s*([^;]+);?", body)
        if color and background:
            pairs.append((selector.strip(), resolve(color.group(1).strip()), resolve(background.group(1).strip())))
    # Text of one rule on the background of another.
    backgrounds = {"page": var["bg"], "card": var["card"], "warn": var["warn-bg"], "bad": var["bad-bg"],
                   "note": "#e8f3ea", "low row": "#fffaf2", "corrected row": "#eef8ef", "badge ok": "#dff3e1"}
    for text in ("muted", "warn", "ok", "accent", "ink"):
        for name, bg in backgrounds.items():
            pairs.append((f"--{text} on {name}", var[text], bg))
    hexes = [(s, c, b) for s, c, b in pairs if c.startswith("#") and b.startswith("#")]
    assert len(hexes) > 40
    low = [(s, c, b, round(contrast(c, b), 2)) for s, c, b in hexes if contrast(c, b) < 4.5]
    assert low == []


def test_pages_with_the_form_token_are_never_cached(page: Page) -> None:
    for url in ("/", "/review", "/outputs", "/search?q=出前", "/no-such-page"):
        r = page.client.get(url)
        assert r.headers["cache-control"] == "no-store", url
    assert "no-store" not in page.client.get("/static/app.css").headers.get("cache-control", "")


def test_search_says_when_it_stopped_and_lists_copies_once(page: Page) -> None:
    rows = "".join(f"◎ 市民講座{n}の開催\t市民向けの講座{n}を開きます。\t市民協働課\n" for n in range(70))
    plan = ("平成22年度 市民協働推進アクションプラン\n\n尾道市 市民協働課\n\n施策1\n\n学ぶ\n\n■講座を開きます\n\n"
            f"項目\tアクションプランの内容\t関係部署\n{rows}").encode()
    page.wait_redirect(page.upload("others", ("尾道市.txt", plan)))
    html = page.client.get("/search?q=講座").text
    assert "合う施策 7" in html and "上位 50 件を表示しています" in html
    assert html.count('<li><strong>') == 50
    # A hit of a loaded document links to its item.
    row = next(r for r in page.project.snapshot.rows if r.item.name == "自治会、地域で")
    assert f'href="/items/{row.doc_id}/{row.item.id}"' in page.client.get("/search?q=自治会 出前").text
    # The .docx copy of our plan: one hit, its other file named.
    page.wait_redirect(page.upload("plan", ("tsushima_h21_action_plan.docx",
                                            (INPUTS / "tsushima_h21_action_plan.docx").read_bytes())))
    html = page.client.get("/search?q=自治会 出前").text
    assert html.count(">自治会、地域で<") == 1 and "にもあります" in html
    # A NUL in the filter is not an error.
    assert page.client.get("/search?q=講座&city=尾道%00市").status_code == 200


def test_review_page_while_the_first_load_runs_says_so_and_stays(tmp_path: Path) -> None:
    import threading

    app = create_app(make_project(tmp_path / "project"), load=False)
    release = threading.Event()
    job = app.state.jobs.submit("文書を読み込んで柱に照合しています", lambda j: release.wait(10), next_url="/")
    try:
        html = TestClient(app, base_url=ORIGIN).get("/review?low=1").text
        assert "読み込んでいます" in html and "構成案が読み込まれていません" not in html
        assert 'data-stay="1"' in html  # the script shows /review?low=1 again when it ends, not "/"
    finally:
        release.set()
        app.state.jobs.wait(job.id, timeout=10)
        app.state.jobs.shutdown()


def test_outputs_older_than_the_latest_correction_are_flagged(page: Page) -> None:
    out = page.root / "outputs"
    draft = out / "平成22年度_市民協働推進アクションプラン_案.docx"
    draft.write_bytes(b"an earlier draft")
    os.utime(draft, (1_600_000_000, 1_600_000_000))
    os.utime(page.root / "inputs" / "corrections.tsv", (1_500_000_000, 1_500_000_000))
    assert "より前に作成したものです" not in page.client.get("/outputs").text
    row = page.row("職員研修の実施")
    page.client.post("/review/correct", data={"csrf": page.csrf, "doc": row.doc_id, "item": row.item.id,
                                              "pillar": "3" if row.match.pillar != 3 else "4"}, follow_redirects=False)
    assert "より前に作成したものです" in page.client.get("/outputs").text
    os.utime(draft, None)  # made again after the correction
    assert "より前に作成したものです" not in page.client.get("/outputs").text
