"""`plandraft serve`: the local web page where a planner does the whole job in a browser."""
from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import sys
import threading
import webbrowser
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ..messages import set_language, text
from ._common import Console, add_example, positive_int


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help=text("help.serve"), description=text("help.serve.description"))
    p.add_argument("--project", default=".", metavar="DIR", help=text("help.serve.project"))
    p.add_argument("--port", type=positive_int, default=8000, help=text("help.serve.port"))
    p.add_argument("--host", default="127.0.0.1", help=text("help.serve.host"))
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME", help=text("help.serve.allow_host"))
    p.add_argument("--no-browser", action="store_true", help=text("help.serve.no_browser"))
    add_example(p, "plandraft serve", "plandraft serve --project ~/action-plan --port 8080")
    p.set_defaults(func=run)


def _check_port(host: str, port: int) -> None:
    """UsageError if host:port cannot be listened on (e.g. another serve already uses it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UsageError(text("serve.port", host=host, port=port, reason=exc.strerror or exc,
                                  next=port + 1)) from None


def _has_screen() -> bool:
    """Whether a graphical browser can open (on Linux without a display, webbrowser would pick a
    text browser that takes over the terminal)."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..web import create_app
    from ..web.security import WILDCARDS, allowed_hosts, is_loopback

    # The page is Japanese, and so are the reasons it shows (from the catalogue, in this process and
    # its workers); only --lang en asks for English.
    set_language(getattr(args, "lang", None) or "ja")
    console = Console()
    project = Path(args.project)
    if not project.is_dir():
        raise UsageError(text("serve.no_project", path=project))
    if not is_loopback(args.host):
        console.error(text("serve.exposed", host=args.host))
    _check_port(args.host, args.port)
    if not (project / "inputs").is_dir():
        console.info(text("serve.no_inputs", path=project.resolve()))
    # Files are parsed in worker processes; forkserver (where there is one; Windows spawns anyway),
    # because forking a threaded server can deadlock.
    if "forkserver" in multiprocessing.get_all_start_methods():
        multiprocessing.set_start_method("forkserver", force=True)
    app = create_app(project, host=args.host, workers=None, allow_hosts=tuple(args.allow_host))
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else shown}:{args.port}/"
    console.info(text("serve.url", url=url, project=project.resolve()))
    if args.host in WILDCARDS:
        names = ", ".join(allowed_hosts(args.host, args.allow_host)[3:]) or text("serve.no_names")
        console.info(text("serve.other_computers", names=names))
    if not args.no_browser and _has_screen():
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    sys.stderr.flush()
    return EXIT_OK
