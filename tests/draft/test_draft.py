"""The draft stage: carrying last year's items over, year and status rollover, flags, suggestions,
the 新旧対照表 rows (pure data; the Word side is in test_render.py)."""
from __future__ import annotations

import dataclasses
from functools import lru_cache

import pytest
from conftest import GOLDEN, INPUTS

from pipeline.draft.build import build_draft
from pipeline.draft.changes import diff_spans, short_label, stale_figures
from pipeline.draft.records import (
    CANDIDATE,
    CHECK_PILLAR,
    DELETED,
    DUPLICATE,
    FILL_IN,
    INSERTED,
    REVIEW,
    STALE,
    STUDIED,
    UNPLACED,
    Span,
    plain,
)
from pipeline.ingest import ingest_file
from pipeline.model import Document, Example, FiscalYear, Item, Match, Outline, Pillar, Source
from pipeline.outline import read_outline
from pipeline.settings import DraftSettings
from pipeline.text.similarity import Overlap, overlap


@lru_cache(maxsize=1)
def tsushima() -> tuple[Outline, Document]:
    """The shipped outline and last year's plan (text version)."""
    return read_outline(INPUTS / "outline_計画の構成案.txt"), ingest_file(INPUTS / "tsushima_h21_action_plan.txt",
                                                                     use_cache=False)


def hand_matches(plan: Document) -> list[Match]:
    """Matches of the plan's items from tests/golden/tsushima_matches.tsv (not the matcher's)."""
    lines = [x for x in (GOLDEN / "tsushima_matches.tsv").read_text("utf-8").splitlines() if not x.startswith("#")]
    rows = [x.split("\t") for x in lines[1:]]
    assert len(rows) == len(plan.items)
    out = []
    for item, (name, pillar, runner, confidence, review) in zip(plan.items, rows):
        assert item.name.replace("（", "(").replace("）", ")") == name.replace("（", "(").replace("）", ")")
        ranking = [(int(pillar), 2.0)] + ([(int(runner), 1.5)] if runner else [])
        ranking += [(n, 0.1) for n in range(1, 11) if n not in dict(ranking)]
        out.append(Match(item.id, item.name, int(pillar), 2.0, float(confidence), tuple(ranking),
                         needs_review=review == "yes"))
    return out


@pytest.fixture(scope="module")
def draft():
    outline, plan = tsushima()
    return build_draft(outline, plan, hand_matches(plan))


def _item(n: int, name: str, content: str, tags: tuple[str, ...] = (), policy: str = "施策1 x") -> Item:
    return Item(id=f"t-{n:03d}", policy=policy, measure="", name=name, content=content, departments=("企画課",),
                actor="both", tags=tags, source=Source("plan.txt", table=1, row=n + 1))


def _plan(items: list[Item], year: int = 2009, label: str = "平成21年度") -> Document:
    return Document(path="plan.txt", sha256="0" * 64, title=f"{label} 市民協働推進アクションプラン", city="テスト市",
                    fiscal_year=FiscalYear(label, year), items=tuple(items))


def _outline(*pillars: Pillar) -> Outline:
    return Outline(path="outline.txt", title="構成案", pillars=pillars or (Pillar(1, "意識の醸成", "説明。"),
                                                                      Pillar(2, "拠点の活用", "説明。")))


def _match(item: Item, pillar: int, review: bool = False, runner: int = 2) -> Match:
    return Match(item.id, item.name, pillar, 1.0, 0.3 if review else 0.9, ((pillar, 1.0), (runner, 0.8)),
                 needs_review=review)


# --- carrying items over ------------------------------------------------------------------------

def test_every_item_of_last_years_plan_appears_exactly_once_under_its_matched_pillar(draft):
    outline, plan = tsushima()
    matches = {m.item_id: m.pillar for m in hand_matches(plan)}
    placed = [(p.number, r.item_id) for p in draft.pillars for r in p.rows if r.kind == "carried"]
    assert sorted(i for _, i in placed) == sorted(i.id for i in plan.items)
    assert all(matches[item_id] == pillar for pillar, item_id in placed)
    assert [p.number for p in draft.pillars] == [p.number for p in outline.pillars]


