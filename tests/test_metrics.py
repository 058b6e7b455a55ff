"""Scoring: SQuAD normalisation, EM, token F1, containment, ranks, percentiles, and ALCE-style
citation recall and precision on hand-made answers."""

from __future__ import annotations

import pytest
from factories import make_hit

from qa.answering.citations import citation_for
from qa.eval.metrics import (
    citation_scores,
    contains_answer,
    exact_match,
    first_rank,
    hit_at,
    percentile,
    reciprocal_rank,
    token_f1,
)
from qa.text import normalize_answer
from qa.types import Answer

DEAL = (
    "Alexander Lukashenko brokered the deal with Prigozhin on Saturday. "
    "The Wagner convoy turned back before reaching Moscow."
)
FRUIT = "Bananas are grown widely in Ecuador. Exports rose sharply last year."


def sentence_span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


# --- normalisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Denver BRONCOS", "denver broncos"),
        ("Paris, France.", "paris france"),
        ("“Hello,” she said", "hello she said"),
        ("Don’t stop", "dont stop"),
        ("Don't stop", "dont stop"),
        ("1990 – 1995", "1990 1995"),
        ("Paris — the capital", "paris capital"),
        ("a cat and an owl", "cat and owl"),
        ("  spaced \t out\nwords  ", "spaced out words"),
    ],
)
def test_normalize_answer_follows_squad(text: str, expected: str) -> None:
    assert normalize_answer(text) == expected


@pytest.mark.parametrize("word", ["theatre", "another", "anthem", "abandon", "thesis"])
def test_normalize_answer_removes_articles_only_as_whole_words(word: str) -> None:
    assert normalize_answer(f"The {word}") == word


def test_unspaced_dashes_separate_words() -> None:
    assert normalize_answer("Lukashenko—the Belarusian leader—brokered it") == (
        "lukashenko belarusian leader brokered it"
    )
    assert normalize_answer("1990–1995") == "1990 1995"
    assert contains_answer("Lukashenko—the Belarusian leader—brokered the deal", ["Lukashenko"]) == 1.0


# --- exact match and F1 --------------------------------------------------------------


def test_exact_match_ignores_case_punctuation_and_articles() -> None:
    assert exact_match("the Denver Broncos!", ["Denver Broncos"]) == 1.0


def test_exact_match_is_zero_for_a_longer_prediction() -> None:
    assert exact_match("Denver Broncos won", ["Denver Broncos"]) == 0.0


def test_exact_match_takes_any_gold() -> None:
    assert exact_match("Broncos", ["Denver Broncos", "Broncos"]) == 1.0
    assert exact_match("Broncos", []) == 0.0


def test_token_f1_of_a_partial_overlap() -> None:
    # prediction tokens: cat sat on mat (4); gold: cat sat (2); overlap 2 -> P=0.5, R=1
    assert token_f1("The cat sat on the mat", ["cat sat"]) == pytest.approx(2 / 3)


def test_token_f1_counts_repeated_tokens_once_per_occurrence() -> None:
    # prediction: paris paris (2); gold: paris (1); overlap 1 -> P=0.5, R=1
    assert token_f1("Paris Paris", ["Paris"]) == pytest.approx(2 / 3)


def test_token_f1_of_disjoint_answers_is_zero() -> None:
    assert token_f1("Lisbon", ["Paris"]) == 0.0


def test_token_f1_with_empty_strings() -> None:
    assert token_f1("", [""]) == 1.0
    assert token_f1("", ["Paris"]) == 0.0
    assert token_f1("Paris", [""]) == 0.0
    assert token_f1("the", ["a"]) == 1.0  # both normalise to nothing


def test_token_f1_takes_the_best_gold() -> None:
    assert token_f1("denver broncos", ["broncos", "carolina panthers"]) == pytest.approx(2 / 3)
    assert token_f1("denver broncos", ["broncos", "Denver Broncos"]) == 1.0


# --- containment ---------------------------------------------------------------------


def test_contains_answer_matches_whole_normalised_words() -> None:
    assert contains_answer("the denver broncos won", ["Denver Broncos"]) == 1.0


def test_contains_answer_reads_a_currency_sign_as_a_word_of_its_own() -> None:
    assert contains_answer("The balance was £9,400.", ["9,400"]) == 1.0
    assert contains_answer("The balance was $9,400.", ["9,400"]) == 1.0
    assert contains_answer("It cost £46 million.", ["£46 million"]) == 1.0
    assert contains_answer("It cost £469,400.", ["9,400"]) == 0.0


def test_contains_answer_does_not_match_inside_a_number() -> None:
    assert contains_answer("It opened in 1972.", ["1"]) == 0.0


def test_contains_answer_does_not_match_inside_a_word() -> None:
    assert contains_answer("The Broncoses won", ["Broncos"]) == 0.0


def test_contains_answer_ignores_golds_that_normalise_to_nothing() -> None:
    assert contains_answer("the answer is here", ["", "the"]) == 0.0


# --- ranks ---------------------------------------------------------------------------


def test_first_rank_finds_the_first_evidence_hit() -> None:
    hits = [make_hit("fruit", FRUIT, 1), make_hit("deal", DEAL, 2)]
    assert first_rank(hits, ["deal"]) == 2


