"""Citation markers: parsing, claims, renumbering, grounding against passages, support, and
the checks that every `[n]` resolves to a verbatim quote."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import make_hit

from qa.answering.citations import (
    Claim,
    answer_problems,
    citation_for,
    ground_claims,
    parse_markers,
    renumber,
    split_claims,
    strip_markers,
    support_score,
)
from qa.types import Answer, Hit

DEAL = (
    "Alexander Lukashenko brokered the deal with Prigozhin on Saturday. "
    "The Wagner convoy turned back before reaching Moscow. "
    "Weather in Minsk was mild."
)
FRUIT = "Bananas are grown widely in Ecuador. Exports rose sharply last year."
BROKERED = "Alexander Lukashenko brokered the deal with Prigozhin on Saturday."
CONVOY = "The Wagner convoy turned back before reaching Moscow."
BANANAS = "Bananas are grown widely in Ecuador."


def quote_of(hit: Hit, sentence: str) -> tuple[int, int]:
    """Offsets of `sentence` in the hit's article."""
    start = hit.article.text.index(sentence)
    return start, start + len(sentence)


def good_answer() -> Answer:
    deal, fruit = make_hit("deal", DEAL, 1), make_hit("fruit", FRUIT, 2)
    return Answer(
        question="What happened?",
        text="Lukashenko brokered the deal [1]. The convoy turned back [2]. Bananas grow in Ecuador [3].",
        citations=(
            citation_for(1, deal, *quote_of(deal, BROKERED)),
            citation_for(2, deal, *quote_of(deal, CONVOY)),
            citation_for(3, fruit, *quote_of(fruit, BANANAS)),
        ),
        hits=(deal, fruit),
    )


# --- markers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talks began [1].", [1]),
        ("The talks began [2, 3].", [2, 3]),
        ("The talks began [2,3].", [2, 3]),
        ("The talks began [2][3].", [2, 3]),
        ("First [1]. Then [3] and [1].", [1, 3, 1]),
        ("No markers here.", []),
        ("Not a marker: [a] or [] or [1000].", []),
    ],
)
def test_parse_markers(text: str, expected: list[int]) -> None:
    assert parse_markers(text) == expected


def test_strip_markers_removes_markers_and_the_space_before_them() -> None:
    assert strip_markers("Paris is big [1]. Lyon too [2, 3][4].") == "Paris is big. Lyon too."


def test_strip_markers_leaves_other_brackets() -> None:
    assert strip_markers("A list [a] stays.") == "A list [a] stays."


# --- claims --------------------------------------------------------------------------


def test_split_claims_keeps_markers_inside_a_sentence() -> None:
    assert split_claims("First claim [1]. Second claim [2][3].") == [
        Claim("First claim.", (1,)),
        Claim("Second claim.", (2, 3)),
    ]


def test_split_claims_gives_a_leading_marker_to_the_sentence_before() -> None:
    assert split_claims("First. [1] Second [2].") == [Claim("First.", (1,)), Claim("Second.", (2,))]


def test_split_claims_of_a_sentence_without_markers() -> None:
    assert split_claims("Nothing cited here.") == [Claim("Nothing cited here.", ())]


def test_split_claims_of_empty_text() -> None:
    assert split_claims("") == []


# --- renumbering ---------------------------------------------------------------------


def test_renumber_numbers_by_first_appearance() -> None:
    deal, fruit = make_hit("deal", DEAL), make_hit("fruit", FRUIT)
    convoy = citation_for(7, deal, *quote_of(deal, CONVOY))
    bananas = citation_for(9, fruit, *quote_of(fruit, BANANAS))
    text, citations = renumber([("Bananas grow.", [bananas]), ("The convoy turned.", [convoy])])
    assert text == "Bananas grow. [1] The convoy turned. [2]"
    assert [(c.number, c.article_id) for c in citations] == [(1, "fruit"), (2, "deal")]


def test_renumber_shares_a_number_for_the_same_quote() -> None:
    deal = make_hit("deal", DEAL)
    convoy = citation_for(0, deal, *quote_of(deal, CONVOY))
    brokered = citation_for(0, deal, *quote_of(deal, BROKERED))
    text, citations = renumber([("A.", [convoy, brokered]), ("B.", [brokered]), ("C.", [convoy, convoy])])
    assert text == "A. [1] [2] B. [2] C. [1]"
    assert [c.quote for c in citations] == [CONVOY, BROKERED]


# --- grounding -----------------------------------------------------------------------


def test_ground_claims_quotes_the_best_supporting_sentence() -> None:
    deal = make_hit("deal", DEAL)
    text, citations, unsupported = ground_claims("Lukashenko brokered the deal with Prigozhin [1].", [deal])
    assert text == "Lukashenko brokered the deal with Prigozhin. [1]"
    assert len(citations) == 1
    assert citations[0].quote == BROKERED
    assert DEAL[citations[0].start : citations[0].end] == BROKERED
    assert citations[0].supported
    assert unsupported == ()


