"""The page's routes: documents (upload, pick, items), review (filter, correct), comparison, search,
outputs (generate, download) and job status. Each handler reads the project's snapshot or calls one
Project action; none holds pipeline logic."""
from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..text.normalize import fiscal_year_label, parse_year_arg
from . import labels
from .jobs import Job
from .project import ROLES, Project, Row, Snapshot
from .security import token_ok

DOWNLOADS = {"draft": "計画案（Word）", "changes": "新旧対照表（Word）", "comparison.xlsx": "他市比較（Excel）",
             "comparison.docx": "他市比較（Word）", "heatmap.png": "ヒートマップ（画像）"}
MAX_ROWS = 1000  # review rows shown at once (filters narrow them)


# -- helpers ---------------------------------------------------------------------------------------

def _project(request: Request) -> Project:
    return request.app.state.project  # type: ignore[no-any-return]


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    state = request.app.state
    snap: Snapshot = state.project.snapshot
    note = state.notes.get(request.query_params.get("note", ""))
    job = state.jobs.get(request.query_params.get("job", ""))
    running = [j for j in state.jobs.running() if job is None or j.id != job.id]
    base = {"request": request, "csrf": state.csrf, "snap": snap, "project": state.project, "note": note,
            "job": job or (running[0] if running else None), "labels": labels, "roles": labels.ROLE_LABELS,
            "titles": {p.number: p.title for p in snap.outline.pillars} if snap.outline else {}}
    return state.templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


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

