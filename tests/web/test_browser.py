"""The whole job in a real browser: `plandraft serve` on a fresh project folder, Debian's chromium
driven by Playwright uploads the shipped inputs, corrects one item's pillar, looks at the comparison
and the search, and downloads the draft. Screenshots of each screen go to tests/artifacts/.

Never downloads a browser: chromium comes from Debian (installed by `make test` through
scripts/install_system_packages.sh); otherwise the test is skipped and says why."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, WEB_DATA

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

INPUTS = ROOT / "inputs"
ARTIFACTS = ROOT / "tests" / "artifacts"
OTHER_CITY = WEB_DATA / "anjo_other_city_plan.txt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> Path:
    """Debian's chromium (`make test` installs it through scripts/install_system_packages.sh);
    pytest.skip, saying how to get it, when it is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium as root) "
                    "or `sudo apt-get install -y chromium`")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    chromium = _chromium()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`plandraft serve` on an empty project folder; (its URL, the folder)."""
    project = tmp_path / "project"
    project.mkdir()
    port = _free_port()
    env = {**os.environ, "PLANDRAFT_CACHE_DIR": str(tmp_path / "cache")}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--project", str(project), "--port", str(port),
                             "--no-browser"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/static/app.css", timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("plandraft serve did not start:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.2)
    yield url, project
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _shot(page: object, name: str, full_page: bool = True) -> None:
    """A screenshot to look at: the whole page from its top, or (full_page False) what is in view."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if full_page:
        page.evaluate("window.scrollTo(0, 0)")  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)  # type: ignore[attr-defined]


def _upload(page: object, role: str, *paths: Path) -> None:
    """Upload files as role on the documents page and wait until they are read."""
    page.check(f"form.upload input[name=role][value={role}]")  # type: ignore[attr-defined]
    page.set_input_files("form.upload input[type=file]", [str(p) for p in paths])  # type: ignore[attr-defined]
    page.click("form.upload button[type=submit]")  # type: ignore[attr-defined]
    # The page polls the reading job and comes back to the list, with a note, when it is done.
    page.wait_for_url(re.compile(r"/\?note="), timeout=30_000)  # type: ignore[attr-defined]


def test_planner_uploads_corrects_compares_and_downloads(browser: object, server: tuple[str, Path],
                                                          tmp_path: Path) -> None:
    from docx import Document as open_docx

    url, project = server
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True, locale="ja-JP")  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url + "/")
    assert "構成案がまだありません" in page.inner_text("main")
    _shot(page, "01-documents-empty.png")

    _upload(page, "outline", INPUTS / "outline_計画の構成案.txt")
    _upload(page, "plan", INPUTS / "tsushima_h21_action_plan.pdf")
    broken = tmp_path / "壊れた計画.pdf"
    broken.write_bytes(b"%PDF-1.4 truncated")
    _upload(page, "others", OTHER_CITY, broken)
    main = page.inner_text("main")
    assert "施策の柱：10 本" in main and "安城市" in main and "読めません" in main
    _shot(page, "02-documents.png")

    page.click("table.docs a:text-is('tsushima_h21_action_plan.pdf')")
    page.wait_for_selector("table.items")
    assert "38 項目" in page.inner_text("main") and re.search(r"\d+ページ 表\d+ \d+行目", page.inner_text("table.items"))
    _shot(page, "03-document-items.png")

    # Review: move 職員研修の実施 to another pillar. A key press in the select saves nothing; the
    # 変更 button saves, and the focus comes back to the same row.
    page.click("nav >> text=柱の確認・修正")
    row = page.locator("tr", has=page.locator("td.c-item strong", has_text=re.compile("^職員研修の実施$")))
    select = row.locator("select[name=pillar]")
    before = select.input_value()
    _shot(page, "04-review.png")
    tsv = project / "inputs" / "corrections.tsv"
    select.focus()
    page.keyboard.press("ArrowDown" if before != "10" else "ArrowUp")
    page.wait_for_timeout(500)
    assert "note=" not in page.url and not tsv.exists()  # nothing saved by the key
    assert "changed" in (select.evaluate("s => s.form.className") or "")
    target = select.input_value()
    assert target != before
    row.locator("button", has_text="変更").click()
    page.wait_for_url(re.compile(r"note="))
    assert "「職員研修の実施」を" in page.inner_text(".note")
    assert re.search(rf"^職員研修の実施\t{target}\t", tsv.read_text("utf-8"), re.MULTILINE)
    row = page.locator("tr", has=page.locator("td.c-item strong", has_text=re.compile("^職員研修の実施$")))
    assert row.locator("select[name=pillar]").input_value() == target and "修正済み" in row.inner_text()
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'SELECT'",
                           timeout=5_000)
    focused = page.evaluate("() => document.activeElement.closest('tr').id")
    assert focused == row.get_attribute("id")  # the focus is on the corrected row, not the top

    # A second tab opened before that change cannot overwrite it silently.
    other = context.new_page()
    other.goto(url + "/review")
    other_row = other.locator("tr", has=other.locator("td.c-item strong", has_text=re.compile("^職員研修の実施$")))
    page.reload()
    row = page.locator("tr", has=page.locator("td.c-item strong", has_text=re.compile("^職員研修の実施$")))
    third = "1" if target != "1" else "2"
    row.locator("select[name=pillar]").select_option(third)
    row.locator("button", has_text="変更").click()
    page.wait_for_url(re.compile(r"note="))
    other_row.locator("select[name=pillar]").select_option("3" if third != "3" else "4")
    other_row.locator("button", has_text="変更").click()
    other.wait_for_selector("text=別のタブか画面で変更されています")
    assert re.search(rf"^職員研修の実施\t{third}\t", tsv.read_text("utf-8"), re.MULTILINE)
    other.close()
    target = third
    row = page.locator("tr", has=page.locator("td.c-item strong", has_text=re.compile("^職員研修の実施$")))
    _shot(page, "05-review-corrected.png", full_page=False)  # the page comes back to the corrected row

    page.check("input[name=low]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"low=1"))
    _shot(page, "06-review-low-confidence.png")

    # A narrow screen: the review table becomes cards, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(200)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 392
    _shot(page, "06b-review-narrow.png", full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.click("nav >> text=他市との比較")
    page.wait_for_selector("table.heatmap", timeout=30_000)
    assert "安城市" in page.inner_text("table.heatmap")
    _shot(page, "07-compare.png")

    page.click("nav >> text=ライブラリ検索")
    page.fill("input[name=q]", "出前講座")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("ol.hits")
    _shot(page, "08-search.png")

    page.click("nav >> text=作成・ダウンロード")
    page.click("form.generate button[type=submit]")
    page.wait_for_selector("a[href='/download/draft']", timeout=30_000)
    _shot(page, "09-outputs.png")
    with page.expect_download() as info:
        page.click("a[href='/download/draft']")
    download = info.value
    assert download.suggested_filename == "平成22年度_市民協働推進アクションプラン_案.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    doc = open_docx(str(saved))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "平成22年度" in body and "職員研修の実施" in body
    context.close()