def test_first_rank_with_golds_needs_the_answer_in_the_passage() -> None:
    hits = [make_hit("deal", FRUIT, 1), make_hit("deal", DEAL, 2)]  # same article, two passages
    assert first_rank(hits, ["deal"]) == 1
    assert first_rank(hits, ["deal"], ["Moscow"]) == 2
    assert first_rank(hits, ["deal"], ["Paris"]) is None


def test_first_rank_is_none_without_evidence_hits() -> None:
    assert first_rank([make_hit("fruit", FRUIT)], ["deal"]) is None
    assert first_rank([], ["deal"]) is None


def test_hit_at_counts_ranks_up_to_k() -> None:
    assert hit_at(1, 1) == 1.0
    assert hit_at(5, 5) == 1.0
    assert hit_at(6, 5) == 0.0
    assert hit_at(None, 10) == 0.0


def test_reciprocal_rank_is_cut_at_k() -> None:
    assert reciprocal_rank(1) == 1.0
    assert reciprocal_rank(4) == 0.25
    assert reciprocal_rank(10) == pytest.approx(0.1)
    assert reciprocal_rank(11) == 0.0
    assert reciprocal_rank(3, k=2) == 0.0
    assert reciprocal_rank(None) == 0.0


# --- percentiles ---------------------------------------------------------------------


def test_percentile_interpolates_linearly() -> None:
    assert percentile([4, 1, 3, 2], 50) == 2.5  # unsorted input
    assert percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)
    assert percentile([10, 20, 30, 40, 50], 0) == 10
    assert percentile([10, 20, 30, 40, 50], 100) == 50


def test_percentile_of_one_or_no_values() -> None:
    assert percentile([7.5], 95) == 7.5
    assert percentile([], 50) == 0.0


# --- citation recall and precision ---------------------------------------------------


def test_a_statement_supported_by_its_one_exact_quote_scores_one_one() -> None:
    hit = make_hit("deal", DEAL)
    start, end = sentence_span(DEAL, "Alexander Lukashenko brokered the deal with Prigozhin on Saturday.")
    answer = Answer(
        question="Who brokered the deal?",
        text="Lukashenko brokered the deal with Prigozhin [1].",
        citations=(citation_for(1, hit, start, end),),
        hits=(hit,),
    )
    assert citation_scores(answer) == (1.0, 1.0)


def test_a_statement_citing_an_irrelevant_quote_scores_zero_zero() -> None:
    hit = make_hit("fruit", FRUIT)
    start, end = sentence_span(FRUIT, "Bananas are grown widely in Ecuador.")
    answer = Answer(
        question="Who brokered the deal?",
        text="Lukashenko brokered the deal with Prigozhin [1].",
        citations=(citation_for(1, hit, start, end),),
        hits=(hit,),
    )
    assert citation_scores(answer) == (0.0, 0.0)


def test_an_unneeded_irrelevant_second_citation_halves_precision() -> None:
    deal, fruit = make_hit("deal", DEAL, 1), make_hit("fruit", FRUIT, 2)
    good = sentence_span(DEAL, "Alexander Lukashenko brokered the deal with Prigozhin on Saturday.")
    bad = sentence_span(FRUIT, "Bananas are grown widely in Ecuador.")
    answer = Answer(
        question="Who brokered the deal?",
        text="Lukashenko brokered the deal with Prigozhin [1][2].",
        citations=(citation_for(1, deal, *good), citation_for(2, fruit, *bad)),
        hits=(deal, fruit),
    )
    assert citation_scores(answer) == (1.0, 0.5)


def test_two_quotes_needed_together_are_both_relevant() -> None:
    # each quote holds half of the claim's six content terms; together they hold all
    text = "Lukashenko welcomed Putin. The deal with Prigozhin was signed at noon."
    hit = make_hit("talks", text)
    first = sentence_span(text, "Lukashenko welcomed Putin.")
    second = sentence_span(text, "The deal with Prigozhin was signed at noon.")
    answer = Answer(
        question="What happened?",
        text="Lukashenko welcomed Putin and signed the deal with Prigozhin [1][2].",
        citations=(citation_for(1, hit, *first), citation_for(2, hit, *second)),
        hits=(hit,),
    )
    assert citation_scores(answer) == (1.0, 1.0)


def test_recall_is_the_share_of_supported_statements() -> None:
    hit = make_hit("deal", DEAL)
    start, end = sentence_span(DEAL, "Alexander Lukashenko brokered the deal with Prigozhin on Saturday.")
    answer = Answer(
        question="What happened?",
        text="Lukashenko brokered the deal with Prigozhin [1]. Bananas grow in Ecuador.",
        citations=(citation_for(1, hit, start, end),),
        hits=(hit,),
    )
    assert citation_scores(answer) == (0.5, 1.0)


def test_an_abstained_answer_has_no_citation_scores() -> None:
    answer = Answer(question="Who won?", text="The articles don't say.", abstained=True)
    assert citation_scores(answer) is None


def test_an_empty_answer_has_no_citation_scores() -> None:
    assert citation_scores(Answer(question="Who won?", text="")) is None
