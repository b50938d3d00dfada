"""The page's routes: documents (upload, pick, items), review (filter, correct), comparison, search,
outputs (generate, download) and job status. Each handler reads the project's snapshot or calls one
Project action; none holds pipeline logic."""
from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import anyio
import anyio.to_thread
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..files import SUFFIXES
from ..text.normalize import fiscal_year_label, parse_year_arg
from . import labels
from .jobs import Job, without_paths
from .project import ROLES, Project, ReviewRow, Snapshot, StaleForm
from .security import token_ok

DOWNLOADS = {"draft": "計画案（Word）", "changes": "新旧対照表（Word）", "progress": "進行管理シート（Excel、担当課へ）",
             "comparison.xlsx": "他市比較（Excel）",
             "comparison.docx": "他市比較（Word）", "heatmap.png": "ヒートマップ（画像）"}
RENDERERS = 2  # pages rendered at once, in worker threads
PAGE_SIZE = 50  # review rows on one page (a plan and ten other cities' make 1,000 or more)
KEEP = 20  # rows just changed that stay in view under the filters
SORTS = {"": "文書の順", "conf": "信頼度の低い順", "conf-desc": "信頼度の高い順"}


# -- helpers ---------------------------------------------------------------------------------------

def _project(request: Request) -> Project:
    return request.app.state.project  # type: ignore[no-any-return]


async def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """The page name with context, rendered in a worker thread: a long table never holds up the
    event loop (the other requests, the style sheet, the job polls)."""
    state = request.app.state
    snap: Snapshot = context.pop("snap", None) or state.project.snapshot
    note = state.notes.get(request.query_params.get("note", ""))
    job = state.jobs.get(request.query_params.get("job", ""))
    running = [j for j in state.jobs.running() if job is None or j.id != job.id]
    base = {"csrf": state.csrf, "snap": snap, "project": state.project, "note": note,
            "job": job or (running[0] if running else None), "labels": labels, "roles": labels.ROLE_LABELS,
            # A job this page did not start (the first load, another tab's): when it ends, this page
            # is shown again as it is (its filters kept), not the job's own next page.
            "job_stay": job is None,
            "titles": {p.number: p.title for p in snap.outline.pillars} if snap.outline else {}}
    template = state.templates.get_template(name)
    # At most RENDERERS pages are rendered at once: twenty tabs asking for a long table at once then
    # queue for the renderers instead of all taking turns on the one interpreter lock, which would
    # hold up the event loop (the style sheet, the job polls) as long as the slowest page.
    limiter = getattr(state, "render_limiter", None)
    if limiter is None:
        limiter = state.render_limiter = anyio.CapacityLimiter(RENDERERS)
    html = await anyio.to_thread.run_sync(template.render, {**base, **context}, limiter=limiter)
    return HTMLResponse(html, status_code=status_code)


async def _form(request: Request) -> FormData:
    """The POSTed form, once its token is checked (403 otherwise)."""
    form = await request.form(max_files=200, max_fields=200)
    given = form.get("csrf") or request.headers.get("x-csrf-token")
    if not token_ok(request.app.state.csrf, given):
        raise HTTPException(403, "送信を確認できませんでした。ページを開き直してからもう一度操作してください。")
    return form


def _note(request: Request, text: str) -> str:
    token = secrets.token_hex(6)
    notes = request.app.state.notes
    notes[token] = text
    while len(notes) > 100:
        notes.pop(next(iter(notes)))
    return token


def _redirect(url: str, **params: str | None) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{url}{'&' if '?' in url else '?'}{query}" if query else url, status_code=303)


def start_load(request: Request, next_url: str = "/") -> Job:
    """Queue a load of the project (files, outline, matching, library) and return its job."""
    project = _project(request)
    return request.app.state.jobs.submit("文書を読み込んで柱に照合しています",
                                         lambda job: project.load(job.progress), next_url=next_url)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


# -- documents -------------------------------------------------------------------------------------