def test_year_defaults_to_the_plans_year_plus_one_and_is_rolled_over_in_the_text(draft):
    assert (draft.year, draft.year_label, draft.from_label) == (2010, "平成22年度", "平成21年度")
    assert draft.title == "平成22年度 市民協働(共働)推進アクションプラン"
    rows = {r.name: r for r in draft.rows()}
    assert "22年度アクションプランの策定" in rows
    assert plain(rows["22年度アクションプランの策定"].content).startswith("22年度における")
    texts = [r.name + plain(r.content) for r in draft.rows()]
    assert not any("平成21年度" in t or "21年度" in t for t in texts)


@pytest.mark.parametrize(
    ("year", "label", "text", "to_year", "expected"),
    [
        (2018, "平成30年度", "平成30年度の事業を行います。", None, "令和元年度の事業を行います。"),
        (2018, "平成30年度", "30年度アクションプラン", None, "令和元年度アクションプラン"),
        (2009, "平成21年度", "2009年度に開始", None, "2010年度に開始"),
        (2009, "平成21年度", "平成20年度から継続", None, "平成20年度から継続"),  # history stays
        (2009, "平成21年度", "平成21年度の計画", 2011, "平成23年度の計画"),
    ],
)
def test_rollover_across_eras_and_western_years(year, label, text, to_year, expected):
    item = _item(1, "事業", text)
    d = build_draft(_outline(), _plan([item], year, label), [_match(item, 1)], year=to_year)
    assert plain(d.rows()[0].content) == expected
    assert "1年度" not in d.year_label or "元年度" in d.year_label


def test_fiscal_2019_is_written_reiwa_gannen_not_1nen():
    item = _item(1, "事業", "内容")
    d = build_draft(_outline(), _plan([item], 2018, "平成30年度"), [_match(item, 1)])
    assert d.year_label == "令和元年度" and d.title.startswith("令和元年度")
    assert plain(d.issued).startswith("令和元年")


def test_last_years_new_items_become_continuing_and_ad_hoc_stays(draft):
    rows = {r.name: r for r in draft.rows()}
    assert plain(rows["協働(共働)事例集の作成"].status) == "継続"  # 新規 last year
    assert plain(rows["自治会、地域で"].content).endswith("（随時）")
    assert plain(rows["協働(共働)に係る経費負担に関するルール"].status) == "継続（再掲）"


def test_stale_figures_and_studied_items_are_flagged_and_marked(draft):
    rows = {r.name: r for r in draft.rows()}
    shared = rows["市民団体に関する情報の共有"]
    assert STALE in {f.kind for f in shared.flags}
    assert Span("現在66団体", REVIEW) in shared.content
    assert STALE in {f.kind for f in rows["広報紙の利用"].flags}
    assert STUDIED in {f.kind for f in rows["里親制度の導入検討"].flags}
    # 検討段階から (from the planning stage on) is not an item under study
    assert STUDIED not in {f.kind for f in rows["広報誌、ホームページ、有線テレビ、各種会議資料等"].flags}
    assert not rows["職員研修の実施"].flags


def test_low_confidence_matches_are_flagged_with_the_runner_up_pillar(draft):
    row = next(r for r in draft.rows() if r.name == "協働窓口担当者の配置")
    flag = next(f for f in row.flags if f.kind == CHECK_PILLAR)
    assert "(8)" in flag.note and "(2)職員の意識改革・スキルアップ" in flag.note


def test_items_named_twice_are_flagged_as_possible_duplicates(draft):
    twins = [r for r in draft.rows() if r.name == "市民活動コミュニティ連絡調整会議"]
    assert len(twins) == 2
    assert all(DUPLICATE in {f.kind for f in r.flags} for r in twins)
    assert twins[1].number in next(f.note for f in twins[0].flags if f.kind == DUPLICATE)


def test_items_without_a_match_go_to_an_unplaced_group():
    a, b = _item(1, "事業A", "内容"), _item(2, "事業B", "内容")
    d = build_draft(_outline(), _plan([a, b]), [_match(a, 1)])
    assert d.pillars[-1].number == 0
    row = d.pillars[-1].rows[0]
    assert row.item_id == b.id and UNPLACED in {f.kind for f in row.flags}


def test_a_plan_without_a_fiscal_year_needs_the_year():
    item = _item(1, "事業", "内容")
    plan = dataclasses.replace(_plan([item]), fiscal_year=None)
    with pytest.raises(ValueError, match="fiscal year"):
        build_draft(_outline(), plan, [_match(item, 1)])
    assert build_draft(_outline(), plan, [_match(item, 1)], year=2010).from_label == "平成21年度"


# --- suggestions --------------------------------------------------------------------------------

