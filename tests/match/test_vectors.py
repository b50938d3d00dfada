"""The word vectors the text model reads measures through (pipeline/match/vectors.py) and a model
trained with them: words no labelled measure used count by their meaning, the evidence names them,
the model file stays plain JSON and names the table it needs."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.match.model import FORMAT, FORMAT_VECTORS, TextModel, load_model, word_weight
from pipeline.match.trainer import Labelled, _fit, choose
from pipeline.match.vectors import DEFAULT_TABLE, load_table, matrix, read_table, text_vector, weighted_words
from pipeline.messages import text
from pipeline.outline import read_outline

INFORMATION = ["広報紙の発行", "ホームページの更新", "情報誌の配布", "広報番組の放送"]  # pillar 3
PLACES = ["活動拠点の整備", "会議室の貸出", "施設の開放", "交流スペースの設置"]  # pillar 5


@pytest.fixture(scope="module")
def outline10(outline_txt: Path):  # type: ignore[no-untyped-def]
    return read_outline(outline_txt)


@pytest.fixture(scope="module")
def rows() -> list[Labelled]:
    return ([Labelled(t, 3, (3,), f"a{i}", "train") for i, t in enumerate(INFORMATION)]
            + [Labelled(t, 5, (5,), f"b{i}", "train") for i, t in enumerate(PLACES)])


def _cos(a: str, b: str) -> float:
    table = load_table()
    assert table is not None
    return float(table.get(a, a) @ table.get(b, b))


def test_the_table_is_read_without_pickle_and_near_words_are_near() -> None:
    with np.load(DEFAULT_TABLE, allow_pickle=False) as z:  # no object arrays: loading it runs no code
        assert {"words", "rows", "vectors", "source"} <= set(z.files) and z["vectors"].dtype == np.int8
    table = load_table()
    assert table is not None and len(table) > 100_000 and table.dims == 100
    assert all(w in table for w in ("研修", "講座", "セミナー", "ボランティア", "公民館"))
    assert "対馬" not in table  # place names say nothing of a pillar
    assert np.allclose(np.linalg.norm(table.vectors, axis=1), 1.0, atol=1e-4)
    assert _cos("セミナー", "講座") > _cos("セミナー", "補助金") + 0.3
    assert _cos("研修", "講習") > _cos("研修", "道路") + 0.3
    assert DEFAULT_TABLE.stat().st_size < 3_000_000


def test_a_text_vector_is_its_words_shares_and_centring_keeps_them_adding_up() -> None:
    table = load_table()
    assert table is not None
    tv = text_vector(table, "ボランティア講座の開催（初心者向け）", lambda w: 2.0)
    assert "ボランティア" in tv.words and "初心者" in tv.words
    assert np.allclose(tv.shares.sum(axis=0), tv.vector) and abs(np.linalg.norm(tv.vector) - 1) < 1e-6
    # words inside the parenthesis count half
    assert dict((s, w) for s, _, w in weighted_words("講座の開催（初心者向け）"))["初心者"] == 0.5
    dense, mean = matrix(table, ["ボランティア講座", "公民館の開放", "その他"], lambda w: 1.0)
    assert np.allclose(dense[:2].mean(axis=0), 0.0) and not dense[2].any()  # no word: the average text
    vector, shares = tv.centred(mean)
    assert np.allclose(shares.sum(axis=0), vector) and np.allclose(vector, tv.vector - mean)


def test_a_word_no_labelled_measure_used_counts_by_its_meaning(outline10, rows) -> None:  # type: ignore[no-untyped-def]
    without = _fit(rows, outline10, 10.0, "balanced", 0.0)
    model = _fit(rows, outline10, 10.0, "balanced", 1.0)
    assert without.vector_coef is None and model.vector_coef is not None
    # ウェブサイト is in no training row; its vector is near ホームページ's and 広報's
    web, web_before = model.predict("ウェブサイトの刷新"), without.predict("ウェブサイトの刷新")
    assert web.telling(3)[0][0] == "ウェブサイト" and web.probabilities[3] > web_before.probabilities[3] + 0.15
    hall = model.predict("公民館の利用")
    assert hall.telling(5)[0][0] == "公民館" and hall.probabilities[5] > 0.9
    assert model.predict("集会所を使う").telling(5)[0][0] in ("集会", "集会所")


def test_a_model_with_vectors_is_plain_json_and_names_its_table(tmp_path: Path, outline10, rows) -> None:  # type: ignore[no-untyped-def]
    model = _fit(rows, outline10, 10.0, "balanced", 1.0)
    path = model.save(tmp_path / "model.json")
    data = json.loads(path.read_text("utf-8"))
    table = load_table()
    assert table is not None and data["vectors"]["table"] == table.name
    assert data["format"] == FORMAT_VECTORS  # an older plandraft refuses it rather than drop the block
    again = load_model(path)
    assert isinstance(again, TextModel)
    a, b = model.predict("ウェブサイトの刷新"), again.predict("ウェブサイトの刷新")
    assert all(abs(a.probabilities[k] - b.probabilities[k]) < 1e-3 for k in a.probabilities)
    # a model trained without vectors (as before them) has no such block and still loads
    plain = _fit(rows, outline10, 10.0, "balanced", 0.0).save(tmp_path / "plain.json")
    data = json.loads(plain.read_text("utf-8"))
    assert "vectors" not in data and data["format"] == FORMAT and load_model(plain) is not None
    # what the model was fitted on is what it predicts with, after a save and a reload
    assert again.vector_mean is not None
    texts = [r.text for r in rows]
    fitted, mean = matrix(table, texts, lambda w: word_weight(model.vocabulary, model.idf, model.unseen_idf, w))
    assert np.allclose(mean, again.vector_mean, atol=1e-4)
    for t, row in zip(texts, fitted):
        assert np.allclose(again._encode(t)[2].centred(again.vector_mean)[0], row, atol=1e-3)


def test_a_model_of_other_vectors_is_one_clear_error(tmp_path: Path, outline_txt: Path, outline10, rows,  # type: ignore[no-untyped-def]
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _fit(rows, outline10, 10.0, "balanced", 1.0).save(tmp_path / "学習 モデル.json")
    data = json.loads(path.read_text("utf-8"))
    data["vectors"]["table"] = "0123456789abcdef"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(InputError):
        load_model(path)
    measures = tmp_path / "m.txt"
    measures.write_text("職員研修\n", "utf-8")
    assert main(["classify", "--outline", str(outline_txt), "--model", str(path), str(measures)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "学習 モデル.json" in err and "0123456789abcdef" in err and "plandraft train" in err


def test_a_missing_or_damaged_table_is_one_clear_error(tmp_path: Path, outline10, rows) -> None:  # type: ignore[no-untyped-def]
    assert read_table(tmp_path / "none.npz") is None
    damaged = tmp_path / "単語 ベクトル.npz"
    damaged.write_bytes(DEFAULT_TABLE.read_bytes()[:50_000])  # cut short
    with pytest.raises(InputError) as cut:
        read_table(damaged)
    assert cut.value.path == str(damaged) and text("vectors.unreadable.hint") in cut.value.line()
    damaged.write_bytes(b"PK garbage")  # not a zip: numpy's own reason would speak of pickles
    with pytest.raises(InputError) as garbage:
        read_table(damaged)
    assert "pickle" not in garbage.value.line()
    np.savez(damaged, words=np.frombuffer("研修\n講座".encode(), dtype=np.uint8), rows=np.array([0, 5]),
             vectors=np.zeros((2, 4), dtype=np.int8))  # a row number past the vectors
    with pytest.raises(InputError):
        read_table(damaged)
    model = _fit(rows, outline10, 10.0, "balanced", 1.0)
    with pytest.raises(InputError) as missing:  # the shipped table gone: reinstall, not retrain
        model.check_vectors(None)
    assert missing.value.path == str(DEFAULT_TABLE) and text("model.vectors_missing.hint") in missing.value.line()


def test_a_tie_goes_to_the_most_regularized_setting() -> None:
    tried = [(0.880, (30.0, "balanced", 1.0), 1.0, None), (0.878, (3.0, "balanced", 1.0), 2.0, None),
             (0.870, (1.0, "balanced", 1.0), 1.0, None), (0.877, (3.0, "balanced", 0.0), 1.0, None)]
    assert choose(tried)[1:3] == ((3.0, "balanced", 1.0), 2.0)  # within 0.005 of the best, smallest C, best
    assert choose(tried[:1] + tried[2:3])[1][0] == 30.0  # 0.870 is no tie


def test_the_shipped_model_reads_through_the_shipped_vectors() -> None:
    model = load_model()
    table = load_table()
    assert model is not None and table is not None
    assert model.vector_coef is not None and model.vector_table == table.name
    assert model.vector_coef.shape == (table.dims, len(model.classes))
    assert "vector_weight" in model.info