def looks_like_outline(doc: Any, name: str) -> bool:
    """Whether a plan given as ours or another city's reads like a draft outline (構成案), which the
    planner may have uploaded under the wrong role."""
    title = getattr(doc, "title", "") or ""
    return any(word in text for word in ("構成案", "骨子案") for text in (title, name))


async def index(request: Request) -> Response:
    snap = _project(request).snapshot
    groups = {role: [f for f in snap.files if f.role == role] for role in ROLES}
    questioned = {f.id for f in snap.files if f.role != "outline"
                  and looks_like_outline(snap.documents.get(f.id), f.name)}
    return await render(request, "documents.html", {
        "groups": groups, "active": "documents", "questioned": questioned,
        "last_role": request.app.state.last_role, "max_mb": request.app.state.max_upload // (1024 * 1024),
        "accept": ",".join(SUFFIXES)})


async def document(request: Request) -> Response:
    snap = _project(request).snapshot
    f = snap.file(request.path_params["doc_id"])
    if f is None:
        raise HTTPException(404, "その文書はありません（一覧から選び直してください）")
    doc = snap.documents.get(f.id)
    rows = {r.item.id: r for r in snap.rows if r.doc_id == f.id}
    outline = snap.outline if f.id == snap.outline_id else None
    return await render(request, "document.html", {"file": f, "doc": doc, "rows": rows, "outline": outline,
                                                    "error": snap.errors.get(f.id), "active": "documents",
                                                    "questioned": f.role != "outline" and looks_like_outline(doc, f.name)})


async def upload(request: Request) -> Response:
    form = await _form(request)
    role = str(form.get("role") or "")
    if role not in ROLES:
        raise HTTPException(400, "文書の種類（構成案・当市の計画・他市の計画・進行管理シート）を選んでください")
    request.app.state.last_role = role  # the form offers it again: a planner adds several of a kind
    files = [v for v in form.getlist("files") if isinstance(v, UploadFile) and v.filename]
    if not files:
        raise HTTPException(400, "ファイルを選んでください")
    project = _project(request)
    stored, refused, failed, outlines = [], [], [], []
    for up in files:
        data = await up.read()
        try:
            f, new = await run_in_threadpool(project.add_upload, role, up.filename or "", data)
        except ValueError:
            refused.append(up.filename or "")
            continue
        except OSError as exc:  # a full disk, a name the file system refuses
            failed.append(f"{up.filename}（{without_paths(exc.strerror or str(exc))}）")
            continue
        if not new:
            same = "" if f.name == up.filename else f"「{f.name}」として"
            stored.append(f"{up.filename}（同じ内容のファイルが{same}既にあります。新しい文書にはしていません）")
            continue
        stored.append(f.name if f.role == role else f"{f.name}（{labels.ROLE_LABELS[f.role]}として）")
        if role != "outline" and f.role != "progress" and looks_like_outline(None, f.name):
            outlines.append(f.name)
    lines = []
    if stored:
        lines.append(f"{labels.ROLE_LABELS[role]}として受け取りました：{'、'.join(stored)}")
    if outlines:
        lines.append(f"{'、'.join(outlines)} は構成案ではありませんか？ 構成案なら、一覧の「種類を変える」で"
                     "構成案にしてください。")
    if refused:
        lines.append(f"読めない種類のファイルは受け取りませんでした：{'、'.join(refused)}"
                     "（PDF・Word(.docx)・Excel(.xlsx)・テキスト(.txt/.md)にしてください）")
    if failed:
        lines.append(f"保存できませんでした：{'、'.join(failed)}（ファイル名を短くするか、空き容量を確かめてください）")
    note = _note(request, "\n".join(lines))
    job = start_load(request, next_url=f"/?note={note}") if stored else None
    if _wants_json(request):
        return JSONResponse({"stored": stored, "refused": refused, "failed": failed, "job": job.id if job else None,
                             "next": f"/?job={job.id}&note={note}" if job else f"/?note={note}"})
    return _redirect("/", job=job.id if job else None, note=note)