def test_other_cities_examples_are_suggested_where_nothing_similar_exists(draft):
    rows = draft.rows()
    cands = [r for r in rows if r.kind == "candidate"]
    assert cands and all(plain(r.status) == CANDIDATE and r.flags[0].kind == CANDIDATE for r in cands)
    names = {r.name for r in cands}
    assert "市民協働出前講座の実施" in names and any("安城市" in r.source for r in cands)
    assert "市民協働事例集の発行" not in names  # we already do 協働(共働)事例集の作成
    per_pillar = {p.number: sum(r.kind == "candidate" for r in p.rows) for p in draft.pillars}
    assert max(per_pillar.values()) <= DraftSettings().max_candidates_thin


def test_measures_from_other_plans_are_suggested_under_their_matched_pillar():
    ours = _item(1, "職員研修", "職員の研修を行います。")
    theirs = Item("o-001", "", "", "協働ファンドの創設", "市民の寄付による基金をつくります。", ("市民課",), "both", (),
                  Source("other.pdf", page=3, table=2, row=4))
    unsure = dataclasses.replace(theirs, id="o-002", name="何かの事業")
    other = Document("other.pdf", "1" * 64, "安城市計画", "安城市", FiscalYear("平成21年度", 2009), (theirs, unsure))
    d = build_draft(_outline(), _plan([ours]), [_match(ours, 1), _match(theirs, 2), _match(unsure, 2, review=True)],
                    others=[other])
    cands = [r for r in d.pillars[1].rows if r.kind == "candidate"]
    assert [r.name for r in cands] == ["協働ファンドの創設"]
    assert cands[0].source == "安城市平成21年度計画 p.3 表2 行4" and cands[0].departments == ""


@pytest.mark.parametrize(("printed", "suggested"), [
    ("○みやこ町集落支援員設置要綱", "集落支援員設置要綱"),  # a 例規 title's ○ (and the city's name)
    ("(3)市民活動団体の担当部署の設置", "市民活動団体の担当部署の設置"),  # its number in its own list
    ("☆支援金制度による市民活動団体の支援", "支援金制度による市民活動団体の支援"),
    ("【R6年度事業活動報告会】", "事業活動報告会"),
    ("・(1)「出張版市長と語らんまいけ」", "「出張版市長と語らんまいけ」"),  # a proper name's 「」 kept
    ("100人会議", "100人会議"),
    ("平成22年度みやこ町共働事業報告会", "共働事業報告会"),  # the year it was held and its city: not ours
    ("令和3年度実施事業 中間評価", "実施事業 中間評価"),
    ("みやこ町の協働", "みやこ町の協働"),  # (nothing left to suggest without the city)
    ("「みやこ町 協働のあり方に関する基本指針」", "「協働のあり方に関する基本指針」"),  # inside a title's 「」
    ("第三次みやこ町地域コミュニティ基本計画", "地域コミュニティ基本計画"),  # and its edition, not ours
    ("第3次協働推進計画", "第3次協働推進計画"),  # an edition without the city stays
])
def test_another_citys_measure_is_suggested_without_the_mark_or_number_of_its_list(printed: str, suggested: str):
    """As a planner would write it in the new plan; the 出典 column still cites it as printed."""
    ours = _item(1, "職員研修", "職員の研修を行います。")
    theirs = Item("o-001", "", "", printed, "", (), None, (), Source("other.pdf", page=3, table=2, row=4))
    other = Document("other.pdf", "1" * 64, "みやこ町計画", "みやこ町", FiscalYear("令和6年度", 2024), (theirs,))
    d = build_draft(_outline(), _plan([ours]), [_match(ours, 1), _match(theirs, 2)], others=[other])
    assert [r.name for r in d.pillars[1].rows if r.kind == "candidate"] == [suggested]


def test_a_pillar_with_nothing_gets_a_place_to_fill_in():
    item = _item(1, "事業", "内容")
    d = build_draft(_outline(), _plan([item]), [_match(item, 1)])
    row = d.pillars[1].rows[0]
    assert row.kind == "placeholder" and row.flags[0].kind == FILL_IN


def test_thin_pillars_get_more_suggestions_than_full_ones():
    examples = tuple(Example(f"{w}の実施", "安城市") for w in ("花壇づくり", "清掃活動", "防犯パトロール", "子ども食堂"))
    outline = _outline(Pillar(1, "意識", "説明。", examples=examples), Pillar(2, "拠点", "説明。", examples=examples))
    items = [_item(k, f"講座{k}", f"講座{k}を開きます。") for k in range(4)]
    matches = [_match(i, 1) for i in items]
    d = build_draft(outline, _plan(items), matches, settings=DraftSettings(max_candidates=1, max_candidates_thin=3))
    assert [sum(r.kind == "candidate" for r in p.rows) for p in d.pillars] == [1, 3]


