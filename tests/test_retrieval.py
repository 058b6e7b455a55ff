"""Retrieval arithmetic: reciprocal rank fusion and the cap on passages per article."""

from __future__ import annotations

import pytest

from qa.answering.retrieval import (
    RRF_K,
    _depth_past_copies,
    cap_per_article,
    copies_of_read_stories,
    fuse_rankings,
)

# --- reciprocal rank fusion ----------------------------------------------------------


def test_rrf_constant_is_sixty() -> None:
    assert RRF_K == 60


def test_fuse_rankings_sums_reciprocal_ranks() -> None:
    fused = dict(fuse_rankings([[10, 20, 30], [30, 10]]))
    assert fused[10] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[20] == pytest.approx(1 / 62)
    assert fused[30] == pytest.approx(1 / 63 + 1 / 61)


def test_fuse_rankings_orders_best_first() -> None:
    assert [item for item, _ in fuse_rankings([[10, 20, 30], [30, 10]])] == [10, 30, 20]


def test_fuse_rankings_breaks_ties_by_id() -> None:
    fused = fuse_rankings([[9, 4], [4, 9], [7]])
    assert [item for item, _ in fused] == [4, 9, 7]
    assert fused[0][1] == fused[1][1]


def test_fuse_rankings_uses_k() -> None:
    fused = dict(fuse_rankings([[1, 2]], k=0))
    assert fused == {1: 1.0, 2: 0.5}


def test_fuse_rankings_weights_each_ranking() -> None:
    fused = fuse_rankings([[1, 2], [2, 1]], weights=[1.0, 3.0])
    assert [item for item, _ in fused] == [2, 1]
    assert dict(fused)[2] == pytest.approx(1 / 62 + 3 / 61)
    assert dict(fused)[1] == pytest.approx(1 / 61 + 3 / 62)


def test_fuse_rankings_rejects_a_weight_count_that_does_not_match() -> None:
    with pytest.raises(ValueError):
        fuse_rankings([[1], [2]], weights=[1.0])


def test_fuse_rankings_of_nothing_is_empty() -> None:
    assert fuse_rankings([]) == []
    assert fuse_rankings([[], []]) == []


# --- cap per article -----------------------------------------------------------------


def test_cap_per_article_respects_the_cap() -> None:
    ranked = [(1, "a"), (2, "a"), (3, "a"), (4, "b"), (5, "c"), (6, "a")]
    assert cap_per_article(ranked, k=3, cap=2) == [1, 2, 4]


def test_cap_per_article_stops_at_k() -> None:
    ranked = [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    assert cap_per_article(ranked, k=2, cap=1) == [1, 2]


def test_cap_per_article_fills_up_with_passed_over_ids_in_order() -> None:
    ranked = [(1, "a"), (2, "a"), (3, "a"), (4, "b")]
    assert cap_per_article(ranked, k=4, cap=1) == [1, 4, 2, 3]
    assert cap_per_article(ranked, k=3, cap=1) == [1, 4, 2]


def test_cap_per_article_returns_all_when_fewer_than_k() -> None:
    assert cap_per_article([(1, "a"), (2, "a")], k=5, cap=1) == [1, 2]
    assert cap_per_article([], k=5, cap=1) == []


def test_copies_of_a_read_story_push_no_other_passage_down() -> None:
    stories = {"a1": "s", "a2": "s"}
    article_of = {1: "a1", 2: "a2", 3: "b", 4: "a1"}
    assert copies_of_read_stories([1, 2, 3, 4], article_of, stories) == {2}  # a1 met first
    assert copies_of_read_stories([1, 2, 3], article_of, {}) == set()
    fused = dict(fuse_rankings([[1, 2, 3]], placeless={2}))
    assert fused[3] == pytest.approx(1 / 62)  # second, as without the copy
    assert fused[2] == pytest.approx(1 / 61)  # the copy keeps the place it stands at
    assert dict(fuse_rankings([[1, 2, 3]]))[3] == pytest.approx(1 / 63)


def test_copies_of_a_story_deepen_the_candidate_search() -> None:
    """A story run by three outlets takes three candidates a passage: the search goes as
    much deeper as copies took places (at most four times), so other stories still reach
    the passages read (bench/syndication.py)."""
    stories = {"a1": "s", "a2": "s", "a3": "s"}

    def depth(ranked: list[tuple[int, str]], stories: dict[str, str]) -> int:
        copies = copies_of_read_stories([r for r, _ in ranked], dict(ranked), stories)
        return _depth_past_copies(len(ranked), len(copies), 40)

    ranked = [(1, "a1"), (2, "a2"), (3, "a3"), (4, "b"), (5, "a1"), (6, "a2")]
    assert depth(ranked, stories) == 80  # 3 of 6 are copies of a story read in a1
    assert depth([(1, "a1"), (2, "b"), (3, "a1")], stories) == 40  # no copy
    assert depth(ranked, {}) == 40  # no stories at all
    crowded = [(n, "a2" if n else "a1") for n in range(30)]
    assert depth(crowded, stories) == 160  # at most four times deeper


def test_keyword_search_keeps_the_rarest_terms() -> None:
    from qa.store.keyword import fts_query, keyword_terms, select_terms

    frequencies = {"harbour": 40, "bridg": 900, "cost": 5001, "lukashenko": 3, "year": 60_000}
    terms = ["harbour", "bridge", "cost", "lukashenko", "year"]
    assert select_terms(terms, frequencies, 100_000) == ["harbour", "bridge", "lukashenko"]  # cost, year > 5%
    assert select_terms(["year", "cost"], frequencies, 100_000) == ["cost"]  # nothing rare: the rarest
    many = [f"t{i}" for i in range(10)]
    assert len(select_terms(many, {}, 1000)) == 6
    question = "How much did the harbour bridge cost?"
    assert keyword_terms(question) == ["harbour", "bridge", "cost"]
    assert keyword_terms(question, frequencies, 100_000) == ["harbour", "bridge"]
    assert fts_query(keyword_terms(question)) == '"harbour" OR "bridge" OR "cost"'
    assert fts_query([]) is None
    # a name the question asks about stays, up to a quarter of the chunks, where nothing else
    # narrows the search ("Who wrote On the Origin of Species?" is no search for "wrote")
    common = {"wrote": 40, "origin": 9_000, "speci": 20_000, "book": 9_000}
    assert select_terms(["wrote", "origin", "species"], common, 100_000, {"origin", "species"}) == [
        "wrote",
        "origin",
        "species",
    ]
    assert select_terms(["wrote", "book"], common, 100_000, {"origin"}) == ["wrote"]  # "book": no name
    # with two rarer terms, a common name adds nothing ("Newcastle" in the Newcastle article)
    settled = {"record": 4_000, "settlement": 2_000, "newcastl": 5_300}
    assert select_terms(["recorded", "settlement", "newcastle"], settled, 100_000, {"newcastle"}) == [
        "recorded",
        "settlement",
    ]
    assert keyword_terms("Who wrote On the Origin of Species?", common, 100_000) == [
        "wrote",
        "origin",
        "species",
    ]
    assert keyword_terms("Who wrote the origin book?", common, 100_000) == ["wrote"]