async def select(request: Request) -> Response:
    form = await _form(request)
    try:
        await run_in_threadpool(_project(request).select, str(form.get("outline") or "") or None,
                                str(form.get("plan") or "") or None)
    except KeyError:
        raise HTTPException(400, "選んだ文書が見つかりません（一覧を開き直してください）") from None
    return _redirect("/", job=start_load(request).id)


async def remove(request: Request) -> Response:
    form = await _form(request)
    project = _project(request)
    doc_id = request.path_params["doc_id"]
    f = project.snapshot.file(doc_id)
    if form.get("confirmed") != "1":
        # Asked first (the script asks in a dialog and sends confirmed=1; without it, this page asks).
        if f is None or f.origin != "uploads":
            raise HTTPException(400, "この文書は外せません（inputs/ の文書は plandraft.toml で指定します）")
        return await render(request, "confirm.html", {"file": f, "active": "documents"})
    try:
        f = await run_in_threadpool(project.remove_upload, doc_id)
    except KeyError:
        raise HTTPException(400, "この文書は外せません（inputs/ の文書は plandraft.toml で指定します）") from None
    note = _note(request, f"{f.name} を外しました（uploads/.removed/ に移しました）")
    return _redirect("/", job=start_load(request, next_url=f"/?note={note}").id, note=note)


async def set_role(request: Request) -> Response:
    form = await _form(request)
    try:
        f = await run_in_threadpool(_project(request).set_role, request.path_params["doc_id"], str(form.get("role")))
    except (KeyError, ValueError):
        raise HTTPException(400, "この文書の種類は変えられません") from None
    note = _note(request, f"{f.name} を{labels.ROLE_LABELS[f.role]}にしました")
    return _redirect("/", job=start_load(request, next_url=f"/?note={note}").id, note=note)


async def reload(request: Request) -> Response:
    await _form(request)
    return _redirect("/", job=start_load(request).id)


# -- review ----------------------------------------------------------------------------------------

def filter_rows(rows: tuple[ReviewRow, ...], pillar: str, low: bool, city: str, query: str, corrected: bool = False,
                keep: frozenset[str] = frozenset()) -> list[ReviewRow]:
    """The rows the review table's filters keep; a row in keep (just changed on this page) always
    stays, so a corrected row does not vanish from under the 要確認 filter."""
    out = []
    for r in rows:
        if r.key in keep:
            out.append(r)
            continue
        if pillar and str(r.match.pillar) != pillar:
            continue
        if low and not r.match.needs_review:
            continue
        if corrected and not (r.match.corrected or r.edited):
            continue
        if city and r.city != city:
            continue
        if query and query not in f"{r.item.name}\n{r.item.content}\n{r.item.measure}":
            continue
        out.append(r)
    return out


def sort_rows(rows: list[ReviewRow], sort: str) -> list[ReviewRow]:
    if sort == "conf":
        return sorted(rows, key=lambda r: (r.match.corrected, r.match.confidence))
    if sort == "conf-desc":
        return sorted(rows, key=lambda r: (not r.match.corrected, -r.match.confidence))
    return rows


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1


def _keep(text: str) -> list[str]:
    return [k for k in text.split(",") if re.fullmatch(r"[\w-]+:[\w.-]+", k)][-KEEP:]


def review_params(q: Any) -> dict[str, Any]:
    """The review table's filters, sort and page from a query string (unknown values ignored)."""
    return {"pillar": q.get("pillar", "") if q.get("pillar", "").isdigit() else "", "low": q.get("low") == "1",
            "corrected": q.get("corrected") == "1", "city": q.get("city", ""), "q": q.get("q", "").strip(),
            "sort": q.get("sort", "") if q.get("sort", "") in SORTS else "", "page": _page_number(q.get("page", "")),
            "keep": _keep(q.get("keep", ""))}