def test_settings_are_validated():
    with pytest.raises(ValueError):
        DraftSettings(similar=0)
    with pytest.raises(ValueError):
        DraftSettings(max_candidates=5, max_candidates_thin=2)


# --- the review sheet and the 新旧対照表 -----------------------------------------------------------

def test_every_flag_in_the_body_is_in_the_review_sheet(draft):
    listed = " ".join(r.where for r in draft.review)
    for r in draft.rows():
        if r.flags and r.kind == "carried":
            assert f"{r.number} {r.name}" in listed
    assert [r.number for r in draft.review] == list(range(1, len(draft.review) + 1))
    assert any(r.where == "表紙" for r in draft.review)


def test_the_comparison_lists_every_old_item_in_order_then_the_candidates(draft):
    _, plan = tsushima()
    old = [c for c in draft.changes if c.item_id]
    assert [c.item_id for c in old] == [i.id for i in plan.items]
    changed = next(c for c in old if plain(c.old_name) == "21年度アクションプランの策定")
    assert Span("21", DELETED) in changed.old_name and Span("22", INSERTED) in changed.new_name
    assert plain(changed.change) == "変更"
    same = next(c for c in old if plain(c.old_name) == "職員研修の実施")
    assert plain(same.change) == "変更なし" and all(not s.mark for s in same.new_content)
    new = next(c for c in old if plain(c.old_name) == "協働(共働)事例集の作成")
    assert any("区分 新規→継続" in n for n in new.notes)
    assert [plain(c.change) for c in draft.changes if not c.item_id] == [CANDIDATE] * sum(
        r.kind == "candidate" for r in draft.rows())


def test_dropped_items_are_marked_deleted_in_the_comparison_and_left_out_of_the_draft():
    a, b = _item(1, "事業A", "内容A"), _item(2, "事業B", "内容B")
    d = build_draft(_outline(), _plan([a, b]), [_match(a, 1), _match(b, 1)], drop=[b.id])
    assert [r.item_id for r in d.rows() if r.kind == "carried"] == [a.id]
    gone = d.changes[1]
    assert plain(gone.change) == "削除" and gone.old_name == (Span("事業B", DELETED),) and gone.new_name == ()


# --- helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("ホームページへの掲載を行います。現在66団体掲載(更新)", ["現在66団体"]),
        ("※2ヶ月に1回程度", ["2ヶ月に1回程度"]),
        ("平成21年4月に開催", ["平成21年4月"]),
        ("5月10日に説明会", ["5月10日"]),
        ("参加者120人、相談件数35件", ["120人", "35件"]),
        ("協働についての説明会を開催します。", []),
        ("第2段階の取り組み", []),
    ],
)
def test_stale_figures(text, figures):
    assert [text[a:b] for a, b in stale_figures(text)] == figures


@pytest.mark.parametrize(
    ("old", "new", "left", "right"),
    [
        ("21年度の計画", "22年度の計画", [("21", DELETED)], [("22", INSERTED)]),
        ("同じ文", "同じ文", [], []),
        ("説明会を開催します。", "説明会を随時開催します。", [], [("随時", INSERTED)]),
        ("概要版及び本編", "概要版", [("及び本編", DELETED)], []),
    ],
)
def test_diff_spans_mark_whole_numbers_and_words(old, new, left, right):
    a, b = diff_spans(old, new)
    assert plain(a) == old and plain(b) == new
    assert [(s.text, s.mark) for s in a if s.mark] == left
    assert [(s.text, s.mark) for s in b if s.mark] == right


def test_overlap_weighs_words_every_item_has_down():
    assert overlap("市民協働事例集の発行", "協働(共働)事例集の作成") >= 0.5
    common = Overlap(["市民協働の推進", "市民協働の講座", "市民協働の研修", "事例集の作成"])
    assert common("市民協働の発行", "市民協働の推進") < overlap("市民協働の発行", "市民協働の推進")


@pytest.mark.parametrize(("year", "label"), [(2009, "H21"), (2019, "R1"), (1989, "H1")])
def test_short_label(year, label):
    assert short_label(year) == label
