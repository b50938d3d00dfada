"""Background jobs of the web page: one worker thread runs them in turn; each has an id and a status
that the page polls, so a long batch shows progress and never blocks a request."""
from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, OutputError, UsageError

_log = logging.getLogger("plandraft.web")
# An absolute path (POSIX, or Windows with a drive letter or UNC): up to the next quote, bracket or
# space-before-a-parenthesis; replaced by its last part, the file's name.
_PATH = re.compile(r"(?:[A-Za-z]:[\\/]|\\\\|/)(?:[^\s'\"()（）:：]+[\\/])+([^\s'\"()（）:：\\/]*)")


def without_paths(text: str) -> str:
    """text with every absolute path shortened to the file's name (a page never shows where the
    server keeps its files, nor the layout of the disk)."""
    return _PATH.sub(lambda m: m.group(1) or "…", text)


@dataclass
class Job:
    """One job's status: state is queued, running, done or failed; done/total count its steps."""

    id: str
    label: str  # what it does, for the page (Japanese)
    next_url: str  # where the page goes when it is done
    state: str = "queued"
    done: int = 0
    total: int = 0
    message: str = ""
    error: str = ""
    result: Any = field(default=None, repr=False)

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (called from the job's thread)."""
        self.done, self.total = done, total
        if message:
            self.message = message

    def status(self) -> dict[str, Any]:
        """The JSON the page polls."""
        return {"id": self.id, "label": self.label, "state": self.state, "done": self.done, "total": self.total,
                "message": self.message, "error": self.error, "next": self.next_url,
                "finished": self.state in ("done", "failed")}


class JobRunner:
    """Runs jobs one at a time in a background thread (pipeline stages are not run concurrently, so a
    job never reads files another job is writing); keeps the last jobs' status for polling."""

    KEEP = 50

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plandraft-job")
        self._jobs: dict[str, Job] = {}
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def submit(self, label: str, work: Callable[[Job], Any], next_url: str = "/") -> Job:
        """Queue work(job) and return its Job; work's return value becomes job.result. An exception
        fails the job with its message (str(exc)) for the page."""
        job = Job(id=secrets.token_hex(8), label=label, next_url=next_url)

        def run() -> None:
            job.state = "running"
            try:
                job.result = work(job)
                job.state = "done"
            except Exception as exc:  # shown on the page; the server keeps running
                # The page gets the reason with file names only; the traceback goes to the server's log.
                job.error = without_paths(str(exc)) or "予期しないエラーです（サーバーの画面の表示を確かめてください）"
                job.message = ""
                job.state = "failed"
                if not isinstance(exc, (InputError, UsageError, OutputError)):
                    _log.error("job %s (%s) failed", job.id, job.label, exc_info=True)

        with self._lock:
            self._jobs[job.id] = job
            self._futures[job.id] = self._pool.submit(run)
            for old in list(self._jobs)[: -self.KEEP]:
                if self._jobs[old].state in ("done", "failed"):
                    del self._jobs[old]
                    self._futures.pop(old, None)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def running(self) -> list[Job]:
        """Jobs not yet finished, oldest first."""
        return [j for j in list(self._jobs.values()) if j.state in ("queued", "running")]

    def wait(self, job_id: str, timeout: float | None = None) -> Job:
        """The job once finished (for tests and the command line); raises TimeoutError."""
        future = self._futures[job_id]
        future.result(timeout=timeout)
        return self._jobs[job_id]

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