def review_query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of the review page with params, changed by changes (page 1 and keep left out)."""
    p = {**params, **changes}
    pairs = [("pillar", p["pillar"]), ("low", "1" if p["low"] else ""), ("corrected", "1" if p["corrected"] else ""),
             ("city", p["city"]), ("q", p["q"]), ("sort", p["sort"]),
             ("page", str(p["page"]) if p["page"] > 1 else ""), ("keep", ",".join(p["keep"]))]
    return urlencode([(k, v) for k, v in pairs if v])


async def review(request: Request) -> Response:
    snap = _project(request).snapshot
    params = review_params(request.query_params)

    def table() -> dict[str, Any]:
        rows = sort_rows(filter_rows(snap.rows, params["pillar"], params["low"], params["city"], params["q"],
                                     params["corrected"], frozenset(params["keep"])), params["sort"])
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        page = min(params["page"], pages)
        counts = {"all": len(snap.rows), "low": sum(1 for r in snap.rows if r.match.needs_review),
                  "corrected": sum(1 for r in snap.rows if r.match.corrected or r.edited)}
        return {"rows": rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], "shown": len(rows), "page": page,
                "pages": pages, "first": (page - 1) * PAGE_SIZE + 1, "counts": counts}

    data = await run_in_threadpool(table)
    data["options"] = pillar_options(snap)
    moved = request.app.state.moves.get(request.query_params.get("moved", ""))
    filters = review_query(params, page=1, keep=[])
    return await render(request, "review.html", {
        **data, "snap": snap, "cities": snap.cities(), "filter": params, "filters": filters, "sorts": SORTS,
        "back": review_query(params), "back_q": quote(review_query(params)), "page_url": lambda n: "/review?" + review_query(params, page=n),
        "moved": moved, "active": "review",
    })


def pillar_options(snap: Snapshot) -> dict[int | None, Markup]:
    """The <option>s of the pillar select with each pillar selected (and none): made once per page,
    not once per row (a page of 100 rows would escape the same titles 1,000 times)."""
    pillars = snap.outline.pillars if snap.outline else ()
    base = [(p.number, escape(f"({p.number}) {p.title}")) for p in pillars]
    return {chosen: Markup("".join(f'<option value="{n}"{" selected" if n == chosen else ""}>{label}</option>'
                                   for n, label in base))
            for chosen in (None, *(p.number for p in pillars))}


def _back(form: Any, key: str) -> str:
    """The review page's query to go back to, from the form's back field, with key kept in view."""
    back = str(form.get("back") or "")
    if back.startswith(("/", "\\")) or "://" in back:
        back = ""
    params = review_params(dict(parse_qsl(back)))
    keep = [k for k in params["keep"] if k != key] + [key]
    return review_query(params, keep=keep[-KEEP:])


def _int_or_none(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.lstrip("-").isdigit() else None


async def _stale(request: Request, exc: StaleForm, titles: dict[int, str]) -> Response:
    row = exc.row
    text = (f"「{row.item.name}」は、別のタブか画面で変更されています（今は {labels.pillar_label(row.match.pillar, titles)}"
            f"{'・修正済み' if row.match.corrected else ''}）。上書きしていません。表示を新しくしてから、"
            "もう一度操作してください。")
    if _wants_json(request):
        return JSONResponse({"error": "stale", "message": text, "pillar": row.match.pillar}, status_code=409)
    return await render(request, "error.html", {"status": 409, "detail": text, "active": "review",
                                                 "link": f"/review#row-{row.doc_id}-{row.item.id}",
                                                 "link_text": "新しい表示でこの項目を見る"}, status_code=409)


def _moved_note(request: Request, row: ReviewRow, changed: list[ReviewRow], before: Mapping[str, int | None],
                titles: dict[int, str]) -> str:
    """A token for the list of rows one change moved (the review page shows them all)."""
    token = secrets.token_hex(6)
    moves = request.app.state.moves
    moves[token] = {"item": row.item.name, "rows": [
        {"key": r.key, "doc_id": r.doc_id, "item_id": r.item.id, "name": r.item.name, "city": r.city,
         "before": labels.pillar_label(before.get(r.key), titles), "after": labels.pillar_label(r.match.pillar, titles)}
        for r in changed]}
    while len(moves) > 50:
        moves.pop(next(iter(moves)))
    return token


async def _changed_response(request: Request, form: Any, row: ReviewRow, changed: list[ReviewRow], text: str,
                            before: Mapping[str, int | None]) -> Response:
    project = _project(request)
    titles = {p.number: p.title for p in project.snapshot.outline.pillars} if project.snapshot.outline else {}
    if changed:
        text += f"。ほかに {len(changed)} 件の項目の柱も変わりました（一覧を表示しています）"
    moved = _moved_note(request, row, changed, before, titles) if changed else None
    if _wants_json(request):
        return JSONResponse({"item": row.item.id, "pillar": row.match.pillar, "changed": len(changed), "message": text,
                             "revision": project.snapshot.revision})
    query = _back(form, row.key)
    extra = urlencode({k: v for k, v in (("moved", moved), ("note", _note(request, text))) if v})
    return RedirectResponse(f"/review?{query}{'&' if query else ''}{extra}#row-{row.doc_id}-{row.item.id}",
                            status_code=303)


async def correct(request: Request) -> Response:
    form = await _form(request)
    project = _project(request)
    before = {r.key: r.match.pillar for r in project.snapshot.rows}
    titles = {p.number: p.title for p in project.snapshot.outline.pillars} if project.snapshot.outline else {}
    try:
        pillar = int(str(form.get("pillar")))
        row, changed = await run_in_threadpool(project.correct, str(form.get("doc")), str(form.get("item")), pillar,
                                               _int_or_none(form.get("revision")), _int_or_none(form.get("shown")))
    except StaleForm as exc:
        return await _stale(request, exc, titles)
    except (KeyError, ValueError):
        raise HTTPException(400, "この項目か柱が見つかりません（ページを開き直してください）") from None
    name = project.snapshot.corrections_path.name if project.snapshot.corrections_path else "corrections.tsv"
    text = f"「{row.item.name}」を {labels.pillar_label(pillar, titles)} にしました（{name} に保存し、照合し直しました）"
    return await _changed_response(request, form, row, changed, text, before)


async def uncorrect(request: Request) -> Response:
    form = await _form(request)
    project = _project(request)
    before = {r.key: r.match.pillar for r in project.snapshot.rows}
    titles = {p.number: p.title for p in project.snapshot.outline.pillars} if project.snapshot.outline else {}
    try:
        row, changed = await run_in_threadpool(project.uncorrect, str(form.get("doc")), str(form.get("item")),
                                               _int_or_none(form.get("revision")))
    except StaleForm as exc:
        return await _stale(request, exc, titles)
    except KeyError:
        raise HTTPException(400, "この項目の修正が見つかりません（ページを開き直してください）") from None
    text = (f"「{row.item.name}」の修正を取り消し、自動の照合に戻しました：{labels.pillar_label(row.match.pillar, titles)}")
    return await _changed_response(request, form, row, changed, text, before)


async def item_page(request: Request) -> Response:
    project = _project(request)
    snap = project.snapshot
    doc_id, item_id = request.path_params["doc_id"], request.path_params["item_id"]
    row = snap.row(doc_id, item_id)
    if row is None:
        raise HTTPException(404, "その項目はありません（「2. 柱の確認・修正」から選び直してください）")
    try:
        source = await run_in_threadpool(project.source, doc_id, item_id)
    except Exception:  # noqa: BLE001 - the source is a help: the page still shows the item
        source = {"kind": ""}
    original = project.original(doc_id, item_id)
    return await render(request, "item.html", {"row": row, "file": snap.file(doc_id), "source": source,
                                                "original": original, "back": str(request.query_params.get("back", "")),
                                                "active": "review"})


async def edit(request: Request) -> Response:
    form = await _form(request)
    project = _project(request)
    before = {r.key: r.match.pillar for r in project.snapshot.rows}
    titles = {p.number: p.title for p in project.snapshot.outline.pillars} if project.snapshot.outline else {}
    shown = (str(form.get("shown_name") or ""), str(form.get("shown_content") or ""))
    try:
        row, changed = await run_in_threadpool(
            project.edit, str(form.get("doc")), str(form.get("item")), str(form.get("name") or ""),
            str(form.get("content") or ""), _int_or_none(form.get("revision")),
            shown if form.get("shown_name") is not None else None)
    except StaleForm as exc:
        return await _stale(request, exc, titles)
    except KeyError:
        raise HTTPException(400, "この項目が見つかりません（ページを開き直してください）") from None
    except ValueError:
        raise HTTPException(400, "名称を空にはできません（元に戻すには、読み取ったときの名称を入れてください）") from None
    text = (f"「{row.item.name}」の名称と内容を保存しました（inputs/edits.tsv。計画案はこの文言で作ります）"
            if row.edited else f"「{row.item.name}」をファイルの文言に戻しました")
    return await _changed_response(request, form, row, changed, text, before)


async def page_image(request: Request) -> Response:
    try:
        n = int(request.path_params["page"])
        png = await run_in_threadpool(_project(request).pdf_page_png, request.path_params["doc_id"], n)
    except (KeyError, ValueError):
        raise HTTPException(404, "このページは表示できません") from None
    return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=3600"})


# -- comparison, search, outputs -------------------------------------------------------------------

_SKIPPED = re.compile(r"^(\d+) measures of (.+) itself \(an earlier plan\) left out$")


def skipped_note(note: str) -> str:
    """A note of the comparison (English in pipeline.compare) as the page says it."""
    m = _SKIPPED.match(note)
    if m:
        return f"{m.group(2)}自身の施策 {m.group(1)} 件（以前の計画のもの）は比較から外しました"
    return note


async def comparison(request: Request) -> Response:
    project = _project(request)
    snap = project.snapshot
    result = project.cached_comparison()
    if result is None and snap.plan is not None and snap.outline is not None:
        job = request.app.state.jobs.get(request.query_params.get("job", ""))
        if job is None or job.state == "done":  # not yet made, or made for files since changed
            job = request.app.state.jobs.submit("他市の計画と比較しています", lambda j: project.comparison(),
                                                next_url="/compare")
            return _redirect("/compare", job=job.id)
    top = max((result.count(n, c) for n, _ in result.pillars for c in result.cities), default=0) if result else 0
    skipped = [skipped_note(n) for n in result.skipped] if result else []
    return await render(request, "compare.html", {"result": result, "top": top, "skipped": skipped,
                                                   "active": "compare"})


SEARCH_LIMIT = 50


async def search(request: Request) -> Response:
    project = _project(request)
    snap = project.snapshot
    q = request.query_params
    query, city = q.get("q", "").strip(), q.get("city", "").replace("\x00", "").strip()
    query = query.replace("\x00", "")
    pillar = int(q["pillar"]) if q.get("pillar", "").isdigit() and len(q["pillar"]) < 6 else None
    terms, hits, total = ((await run_in_threadpool(project.search, query, city, pillar, SEARCH_LIMIT)) if query
                          else ([], [], 0))
    cities = await run_in_threadpool(project.library_cities)
    refs, cites = (await run_in_threadpool(project.search_reference, query, SEARCH_LIMIT)) if query else ([], {})
    links = {}
    for h in hits:  # a hit of a document loaded in the project links to its item
        doc_id = snap.doc_of_sha(h.stored.document_sha256)
        if doc_id is not None:
            links[h.rank] = (f"/items/{doc_id}/{h.stored.item.id}" if snap.row(doc_id, h.stored.item.id)
                             else f"/documents/{doc_id}")
    copies = {h.rank: [re.sub(r"\bp\.(\d+)", r"\1ページ", c) for c in getattr(h, "copies", ())] for h in hits}
    return await render(request, "search.html", {"query": query, "city": city, "pillar": pillar, "terms": terms,
                                                  "hits": hits, "total": total, "limit": SEARCH_LIMIT, "links": links,
                                                  "copies": copies, "refs": refs, "cites": cites,
                                                  "cities": cities, "active": "search"})


def _when(t: datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"  # no %-m: Windows' strftime has none


def _mtime(path: Path | None) -> float:
    try:
        return path.stat().st_mtime if path is not None else 0.0
    except OSError:
        return 0.0


async def outputs(request: Request) -> Response:
    project = _project(request)
    present = await run_in_threadpool(project.outputs_present)
    snap = project.snapshot
    year = snap.next_year()
    times = {key: _when(datetime.fromtimestamp(path.stat().st_mtime)) for key, path in present.items()}
    # Downloads made before the latest correction or edit do not have it.
    changed = max(_mtime(snap.corrections_path), _mtime(project.edits_path))
    made = [_mtime(present[k]) for k in ("draft", "comparison.xlsx") if k in present]
    stale = bool(made) and changed > min(made)
    return await render(request, "outputs.html", {"present": present, "times": times, "downloads": DOWNLOADS,
                                                   "default_year": fiscal_year_label(year) if year else "",
                                                   "stale": stale, "changed_at": _when(datetime.fromtimestamp(changed))
                                                   if changed else "", "active": "outputs"})


async def generate(request: Request) -> Response:
    form = await _form(request)
    text = str(form.get("year") or "").strip()
    try:
        year = parse_year_arg(text) if text else None
    except ValueError:
        raise HTTPException(400, f"年度が読めません：{text}（例：平成22年度、令和7年度、2025）") from None
    project = _project(request)
    job = request.app.state.jobs.submit("計画案と比較表を作成しています",
                                        lambda j: project.generate(year, j.progress), next_url="/outputs")
    return _redirect("/outputs", job=job.id)


async def download(request: Request) -> Response:
    key = request.path_params["key"]
    path: Path | None = (await run_in_threadpool(_project(request).outputs_present)).get(key)
    if key not in DOWNLOADS or path is None:
        raise HTTPException(404, "まだ作成されていません（「作成・ダウンロード」で作成してください）")
    media = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".png": "image/png"}
    return FileResponse(path, media_type=media.get(path.suffix), filename=path.name,
                        headers={"cache-control": "no-store"})


async def job_status(request: Request) -> Response:
    job = request.app.state.jobs.get(request.path_params["job_id"])
    if job is None:
        return JSONResponse({"error": "その処理はありません"}, status_code=404)
    status = job.status()
    if job.state == "failed":
        status["error"] = job.error
    return JSONResponse(status, headers={"cache-control": "no-store"})


async def font(request: Request) -> Response:
    """The Japanese font the heatmap uses (IPAexGothic), as the page's last-resort font: a machine with
    no Japanese font still shows Japanese, and nothing is fetched from the internet."""
    path = request.app.state.font_path
    if path is None:
        raise HTTPException(404, "フォントがありません")
    return FileResponse(path, media_type="font/ttf", headers={"cache-control": "max-age=86400"})


def routes() -> list[Route]:
    return [
        Route("/", index),
        Route("/documents/{doc_id:str}", document),
        Route("/documents/{doc_id:str}/remove", remove, methods=["POST"]),
        Route("/documents/{doc_id:str}/role", set_role, methods=["POST"]),
        Route("/documents/{doc_id:str}/pages/{page:int}.png", page_image),
        Route("/items/{doc_id:str}/{item_id:str}", item_page),
        Route("/upload", upload, methods=["POST"]),
        Route("/select", select, methods=["POST"]),
        Route("/reload", reload, methods=["POST"]),
        Route("/review", review),
        Route("/review/correct", correct, methods=["POST"]),
        Route("/review/uncorrect", uncorrect, methods=["POST"]),
        Route("/review/edit", edit, methods=["POST"]),
        Route("/compare", comparison),
        Route("/search", search),
        Route("/outputs", outputs),
        Route("/outputs/generate", generate, methods=["POST"]),
        Route("/download/{key:str}", download),
        Route("/jobs/{job_id:str}", job_status),
        Route("/fonts/ipaexg.ttf", font),
    ]


__all__ = ["DOWNLOADS", "PAGE_SIZE", "filter_rows", "render", "routes", "sort_rows", "start_load"]
