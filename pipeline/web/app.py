"""The ASGI app of the local page: Starlette routes, Jinja2 templates and static files shipped in
this package (no CDN: the page works offline), guarded by pipeline.web.security."""
from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import InputError
from .jobs import JobRunner
from .project import Project
from .routes import render, routes
from .security import WILDCARDS, BodyTooLarge, Guard, allowed_hosts, too_large_message

HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 50 * 1024 * 1024  # bytes in one request
# What the page says for Starlette's own (English) errors: an unknown address, a wrong method, a form
# with too many files or fields.
STATUS_TEXT = {
    400: "送信された内容を読めませんでした（ページを開き直してからもう一度操作してください）",
    404: "このページはありません（上のメニューから選んでください）",
    405: "この操作はここではできません（上のメニューから選び直してください）",
}
TOO_MANY = "一度に送れるファイルや項目が多すぎます（200 個までに分けて送ってください）"


def japanese_detail(status: int, detail: str) -> str:
    """detail when it is the page's own (Japanese) message, else the page's wording for status."""
    if any(ord(c) > 0x2E7F for c in detail):
        return detail
    if detail.startswith("Too many"):
        return TOO_MANY
    return STATUS_TEXT.get(status, "操作できませんでした（ページを開き直してからもう一度操作してください）")


def _font_path() -> Path | None:
    """IPAexGothic as matplotlib-fontja ships it (located without importing it: see heatmap.py)."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / "ipaexg.ttf"
        if path.is_file():
            return path
    return None


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["percent"] = lambda x: f"{round(float(x) * 100)}%"
    return Jinja2Templates(env=env)


def create_app(project_dir: Path | str = ".", *, host: str = "127.0.0.1", max_upload: int = MAX_UPLOAD,
               workers: int | None = 1, load: bool = True, allow_hosts: tuple[str, ...] = ()) -> Starlette:
    """The app for the project folder project_dir (its inputs/, uploads/ and outputs/), answering
    for the host names of host (for 0.0.0.0: this computer's names and any IP address) and
    allow_hosts. load: start reading the project at once (a background job)."""
    project = Project(project_dir, workers=workers)
    templates = _templates()

    async def error_page(request: Request, exc: Exception) -> Response:
        if isinstance(exc, InputError):  # a file the planner edits that cannot be read or written back
            status, detail = 400, exc.line()  # one line naming it, not a server error
        elif isinstance(exc, HTTPException):
            status, detail = exc.status_code, japanese_detail(exc.status_code, str(exc.detail))
        else:
            status, detail = 413, japanese_detail(413, too_large_message(max_upload))
        if "application/json" in request.headers.get("accept", ""):
            return PlainTextResponse(detail, status_code=status)
        return await render(request, "error.html", {"status": status, "detail": detail, "active": ""},
                            status_code=status)

    app = Starlette(
        routes=[*routes(), Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")],
        middleware=[Middleware(Guard, allowed_hosts=allowed_hosts(host, allow_hosts), max_body=max_upload,
                               any_address=host in WILDCARDS)],
        exception_handlers={HTTPException: error_page, BodyTooLarge: error_page, InputError: error_page},
    )
    app.state.project = project
    app.state.jobs = JobRunner()
    app.state.csrf = secrets.token_urlsafe(32)
    app.state.notes = {}
    app.state.moves = {}  # token → the row keys one correction moved (the review page lists them)
    app.state.last_role = "others"  # the role of the last upload, checked again on the form
    app.state.templates = templates
    app.state.max_upload = max_upload
    app.state.font_path = _font_path()
    app.state.load_job = None
    if load:
        app.state.load_job = app.state.jobs.submit(
            "文書を読み込んで柱に照合しています", lambda job: project.load(job.progress), next_url="/")
    return app
