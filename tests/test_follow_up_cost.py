"""A follow-up whose pronoun may mean more than one thing is read once per rewrite tried, at
most two, and its answer is that reading, not a second one (issue 19's latency bar: a
follow-up costs at most 2x a question; `bench/followups.py` measures it). Where every
rewrite is refused, the question as asked may be read once more
(tests/test_follow_up_readings.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa.answering.chat import Conversation
from qa.answering.retrieval import Retrieval
from qa.pipeline import ALTERNATIVES, QA
from qa.types import Chunk, Citation

HISTORY = [
    {"role": "user", "content": "Who led the negotiations with Prigozhin?"},
    {
        "role": "assistant",
        "content": "**Alexander Lukashenko**: these negotiations were led by Alexander Lukashenko. [1]",
    },
]


@pytest.fixture()
def readings(seed_qa: QA) -> Iterator[list[str]]:
    """The questions the real reader answers while the test runs."""
    answerer = seed_qa.extractive
    real = answerer.answer
    asked: list[str] = []

    def counted(question: str, retrieval: Retrieval, avoid=()):  # type: ignore[no-untyped-def]
        asked.append(question)
        return real(question, retrieval, avoid)

    answerer.answer = counted  # type: ignore[method-assign]
    yield asked
    answerer.answer = real  # type: ignore[method-assign]


def test_an_ambiguous_follow_up_is_read_once_per_rewrite(seed_qa: QA, readings: list[str]) -> None:
    result = seed_qa.answer("When did he announce his march?", history=HISTORY)
    assert 1 <= len(readings) <= ALTERNATIVES == 2
    assert result.standalone_question in readings  # the chosen rewrite's reading is the answer
    assert "Prigozhin" in (result.standalone_question or "") and "June 23" in result.text


def test_the_answer_is_the_one_a_fresh_reading_of_the_rewrite_gives(seed_qa: QA) -> None:
    follow_up = seed_qa.answer("When did he announce his march?", history=HISTORY)
    assert follow_up.standalone_question is not None
    alone = seed_qa.answer(follow_up.standalone_question)
    assert follow_up.short_answer == alone.short_answer
    assert [c.quote for c in follow_up.citations] == [c.quote for c in alone.citations]


def test_a_follow_up_keeps_to_the_conversations_articles(seed_qa: QA) -> None:
    """The articles a conversation was answered from are found by the quotes of its answers
    (an API history is text only), latest first; the answer from the latest is not flagged."""
    history: list[dict[str, str]] = []
    for question in ("Who led the negotiations with Prigozhin?", "When did the Old Harbour Bridge reopen?"):
        answer = seed_qa.answer(question, history)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    kept = seed_qa.conversation_articles(Conversation.from_history(history))
    assert len(kept) == 2 and kept[0].startswith("harbour-bridge") and kept[1].startswith("putin-refused")
    result = seed_qa.answer("How many steel cables were replaced on it?", history)
    assert "Harbour Bridge" in (result.standalone_question or "") and "212" in result.text
    assert result.citations and result.citations[0].article_id == kept[0]
    assert result.notice is None  # from the conversation's own article: nothing to say


def test_a_refusal_does_not_make_the_conversation_forget_its_article(seed_qa: QA) -> None:
    """A refusal quotes nothing: the conversation keeps the article its answers before it
    quoted (the latest two that quote one)."""
    question = "When did the Old Harbour Bridge reopen?"
    answer = seed_qa.answer(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    refused = "The articles don't say. Nothing in them answers this question."
    for asked in ("Who painted it?", "Who paid the painters?"):
        history += [{"role": "user", "content": asked}, {"role": "assistant", "content": refused}]
    kept = seed_qa.conversation_articles(Conversation.from_history(history))
    assert kept == (answer.citations[0].article_id,)


def test_an_answer_from_another_article_says_so(seed_qa: QA) -> None:
    question = "Who led the negotiations with Prigozhin?"
    first = seed_qa.answer(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.text}]
    result = seed_qa.answer("How many steel cables did they replace on the bridge?", history)
    assert result.standalone_question is not None and "212" in result.text
    assert result.citations[0].article_id != first.citations[0].article_id
    assert result.notice == f"From another article: {result.citations[0].title}"


def test_a_follow_up_reads_the_passage_the_last_answer_quoted_first(seed_qa: QA) -> None:
    """Conversations move through an article in order (CoQA): the passage the latest answer
    was quoted from is the first the reader reads of a follow-up, ahead of passages of the
    same article that retrieval ranked higher."""
    question = "Who did Prigozhin want removed from office?"
    first = seed_qa.answer(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.text}]
    conversation = Conversation.from_history(history)
    place = seed_qa.conversation_place(conversation)
    quote = first.citations[0]
    assert place == (quote.article_id, quote.start)
    kept = seed_qa.conversation_articles(conversation)
    follow_up = "What else did he demand?"
    plain = seed_qa.index.retrieve(follow_up, seed_qa.settings.top_k, None).passages
    holding = [n for n, p in enumerate(plain) if _holds(p.hit.chunk, quote)]
    assert holding and holding[0] > 0  # retrieval alone ranks another passage first
    ordered = seed_qa._retrieve(follow_up, None, None, kept, place).passages
    assert _holds(ordered[0].hit.chunk, quote)
    assert seed_qa._retrieve(follow_up, None, None, kept).passages[0].hit.chunk.id == plain[0].hit.chunk.id
    # the quoted passage goes first; none that retrieval found is dropped for it (the one
    # ranked first, pushed third, answered "How many times did the defense sack him?")
    every = tuple(dict.fromkeys(p.hit.article.id for p in plain))  # all of them the conversation's
    ids = [p.hit.chunk.id for p in seed_qa._retrieve(follow_up, None, None, every, place).passages]
    assert len(plain) >= 3 and set(ids) >= {p.hit.chunk.id for p in plain} and len(ids) == len(set(ids))


def _holds(chunk: Chunk, citation: Citation) -> bool:
    return chunk.article_id == citation.article_id and chunk.start <= citation.start < chunk.end


def tunnel_story() -> str:
    """A long article (a passage per phase of the works, five or more passages)."""
    phases = ("the survey", "the digging", "the lining", "the flooding", "the repairs", "the opening")
    paragraphs = [
        f"During {phase}, crews of the Skarvik Tunnel Company worked in shifts under the fjord. "
        f"The engineers said {phase} took longer than planned because the rock was softer than "
        f"the borings had shown, and the company hired more workers from Lofsund and Hamar. "
        f"Residents complained about the noise of {phase} at night, and the council asked the "
        f"company to keep the heaviest machines quiet after ten o'clock. A spokesman said the "
        f"company would pay for double glazing in the nearest houses. The cost of {phase} was "
        f"put at {n + 2} million euros, part of the tunnel's budget of 90 million euros, which "
        f"the regional government and the national road agency share. "
        for n, phase in enumerate(phases)
    ]
    return "Skarvik tunnel opens after six years of works\n\n" + "\n\n".join(p * 2 for p in paragraphs)


def test_a_follow_up_reads_up_to_four_passages_of_its_article_before_others(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A conversation is mostly about its article: up to `KEPT_PASSAGES` (4) of its passages
    that retrieval found are read first, in retrieval's order, then the others in theirs."""
    from conftest import seeds_and_article

    from qa.pipeline import KEPT_PASSAGES, READ_PASSAGES

    with seeds_and_article(tmp_path, "tunnel.txt", tunnel_story()) as qa:
        follow_up = "What did Putin say about the Wagner march and the costs of the works?"
        plain = qa.index.retrieve(follow_up, 8, None).passages
        kept = next(p.hit.article.id for p in plain if p.hit.article.id.startswith("tunnel"))
        own = [p.hit.chunk.id for p in plain if p.hit.article.id == kept]
        assert KEPT_PASSAGES == 4 <= READ_PASSAGES and len(own) >= 4
        assert plain[0].hit.article.id != kept  # retrieval alone ranks another article's first
        ids = [p.hit.chunk.id for p in qa._retrieve(follow_up, 8, None, (kept,)).passages]
        first = own[:KEPT_PASSAGES]
        assert ids[: len(first)] == first
        rest = [p.hit.chunk.id for p in plain if p.hit.chunk.id not in first]
        assert ids[len(first) :] == rest[: len(ids) - len(first)]
