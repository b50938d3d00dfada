"""The parse cache: a damaged entry is never trusted; the file is parsed again and the entry replaced."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.files import file_sha256
from pipeline.ingest import _cache_path, ingest_file


@pytest.mark.parametrize("entry", [
    "[1, 2, 3]",  # valid JSON, not an object
    '{"path": 1}',  # an object missing every other key
    "not json",
    "wrong-types",  # filled in below: a real entry with a list where a string belongs
])
def test_a_damaged_cache_entry_is_reparsed(tmp_path: Path, tsushima_txt: Path, entry: str) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(tsushima_txt.read_bytes())
    good = ingest_file(plan)  # fills the cache
    cache = _cache_path(file_sha256(plan), ".txt")
    assert cache.is_file() and Path(os.environ["PLANDRAFT_CACHE_DIR"]) in cache.parents
    if entry == "wrong-types":
        data = json.loads(cache.read_text("utf-8"))
        data["items"][0]["name"] = ["not", "a", "name"]
        entry = json.dumps(data, ensure_ascii=False)
    cache.write_text(entry, "utf-8")
    again = ingest_file(plan)
    assert [i.name for i in again.items] == [i.name for i in good.items]
    assert json.loads(cache.read_text("utf-8"))["items"][0]["name"] == good.items[0].name  # replaced
