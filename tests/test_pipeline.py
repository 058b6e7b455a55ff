"""Answers from Python (`qa.answer`, `QA`): grounded, cited, verifiable, or an abstention."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from qa import Answer, answer, stream_answer
from qa.answering.chat import plain_question
from qa.answering.citations import answer_problems, parse_markers
from qa.pipeline import QA

ROOT = Path(__file__).resolve().parent.parent


def test_answer_from_python_cites_the_supporting_sentence(built_index_dir: Path) -> None:
    result = answer("Who led the negotiations with Prigozhin?", index_dir=built_index_dir)
    assert isinstance(result, Answer) and not result.abstained
    assert "Lukashenko" in result.text
    assert parse_markers(result.text) and answer_problems(result) == []
    quote = result.citations[0]
    assert "Lukashenko" in quote.quote and quote.source == "Blick"
    assert quote.title == "Putin refused direct contact with Prigozhin"


def test_stream_answer_streams_then_gives_the_answer(built_index_dir: Path) -> None:
    events = list(stream_answer("How many steel cables were replaced?", index_dir=built_index_dir))
    assert [e.kind for e in events[:-1]] and all(e.kind == "delta" for e in events[:-1])
    final = events[-1].answer
    assert events[-1].kind == "answer" and final is not None
    assert "".join(e.text for e in events[:-1]) == final.text
    assert "212 steel cables" in final.text and answer_problems(final) == []


def test_questions_the_articles_cannot_answer_are_refused(seed_qa: QA) -> None:
    for question in ("Who won the 2022 FIFA World Cup?", "How long should I bake sourdough bread?"):
        result = seed_qa.answer(question)
        assert result.abstained and result.citations == ()
        assert result.text.startswith("The articles don't say")


def test_number_questions_need_a_number(seed_qa: QA) -> None:
    result = seed_qa.answer("How many Wagner fighters marched on Moscow?")
    assert result.abstained


def test_a_request_around_a_question_is_read_as_the_question(seed_qa: QA) -> None:
    plain = seed_qa.answer("When was Prigozhin's march on Moscow announced?")
    wrapped = seed_qa.answer("Could you tell me when Prigozhin's march on Moscow was announced, by the way?")
    # read as the question itself, shown as searched for, answered as the question is
    assert wrapped.question.startswith("Could you tell me")
    assert wrapped.standalone_question == "When was Prigozhin's march on Moscow announced?"
    assert wrapped.text == plain.text and not plain.abstained
    # a clause it cannot put back in question order is read with its request, as asked
    asked = "Can you tell me when Prigozhin announced his march, by the way?"
    assert plain_question(asked) == "Can you tell me when Prigozhin announced his march?"


def test_follow_up_is_rewritten_with_the_conversation(seed_qa: QA) -> None:
    history = [
        {"role": "user", "content": "Who led the negotiations with Prigozhin?"},
        {"role": "assistant", "content": "These negotiations were led by Alexander Lukashenko. [1]"},
    ]
    result = seed_qa.answer("When did he announce his march?", history=history)
    assert result.standalone_question is not None and "Prigozhin" in result.standalone_question
    assert "June 23" in result.text


def test_filters_limit_the_answer_to_matching_articles(seed_qa: QA) -> None:
    from qa.types import Filters

    result = seed_qa.answer("What happened on Tuesday?", filters=Filters(sources=("Example Wire",)))
    assert result.hits and {h.article.source for h in result.hits} == {"Example Wire"}


def test_answers_stay_short_and_every_marker_resolves(seed_qa: QA) -> None:
    """Every [n] of every answer resolves to citations[n-1] with a verbatim quote: the hand
    written eval questions plus questions made of random words of the articles."""
    questions = [
        json.loads(line)["question"] for line in (ROOT / "eval" / "seeds.jsonl").read_text().splitlines()
    ]
    rng = random.Random(3)
    words = " ".join(a.text for a in seed_qa.index.articles()).split()
    questions += [" ".join(rng.sample(words, rng.randint(2, 9))) + "?" for _ in range(60)]
    for question in questions:
        result = seed_qa.answer(question)
        assert answer_problems(result) == [], question
        assert len(result.citations) <= 2
        for citation in result.citations:
            article = next(h.article for h in result.hits if h.article.id == citation.article_id)
            assert article.text[citation.start : citation.end] == citation.quote


def test_empty_index_says_so(tmp_path: Path) -> None:
    from qa.index import Index

    with Index.open(tmp_path / "empty") as index:
        result = QA(index).answer("Anything?")
    assert result.abstained and "No articles are indexed" in result.text


def test_missing_default_index_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.errors import IndexNotFoundError

    with pytest.raises(IndexNotFoundError, match="qa index"):
        answer("Anything?", index_dir=tmp_path / "nowhere")


def test_footnote_numbers_in_article_text_do_not_become_markers(tmp_path: Path) -> None:
    from qa.index import Index

    story = tmp_path / "wiki.txt"
    story.write_text(
        "Bridge works\nEngineers replaced 212 steel cables on the bridge in 2021.[2] The deck was resurfaced.[3]"
    )
    with Index.open(tmp_path / "index") as index:
        index.add([story])
        result = QA(index).answer("How many steel cables did engineers replace?")
    assert "212 steel cables" in result.text and "[2]" not in result.text
    assert answer_problems(result) == []
    assert result.citations[0].quote.endswith("in 2021.[2]")  # the quote stays verbatim


@pytest.mark.parametrize("question", ["", "   ", "\n\t "])
def test_a_blank_question_is_refused_as_every_other_face_refuses_it(seed_qa, question: str) -> None:  # type: ignore[no-untyped-def]
    from qa.errors import QuestionError

    with pytest.raises(QuestionError, match="question"):
        seed_qa.answer(question)


def test_a_description_is_said_by_a_sentence_only_as_its_own() -> None:
    from qa.pipeline import said_by

    mayor = [("the mayor", "mayor")]
    assert said_by(mayor, "The outgoing mayor, Per Holm, conceded defeat.")
    assert not said_by(mayor, "The mayor of Bergen, Kari Lund, congratulated the winners.")
    assert not said_by([], "The outgoing mayor conceded.")
