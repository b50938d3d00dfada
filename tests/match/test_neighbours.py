"""The nearest labelled measures' vote (pipeline/match/neighbours.py): the similarity is the cosine
over the model's features, the vote follows the nearest measures, a model with it is plain JSON that
an older plandraft refuses, and the nearest measure of the chosen pillar is evidence a planner reads."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.match import neighbours as N
from pipeline.match.matcher import Matcher
from pipeline.match.model import FORMAT_NEIGHBOURS, TextModel, load_model
from pipeline.match.neighbours import Neighbours
from pipeline.match.trainer import NEIGHBOUR_GRID, Labelled, _fit
from pipeline.outline import read_outline
from pipeline.web import labels

ROWS = [(3, "広報紙の発行"), (3, "ホームページの更新"), (3, "情報誌の配布"), (5, "活動拠点の整備"),
        (5, "会議室の貸出"), (5, "交流スペースの設置"), (7, "ゆいまーる提案事業"), (7, "ゆいまーる提案事業の募集"),
        (6, "市民ファンドの創設"), (6, "寄付の仕組み"), (1, "市民フォーラムの開催"), (9, "協働事業の評価")]


@pytest.fixture(scope="module")
def outline10(outline_txt: Path):  # type: ignore[no-untyped-def]
    return read_outline(outline_txt)


@pytest.fixture(scope="module")
def rows() -> list[Labelled]:
    return [Labelled(t, p, (p,), f"g{i}", "train") for i, (p, t) in enumerate(ROWS)]


def test_similarities_are_the_cosines_over_the_kept_features(outline10, rows) -> None:  # type: ignore[no-untyped-def]
    model = _fit(rows, outline10, 10.0, "balanced", 0.0, 0.3)
    nb = model.neighbours
    assert isinstance(nb, Neighbours) and nb.texts == tuple(t for _, t in ROWS) and nb.k == 5
    assert nb.weights.tolist() == [1.0] * len(ROWS)
    queries = ["ゆいまーる提案事業の審査", "会議室の貸出と交流スペース", "ぬぬぬ"]  # the last shares no feature
    encoded = [model._encode(q)[:2] for q in queries]
    # by hand: dense vectors over the features no more than COMMON of the measures have
    stored = np.zeros((len(ROWS), len(model.vocabulary)))
    for i in range(len(ROWS)):
        stored[i, nb.features[nb.indptr[i]:nb.indptr[i + 1]]] = nb.values[nb.indptr[i]:nb.indptr[i + 1]]
    kept = stored.any(axis=0)
    query = np.zeros((len(queries), len(model.vocabulary)))
    for row, (idx, x) in enumerate(encoded):
        query[row, idx] = x
    query *= kept
    query /= np.maximum(np.linalg.norm(query, axis=1, keepdims=True), 1e-12)  # over the kept features
    assert np.allclose(np.linalg.norm(stored, axis=1), 1.0, atol=2e-3)
    assert np.allclose(nb.similarities(encoded), query @ stored.T, atol=2e-3)
    # the same words: similarity 1, whatever common features they also have
    same = nb.similarities([model._encode(t)[:2] for t in nb.texts])
    assert np.allclose(np.diag(same), 1.0, atol=2e-3)
    # a feature in more than COMMON (and COMMON_MIN) of the measures is not stored: の, in all of 48 here
    many = [Labelled(f"{t}の{k}", p, (p,), f"h{k}", "train") for k in range(4) for p, t in ROWS]
    big = _fit(many, outline10, 10.0, "balanced", 0.0, 0.3).neighbours
    stored_features = set(big.features.tolist())
    assert len(many) > N.COMMON_MIN and _fit(many, outline10, 10.0).vocabulary["c:の"] not in stored_features
    assert len(stored_features) > 20


def test_the_vote_follows_the_nearest_measures(outline10, rows) -> None:  # type: ignore[no-untyped-def]
    model = _fit(rows, outline10, 10.0, "balanced", 0.0, 0.3)
    nb = model.neighbours
    sims = nb.similarities([model._encode(q)[:2] for q in ("ゆいまーる提案事業の審査", "ぬぬぬ")])
    votes, top, near = nb.vote(sims, model.classes)
    seven = model.classes.index(7)
    assert nb.labels[top[0, 0]] == 7 and nb.labels[top[0, 1]] == 7 and near[0, 0] >= near[0, 1] > 0
    assert votes[0, seven] == pytest.approx(sum(v for j, v in zip(top[0], near[0]) if nb.labels[j] == 7) / near[0].sum())
    assert abs(votes[0].sum() - 1) < 1e-9
    assert not votes[1].any() and not near[1].any()  # no shared feature: no vote, the model alone
    alone = _fit(rows, outline10, 10.0, "balanced", 0.0, 0.0)
    assert alone.neighbours is None
    a, b = model.predict("ぬぬぬ"), alone.predict("ぬぬぬ")
    assert a.nearest == () and all(abs(a.probabilities[k] - b.probabilities[k]) < 1e-9 for k in a.probabilities)
    voted = model.predict("ゆいまーる提案事業の審査")
    assert voted.nearest[0][:2] == ("ゆいまーる提案事業", 7) or voted.nearest[0][:2] == ("ゆいまーる提案事業の募集", 7)
    # the probabilities are the model's and the vote's, mixed by the weight
    vote = dict(zip(model.classes, nb.vote(nb.similarities([model._encode("ゆいまーる提案事業の審査")[:2]]),
                                           model.classes)[0][0]))
    assert max(vote, key=vote.__getitem__) == 7
    by_model = alone.predict("ゆいまーる提案事業の審査").probabilities
    a = 0.3 * voted.nearest[0][2]  # the weight, times the nearest measure's similarity
    assert voted.nearest[0][2] <= 1.0
    assert all(abs(voted.probabilities[c] - ((1 - a) * by_model[c] + a * vote[c])) < 1e-3 for c in model.classes)
    assert 0.0 in NEIGHBOUR_GRID and any(w > 0 for w in NEIGHBOUR_GRID)


def test_a_model_with_neighbours_is_plain_json_and_reloads(tmp_path: Path, outline10, rows) -> None:  # type: ignore[no-untyped-def]
    model = _fit(rows, outline10, 10.0, "balanced", 1.0, 0.3)
    path = model.save(tmp_path / "近い 施策.json")
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == FORMAT_NEIGHBOURS  # an older plandraft refuses it rather than drop the vote
    assert data["neighbours"]["texts"][0] == ROWS[0][1] and "vectors" in data
    again = load_model(path)
    assert again is not None and again.neighbours is not None and again.vector_coef is not None
    for q in ("ゆいまーる提案事業の審査", "会議室の予約", "寄付による支援"):
        a, b = model.predict(q), again.predict(q)
        assert all(abs(a.probabilities[k] - b.probabilities[k]) < 1e-3 for k in a.probabilities)
        assert [t for t, _, _ in a.nearest] == [t for t, _, _ in b.nearest]


@pytest.mark.parametrize(("part", "damage"), [
    ("features", lambda v: [10 ** 6, *v[1:]]),  # a feature the model has not got
    ("features", lambda v: [0.5, *v[1:]]),  # not a feature number
    ("features", lambda v: [v]),  # nested
    ("labels", lambda v: v[:-1]),  # one label short
    ("labels", lambda v: [99, *v[1:]]),  # not one of the model's classes
    ("indptr", lambda v: [1, *v[1:]]),  # not starting at 0
    ("weights", lambda v: [-1.0, *v[1:]]),
    ("values", lambda v: ["NaN", *v[1:]]),
    ("k", lambda v: 0),
    ("k", lambda v: -1),
    ("weight", lambda v: 2),
    ("weight", lambda v: float("nan")),
])
def test_a_damaged_neighbours_block_is_one_clear_error(tmp_path: Path, outline_txt: Path, outline10, rows,  # type: ignore[no-untyped-def]
                                                        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                                        part: str, damage) -> None:
    path = _fit(rows, outline10, 10.0, "balanced", 0.0, 0.3).save(tmp_path / "壊れた モデル.json")
    data = json.loads(path.read_text("utf-8"))
    data["neighbours"][part] = damage(data["neighbours"][part])
    path.write_text(json.dumps(data, ensure_ascii=False).replace('"NaN"', "NaN"), "utf-8")
    with pytest.raises(InputError) as bad:
        load_model(path)
    assert bad.value.path == str(path)
    measures = tmp_path / "m.txt"
    measures.write_text("職員研修\n", "utf-8")
    assert main(["classify", "--outline", str(outline_txt), "--model", str(path), str(measures)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "壊れた モデル.json" in err
    # in Japanese (a planner's language), without Python's English wording of the fault
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    assert main(["classify", "--outline", str(outline_txt), "--model", str(path), str(measures)]) == 1
    err = capsys.readouterr().err
    assert "分類済みの施策の部分が壊れています" in err and "neighbours:" not in err and len(err.strip().splitlines()) == 1


def test_the_same_text_and_pillar_is_one_measure_weighing_its_rows() -> None:
    import numpy as np

    encoded = [(np.array([0, 1]), np.array([0.6, 0.8])), (np.array([0, 1]), np.array([0.6, 0.8])),
               (np.array([2]), np.array([1.0])), (np.array([0, 1]), np.array([0.6, 0.8]))]
    nb = Neighbours.build(["市民提案", "市民提案", "寄付", "市民提案"], [7, 7, 6, 3], [1.0, 2.0, 1.0, 1.0], encoded, 5, 0.3)
    assert nb.texts == ("市民提案", "寄付", "市民提案") and nb.labels == (7, 6, 3)
    assert nb.weights.tolist() == [3.0, 1.0, 1.0]  # a correction (weight 2) and a plain row of the same text
    votes, top, near = nb.vote(nb.similarities([(np.array([0, 1]), np.array([0.6, 0.8]))]), (3, 6, 7))
    assert votes[0].tolist() == pytest.approx([0.25, 0.0, 0.75])  # 7 by weight 3, 3 by weight 1


def test_the_nearest_measure_of_the_chosen_pillar_is_evidence(outline10, rows) -> None:  # type: ignore[no-untyped-def]
    model = _fit(rows, outline10, 10.0, "balanced", 0.0, 0.3)
    model.weight = 4.0
    m = Matcher(outline10, model=model).match_text("ゆいまーる提案事業の審査")
    assert m.pillar == 7
    like = [e for e in m.evidence if e.kind == "measure"]
    assert like and like[0].text in ("ゆいまーる提案事業", "ゆいまーる提案事業の募集") and 0 < like[0].weight <= 1
    where, what = labels.evidence(like[0])
    assert where == "よく似た分類済みの施策" and like[0].text in what and "類似度" in what
    # the model's own words stay evidence of their own
    assert any(e.kind == "model" for e in m.evidence)


def test_a_near_labelled_measure_of_the_chosen_pillar_is_a_precedent_not_no_evidence(outline10, rows) -> None:  # type: ignore[no-untyped-def]
    """An item no word of the outline or a rule supports, nearly the same as a labelled measure the
    model carries of the pillar it is put under, shows that measure as its evidence (and is flagged
    only by its confidence); one near no labelled measure stays 根拠なし and flagged. The model carries
    its measures for this even where the vote is off."""
    more = [*rows, Labelled("さぽさぽ便の運行", 6, (6,), "g90", "train"), Labelled("さぽさぽ便の運行", 6, (6,), "g91", "train")]
    model = _fit(more, outline10, 10.0, "balanced", 0.0, 0.0, precedents=True)
    assert model.neighbours is not None and model.neighbours.weight == 0
    model.review_below = 0.0  # flags by support alone
    bare = Matcher(outline10, model=None).match_texts(["さぽさぽ便の運行", "かがやきネット"])
    assert all(m.no_evidence for m in bare)  # no word of the outline or a rule: the case in point
    near, far = Matcher(outline10, model=model).match_texts(["さぽさぽ便の運行", "かがやきネット"])
    assert near.pillar == 6 and not near.no_evidence and not near.needs_review
    assert near.evidence[0].kind == "measure" and near.evidence[0].text == "さぽさぽ便の運行"
    assert near.evidence[0].weight == pytest.approx(1.0, abs=0.01)
    assert labels.evidence(near.evidence[0])[0] == "前例となる分類済みの施策"  # its only support, so named
    # only a measure of the chosen pillar is a precedent
    matcher = Matcher(outline10, model=model)
    prediction = model.predict("さぽさぽ便の運行")
    assert matcher._precedent(prediction, 6) is not None and matcher._precedent(prediction, 3) is None
    assert far.no_evidence and far.needs_review and far.evidence[0].kind == "none"
    # precedent_min 1 turns it off: the same item is 根拠なし again
    from pipeline.settings import MatchSettings

    off = Matcher(outline10, settings=MatchSettings(precedent_min=1.0), model=model).match_text("さぽさぽ便の運行")
    assert off.no_evidence and off.needs_review


def test_train_counts_a_precedent_as_support_when_it_chooses_the_review_threshold() -> None:
    """plandraft train flags as the matcher does: a case whose chosen pillar has a precedent is
    supported, so only its confidence can flag it."""
    from pipeline.match.trainer import _Case

    row = Labelled("さぽさぽ便の運行", 6, (6,), "g", "train")
    share = {n: 0.1 for n in range(1, 11)}
    points = {n: 0.0 for n in range(1, 11)}
    prob = {n: (0.55 if n == 6 else 0.05) for n in range(1, 11)}
    bare, near = _Case(row, share, points, prob), _Case(row, share, points, prob, precedented=frozenset({6}))
    elsewhere = _Case(row, share, points, prob, precedented=frozenset({3}))
    ranking = near.combined(1.0)
    assert ranking[0][0] == 6
    assert bare.flagged(ranking, 0.0) and elsewhere.flagged(ranking, 0.0)  # no support for pillar 6
    assert not near.flagged(ranking, 0.0) and near.flagged(ranking, 0.99)  # then its confidence decides
    # a learned word of the chosen pillar (trainer.learned_words) is support too, of another pillar not
    worded, other = _Case(row, share, points, prob, learned=frozenset({6})), _Case(row, share, points, prob, learned=frozenset({3}))
    assert not worded.flagged(ranking, 0.0) and worded.flagged(ranking, 0.99) and other.flagged(ranking, 0.0)


@pytest.mark.parametrize(("text", "said"), [
    ('{"format": "plandraft-text-model/2", "classes": [1, 2]', "JSON の途中で切れているか"),  # cut short
    ('{"format": "plandraft-text-model/2", "classes": [1, 2]}', "「features」の部分がありません"),
    ('{"format": "plandraft-text-model/2", "classes": "一二", "features": {}}', "中身が壊れているか"),
    ('{"format": "other/1"}', "plandraft-text-model/3 のファイルではありません"),
])
def test_a_file_that_is_not_a_model_says_why_in_japanese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                                                         said: str) -> None:
    monkeypatch.setenv("PLANDRAFT_LANG", "ja")
    path = tmp_path / "モデル.json"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as bad:
        load_model(path)
    assert said in str(bad.value) and "Error" not in str(bad.value) and "'" not in str(bad.value)



def test_a_file_that_is_not_a_model_keeps_pythons_wording_in_english(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"format": "plandraft-text-model/2", "classes": [1, 2]', "utf-8")
    with pytest.raises(InputError) as bad:
        load_model(path)
    assert "not a plandraft model (Expecting" in str(bad.value)


def test_a_precedent_is_one_rule_for_the_matcher_and_train() -> None:
    from pipeline.match.model import is_precedent

    assert is_precedent(0.8, 0.8) and is_precedent(0.7996, 0.8)  # as stored, to 3 places
    assert not is_precedent(0.79, 0.8)
    assert not is_precedent(1.0, 1.0)  # 1 turns precedents off, though a measure is 1.0 like itself


def test_a_heading_that_is_a_pillars_title_is_not_outvoted_by_the_model(outline10, rows) -> None:  # type: ignore[no-untyped-def]
    """The model, sure that さぽさぽ便 is pillar 6's, does not move an item a planner put under pillar 1's
    title; a coding rule that clearly says otherwise still does."""
    from pipeline.model import Item, Source

    more = [*rows, *(Labelled(f"さぽさぽ便{k}", 6, (6,), f"h{k}", "train") for k in range(6))]
    model = _fit(more, outline10, 10.0, "balanced", 0.0, 0.0, precedents=True)
    model.weight = 12.0
    matcher = Matcher(outline10, model=model)

    def item(name: str, measure: str = "") -> Item:
        return Item("i", "", measure, name, "", (), None, (), Source("x"))

    assert model.predict("さぽさぽ便の運行").probabilities[6] > 0.5
    assert matcher.match_item(item("さぽさぽ便の運行")).pillar == 6
    assert matcher.match_item(item("さぽさぽ便の運行", "(1) 市民の協働に対する意識の醸成")).pillar == 1
    assert matcher.match_item(item("職員研修の実施", "(1) 市民の協働に対する意識の醸成")).pillar == 2


def test_a_word_the_labelled_measures_use_under_one_pillar_is_evidence_not_no_evidence(outline10, rows) -> None:  # type: ignore[no-untyped-def]
    """An item no word of the outline or a rule supports, holding a word that most labelled measures
    with it have under the chosen pillar (運行: 3 of 4 under pillar 6), shows that word as its evidence
    and is flagged only by its confidence; before, it was 根拠なし and always flagged (0.15 of the right
    answers on real measures, out of fold)."""
    from pipeline.match.trainer import learned_support, learned_words

    more = [*rows, *(Labelled(t, 6, (6,), f"u{k}", "train") for k, t in enumerate(
        ("さぽさぽ便の運行", "ふれあい号の運行", "乗合タクシーの運行"))),
        Labelled("巡回バスの運行", 3, (3,), "u9", "train"), Labelled("巡回バスの運行", 0, (0,), "u8", "train", kind="not_measure")]
    table = learned_words(more)
    assert table["運行"] == (6, 3, 4)  # (the project that is no measure does not count)
    # a word of one municipality's measures only (its own name or brand) is no learned word, however
    # many of them use it under one pillar
    own = [*more, *(Labelled(f"ムトス{t}", 1, (1,), "飯田市", "train") for t in ("の集い", "賞の表彰", "まちづくり講座"))]
    assert "ムトス" not in learned_words(own) and learned_words(own)["運行"] == (6, 3, 4)
    assert "ムトス" in learned_words([*own, Labelled("ムトスの集い", 1, (1,), "他市", "train")])
    assert learned_support(table, "ゆうあい号の運行") == frozenset({6})
    model = _fit(more, outline10, 10.0, "balanced", 0.0, 0.0)
    model.review_below = 0.0  # flags by support alone
    assert Matcher(outline10, model=model).match_text("ゆうあい号の運行").no_evidence  # no learned words yet
    model.learned = table
    m = Matcher(outline10, model=model).match_text("ゆうあい号の運行")
    assert m.pillar == 6 and not m.no_evidence and not m.needs_review
    assert m.evidence[0].kind == "learned" and m.evidence[0].text == "運行" and m.evidence[0].weight == 0.75
    where, what = labels.evidence(m.evidence[0])
    assert where == "分類済みの施策に多い語" and "4件中3件" in what
    # saved and read back with the model; a word of another pillar than the chosen one is no support
    again = TextModel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.learned == table
    for damaged in ([["運行", 6, 3, 4]], {"運行": [6, 3]}, {"運行": "6"}):  # one clear line, never a traceback
        with pytest.raises(ValueError):
            TextModel.from_json({**json.loads(json.dumps(model.to_json())), "learned": damaged})
    assert Matcher(outline10, model=model)._learned_word(model.predict("ゆうあい号の運行"), 3) is None