async def index(request: Request) -> Response:
    snap = _project(request).snapshot
    groups = {role: [f for f in snap.files if f.role == role] for role in ROLES}
    return render(request, "documents.html", {"groups": groups, "active": "documents",
                                               "max_mb": request.app.state.max_upload // (1024 * 1024)})


async def document(request: Request) -> Response:
    snap = _project(request).snapshot
    f = snap.file(request.path_params["doc_id"])
    if f is None:
        raise HTTPException(404, "その文書はありません（一覧から選び直してください）")
    doc = snap.documents.get(f.id)
    rows = {r.item.id: r for r in snap.rows if r.doc_id == f.id}
    outline = snap.outline if f.id == snap.outline_id else None
    return render(request, "document.html", {"file": f, "doc": doc, "rows": rows, "outline": outline,
                                              "error": snap.errors.get(f.id), "active": "documents"})


async def upload(request: Request) -> Response:
    form = await _form(request)
    role = str(form.get("role") or "")
    if role not in ROLES:
        raise HTTPException(400, "文書の種類（構成案・当市の計画・他市の計画）を選んでください")
    files = [v for v in form.getlist("files") if isinstance(v, UploadFile) and v.filename]
    if not files:
        raise HTTPException(400, "ファイルを選んでください")
    project = _project(request)
    stored, refused = [], []
    for up in files:
        data = await up.read()
        try:
            f, new = await run_in_threadpool(project.add_upload, role, up.filename or "", data)
        except ValueError:
            refused.append(up.filename or "")
            continue
        stored.append(f.name + ("" if new else "（同じファイルが既にあります）"))
    lines = []
    if stored:
        lines.append(f"{labels.ROLE_LABELS[role]}として受け取りました：{'、'.join(stored)}")
    if refused:
        lines.append(f"読めない種類のファイルは受け取りませんでした：{'、'.join(refused)}"
                     "（PDF・Word(.docx)・Excel(.xlsx)・テキスト(.txt/.md)にしてください）")
    note = _note(request, "\n".join(lines))
    job = start_load(request, next_url=f"/?note={note}") if stored else None
    if _wants_json(request):
        return JSONResponse({"stored": stored, "refused": refused, "job": job.id if job else None,
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
    await _form(request)
    try:
        f = await run_in_threadpool(_project(request).remove_upload, request.path_params["doc_id"])
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

def filter_rows(rows: tuple[Row, ...], pillar: str, low: bool, city: str, query: str) -> list[Row]:
    """The rows the review table's filters keep."""
    out = []
    for r in rows:
        if pillar and str(r.match.pillar) != pillar:
            continue
        if low and not r.match.needs_review:
            continue
        if city and r.city != city:
            continue
        if query and query not in f"{r.item.name}\n{r.item.content}\n{r.item.measure}":
            continue
        out.append(r)
    return out


async def review(request: Request) -> Response:
    snap = _project(request).snapshot
    q = request.query_params
    pillar, low, city, query = q.get("pillar", ""), q.get("low") == "1", q.get("city", ""), q.get("q", "").strip()
    rows = filter_rows(snap.rows, pillar, low, city, query)
    filters = urlencode({k: v for k, v in (("pillar", pillar), ("low", "1" if low else ""), ("city", city),
                                           ("q", query)) if v})
    counts = {"all": len(snap.rows), "low": sum(1 for r in snap.rows if r.match.needs_review),
              "corrected": sum(1 for r in snap.rows if r.match.corrected)}
    return render(request, "review.html", {
        "rows": rows[:MAX_ROWS], "shown": len(rows), "max_rows": MAX_ROWS, "counts": counts, "cities": snap.cities(),
        "filter": {"pillar": pillar, "low": low, "city": city, "q": query}, "filters": filters, "active": "review",
    })


async def correct(request: Request) -> Response:
    form = await _form(request)
    project = _project(request)
    try:
        pillar = int(str(form.get("pillar")))
        row, changed = await run_in_threadpool(project.correct, str(form.get("doc")), str(form.get("item")), pillar)
    except (KeyError, ValueError):
        raise HTTPException(400, "この項目か柱が見つかりません（ページを開き直してください）") from None
    titles = {p.number: p.title for p in project.snapshot.outline.pillars} if project.snapshot.outline else {}
    text = (f"「{row.item.name}」を {labels.pillar_label(pillar, titles)} にしました"
            f"（{project.snapshot.corrections_path.name if project.snapshot.corrections_path else 'corrections.tsv'}"
            " に保存し、照合し直しました）")
    if changed:
        text += f"。似た項目 {len(changed)} 件の柱も変わりました：" + "、".join(
            f"{r.item.name}→({r.match.pillar})" for r in changed[:8]) + ("…" if len(changed) > 8 else "")
    back = str(form.get("back") or "")
    if _wants_json(request):
        return JSONResponse({"item": row.item.id, "pillar": row.match.pillar, "changed": len(changed), "message": text})
    url = "/review" + (f"?{back}" if back and not back.startswith(("/", "\\")) and "://" not in back else "")
    return RedirectResponse(f"{url}{'&' if '?' in url else '?'}note={_note(request, text)}#row-{row.doc_id}-{row.item.id}",
                            status_code=303)


# -- comparison, search, outputs -------------------------------------------------------------------

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
    return render(request, "compare.html", {"result": result, "top": top, "active": "compare"})


async def search(request: Request) -> Response:
    project = _project(request)
    q = request.query_params
    query, city = q.get("q", "").strip(), q.get("city", "").strip()
    pillar = int(q["pillar"]) if q.get("pillar", "").isdigit() else None
    terms, hits = (await run_in_threadpool(project.search, query, city, pillar)) if query else ([], [])
    cities = await run_in_threadpool(project.library_cities)
    return render(request, "search.html", {"query": query, "city": city, "pillar": pillar, "terms": terms,
                                            "hits": hits, "cities": cities, "active": "search"})


def _when(t: datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"  # no %-m: Windows' strftime has none


async def outputs(request: Request) -> Response:
    project = _project(request)
    present = await run_in_threadpool(project.outputs_present)
    snap = project.snapshot
    year = snap.next_year()
    times = {key: _when(datetime.fromtimestamp(path.stat().st_mtime)) for key, path in present.items()}
    return render(request, "outputs.html", {"present": present, "times": times, "downloads": DOWNLOADS,
                                            "default_year": fiscal_year_label(year) if year else "",
                                            "active": "outputs"})


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
    return FileResponse(path, media_type=media.get(path.suffix), filename=path.name)


async def job_status(request: Request) -> Response:
    job = request.app.state.jobs.get(request.path_params["job_id"])
    if job is None:
        return JSONResponse({"error": "no such job"}, status_code=404)
    status = job.status()
    if job.state == "failed":
        status["error"] = labels.reason(job.error)
    return JSONResponse(status, headers={"cache-control": "no-store"})


async def font(request: Request) -> Response:
    """The Japanese font the heatmap uses (IPAexGothic), as the page's last-resort font: a machine with
    no Japanese font still shows Japanese, and nothing is fetched from the internet."""
    path = request.app.state.font_path
    if path is None:
        raise HTTPException(404, "font not installed")
    return FileResponse(path, media_type="font/ttf", headers={"cache-control": "max-age=86400"})


def routes() -> list[Route]:
    return [
        Route("/", index),
        Route("/documents/{doc_id:str}", document),
        Route("/documents/{doc_id:str}/remove", remove, methods=["POST"]),
        Route("/documents/{doc_id:str}/role", set_role, methods=["POST"]),
        Route("/upload", upload, methods=["POST"]),
        Route("/select", select, methods=["POST"]),
        Route("/reload", reload, methods=["POST"]),
        Route("/review", review),
        Route("/review/correct", correct, methods=["POST"]),
        Route("/compare", comparison),
        Route("/search", search),
        Route("/outputs", outputs),
        Route("/outputs/generate", generate, methods=["POST"]),
        Route("/download/{key:str}", download),
        Route("/jobs/{job_id:str}", job_status),
        Route("/fonts/ipaexg.ttf", font),
    ]


__all__ = ["DOWNLOADS", "filter_rows", "routes", "start_load"]
