"""The SudachiPy adapter: chunking under the byte limit, terms and compounds, recorded settings."""
from __future__ import annotations

import pytest

from pipeline.text.tokenize import MAX_CHUNK_BYTES, TERM_CHUNK_BYTES, chunks, info, place_names, terms, tokenize

SUDACHI_LIMIT = 49_149  # bytes Sudachi accepts in one input


def test_a_line_over_sudachis_byte_limit_is_chunked_and_tokenized() -> None:
    line = "市民協働出前講座の実施、" * 2_000  # one line, no line break: 72,000 bytes
    assert len(line.encode("utf-8")) > SUDACHI_LIMIT
    pieces = chunks(line)
    assert all(len(p.encode("utf-8")) <= MAX_CHUNK_BYTES for p in pieces)
    assert "".join(pieces) == line
    tokens = tokenize(line)
    assert sum(1 for t in tokens if t.surface == "講座") == 2_000
    assert sum(1 for t in terms(line) if t.text == "出前講座") == 2_000


def test_a_long_line_without_punctuation_is_cut_inside_a_run() -> None:
    line = "あ" * 20_000  # 60,000 bytes, nowhere to cut but inside
    pieces = chunks(line)
    assert len(pieces) > 1 and "".join(pieces) == line
    assert all(len(p.encode("utf-8")) <= MAX_CHUNK_BYTES for p in pieces)
    assert all(len(p.encode("utf-8")) <= TERM_CHUNK_BYTES for p in chunks(line, TERM_CHUNK_BYTES))


def test_chunks_cut_after_punctuation_first() -> None:
    text = "協働を進める。" * 5
    assert chunks(text, limit=len("協働を進める。".encode()) * 2) == ["協働を進める。協働を進める。"] * 2 + ["協働を進める。"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市民協働出前講座の実施", {"出前講座", "市民協働", "出前", "講座"}),
        ("協働事業提案制度の整備", {"事業提案制度", "提案制度", "提案"}),
        ("コミュニティサロンの設置", {"コミュニティーサロン", "サロン"}),  # normalized form
    ],
)
def test_terms_include_words_and_compound_nouns(text: str, expected: set[str]) -> None:
    assert expected <= {t.text for t in terms(text)}


def test_terms_leave_out_particles_numbers_and_formal_nouns() -> None:
    found = {t.text for t in terms("21年度のための計画について")}
    assert "の" not in found and "21" not in found and "為" not in found
    assert "計画" in found


def test_compounds_are_flagged_and_keep_the_written_form() -> None:
    (compound,) = [t for t in terms("職員研修") if t.compound]
    assert (compound.text, compound.surface) == ("職員研修", "職員研修")


def test_info_records_versions_dictionary_and_split_mode() -> None:
    data = info()
    assert data["split_mode"] == "C"
    assert data["dictionary"].startswith("sudachidict-core ")
    assert data["sudachipy"]


def test_place_names_unchanged() -> None:
    assert place_names("安城市と裾野市の事例") == ["安城市", "裾野市"]


def test_threads_can_tokenize_at_once() -> None:
    """The web page reads and renders in worker threads: a shared SudachiPy Tokenizer raised
    'Tokenizer is already in use' when two of them tokenized at the same time."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.text.tokenize import tokenize

    texts = [f"市民協働出前講座の実施と職員研修の充実を図ります{n}" * 40 for n in range(64)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(tokenize, texts))
    assert all(results) and [t.surface for t in results[0]] == [t.surface for t in tokenize(texts[0])]


@pytest.mark.parametrize(("text", "names"), [
    ("裾野市市民協働推進計画", ["裾野市"]),  # not 市市 (Sudachi's place name), as the title of a real plan has it
    ("高森町町民参画計画", ["高森町"]),
    ("西区区民会議", ["西区"]),
])
def test_a_place_before_its_residents_word(text: str, names: list[str]) -> None:
    assert place_names(text) == names
