"""Hypothesis fuzzing of the text structure parser and normalizers: no input makes them crash."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest.structure import TAG_WORDS, parse_blocks
from pipeline.model import Block, Source
from pipeline.text.normalize import clean, parse_fiscal_year, rollover

pytestmark = pytest.mark.slow  # fuzzing: hundreds of examples

# Pieces real plans are made of, so the fuzzer reaches the interesting branches quickly.
PIECES = ["施策1", "施策３", "■", "◆", "★", "●", "◎", "項目", "項 目", "内容", "関係部署", "担当課", "主体",
          "〈新規〉", "《継続》", "<<随時>>", "＜再掲＞", "(検討)", "（", "）", "平成21年度", "令和元年度", "対馬市",
          "**", "N P O", "(1 0)", "\u3000", " ", "、", "。", "⽅", "(cid:3)", "①", "～", "〜"]
piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=6))
fragment = st.lists(piece, max_size=8).map("".join)
row = st.lists(st.one_of(st.none(), fragment), min_size=1, max_size=6).map(tuple)
block = st.one_of(fragment.map(lambda t: (t, ())), row.map(lambda c: ("\t".join(x or "" for x in c), c)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block, max_size=25), st.booleans())
def test_structure_parser_never_crashes(specs: list[tuple[str, tuple[str | None, ...]]], pdf: bool) -> None:
    blocks = [Block(text=t, cells=c, source=Source(path="fuzz.txt", line=n)) for n, (t, c) in enumerate(specs, 1)]
    doc = parse_blocks(blocks, path="fuzz.txt", sha256="0" * 64, fmt="txt", cjk_spaces=pdf)
    for item in doc.items:
        assert item.name or item.content
        assert item.actor in (None, "citizens", "city", "both")
        assert set(item.tags) <= set(TAG_WORDS)
        assert all(d and " " not in d for d in item.departments)


@settings(max_examples=300, deadline=None)
@given(fragment, st.integers(1990, 2040), st.integers(1990, 2040))
def test_normalizers_never_crash(text: str, a: int, b: int) -> None:
    assert clean(clean(text)) == clean(text)  # idempotent
    parse_fiscal_year(text)
    rollover(text, a, b)
