"""Writing results safely: atomic replace, backups of files a planner may have edited, JSON."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from .model import to_jsonable


def write_atomic(path: Path | str, data: bytes | str) -> Path:
    """Write data to path via a temp file in the same folder and a rename, so a crash never
    leaves a half-written file; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def backup(path: Path | str) -> Path | None:
    """Copy an existing file to 'name.YYYYmmdd-HHMMSS.bak' beside it; returns the backup's path."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{stamp}{path.suffix}.bak")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{stamp}-{n}{path.suffix}.bak")
        n += 1
    shutil.copy2(path, target)
    return target


def dumps(obj: Any) -> str:
    """Records as pretty, UTF-8 JSON text (Japanese kept readable)."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n"


def metadata() -> dict[str, Any]:
    """What produced an output: plandraft and tokenizer versions and settings."""
    import importlib.metadata

    from . import tokenize

    try:
        version = importlib.metadata.version("plandraft")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return {"plandraft": version, "tokenizer": tokenize.info()}