def test_ground_claims_drops_out_of_range_markers() -> None:
    deal = make_hit("deal", DEAL)
    text, citations, _ = ground_claims("Lukashenko brokered the deal [1][5]. Convoy turned back [0].", [deal])
    assert parse_markers(text) == [1]
    assert len(citations) == 1
    assert answer_problems(Answer(question="q", text=text, citations=citations, hits=(deal,))) == []


def test_ground_claims_flags_claims_that_no_cited_passage_supports() -> None:
    deal, fruit = make_hit("deal", DEAL, 1), make_hit("fruit", FRUIT, 2)
    _, citations, unsupported = ground_claims(
        "Lukashenko brokered the deal [1]. The convoy turned back before Moscow [2]. It was sunny.",
        [deal, fruit],
    )
    assert unsupported == ("The convoy turned back before Moscow.", "It was sunny.")
    assert [c.supported for c in citations] == [True, False]


def test_ground_claims_accepts_a_claim_without_content_words() -> None:
    _, _, unsupported = ground_claims("That is all.", [make_hit("deal", DEAL)])
    assert unsupported == ()


# --- support -------------------------------------------------------------------------


def test_support_score_is_the_share_of_claim_terms_the_evidence_holds() -> None:
    assert support_score("Lukashenko brokered the deal", BROKERED) == 1.0
    assert support_score("Lukashenko brokered bananas", BROKERED) == pytest.approx(2 / 3)
    assert support_score("Bananas grow in Ecuador", BROKERED) == 0.0


def test_support_score_matches_stems() -> None:
    assert support_score("Lukashenko brokers deals", BROKERED) == 1.0


def test_support_score_of_a_claim_without_content_words_is_one() -> None:
    assert support_score("It was what it was.", "unrelated") == 1.0


# --- answer checks -------------------------------------------------------------------


def test_a_good_answer_has_no_problems() -> None:
    assert answer_problems(good_answer()) == []


def test_an_answer_without_markers_or_citations_has_no_problems() -> None:
    assert answer_problems(Answer(question="q", text="The articles don't say.", abstained=True)) == []


def test_a_marker_without_a_citation_is_a_problem() -> None:
    answer = good_answer()
    broken = replace(answer, text=answer.text + " More [4].")
    assert answer_problems(broken) == ["marker [4] has no citation"]


def test_a_quote_that_is_not_the_article_text_at_its_offsets_is_a_problem() -> None:
    answer = good_answer()
    moved = replace(answer.citations[1], start=answer.citations[1].start + 1)
    broken = replace(answer, citations=(answer.citations[0], moved, answer.citations[2]))
    problems = answer_problems(broken)
    assert len(problems) == 1
    assert problems[0].startswith("citation 2 quote is not the article's text at")


def test_an_edited_quote_is_a_problem() -> None:
    answer = good_answer()
    edited = replace(answer.citations[0], quote=answer.citations[0].quote.upper())
    broken = replace(answer, citations=(edited, *answer.citations[1:]))
    assert len(answer_problems(broken)) == 1


def test_citations_numbered_out_of_order_are_a_problem() -> None:
    answer = good_answer()
    first, second, third = answer.citations
    broken = replace(answer, citations=(first, replace(second, number=3), replace(third, number=2)))
    assert answer_problems(broken) == ["citation 2 is numbered 3", "citation 3 is numbered 2"]


def test_a_citation_of_an_article_not_among_the_hits_is_a_problem() -> None:
    answer = good_answer()
    broken = replace(answer, hits=answer.hits[:1])
    assert answer_problems(broken) == ["citation 3 cites article 'fruit' not among the hits"]


STREAM_HITS = [
    make_hit("bridge", "The bridge reopened on Friday. Repairs cost 310 million euros."),
    make_hit("ferry", "Ferry crews went on strike on Monday. Talks resume in Bergen."),
]


@pytest.mark.parametrize(
    "reply",
    [
        "The bridge reopened on Friday [1]. Repairs cost 310 million euros [1].",
        "Ferry crews struck on Monday. [2] The talks resume in Bergen [2].\n\nThe bridge reopened on Friday [1].",
        "The bridge [1] reopened on Friday, and ferry talks resume in Bergen [2][1].",
        "The articles don't say.",
        "Repairs cost [9] 310 million euros [1, 2].",
    ],
)
@pytest.mark.parametrize("step", [1, 3, 7])
def test_streamed_claims_add_up_to_the_final_text(reply: str, step: int) -> None:
    from qa.answering.citations import ClaimStreamer, ground_claims

    streamer = ClaimStreamer(STREAM_HITS)
    pieces = [streamer.feed(reply[i : i + step]) for i in range(0, len(reply), step)]
    final, _, _ = ground_claims(reply, STREAM_HITS)
    rest, restart = streamer.finish(final.strip())
    assert not restart and "".join(pieces) + rest == final.strip()
    assert sum(bool(p) for p in pieces) >= 3  # word by word, not all at the end
