"""A chat session's turns: streaming into messages, history for follow-ups, notices, errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

from qa.errors import LLMError
from qa.pipeline import AnswerStream, StreamEvent
from qa.types import Answer, TitleEntry
from ui.session import (
    EXAMPLE_CHARS,
    Conversation,
    answerable_examples,
    chat_turn,
    example_questions,
    model_choice,
)


class ScriptedQA:
    """Stands in for `QA`: replays events and records what `stream` was given."""

    def __init__(self, events: Sequence[StreamEvent], error: Exception | None = None) -> None:
        self.events = events
        self.error = error
        self.calls: list[dict[str, Any]] = []
        self.extractive = SimpleNamespace(name="reader")  # the offline answerer's name

    def stream(self, question: str, **kwargs: Any) -> AnswerStream:
        self.calls.append({"question": question, **kwargs})
        return AnswerStream(self._replay())

    def _replay(self) -> Iterator[StreamEvent]:
        yield from self.events
        if self.error:
            raise self.error


def test_a_turn_streams_then_shows_the_answer_with_links(seed_qa: Any) -> None:
    conversation = Conversation()
    states = [
        ([dict(m) for m in c.display], c.sources_html())
        for c in chat_turn(seed_qa, conversation, "  Who led the negotiations with Prigozhin? ")
    ]
    first_display, first_sources = states[0]
    assert first_display[0] == {"role": "user", "content": "Who led the negotiations with Prigozhin?"}
    assert "qa-streaming" in first_display[1]["content"] and "Ask a question" in first_sources
    final_display, final_sources = states[-1]
    assert 'class="qa-cite"' in final_display[1]["content"] and "Lukashenko" in final_display[1]["content"]
    assert 'id="qa-src-0-1"' in final_sources and "qa-quote" in final_sources
    answer = conversation.answers[0]
    assert answer is not None and not answer.abstained
    assert conversation.messages == [
        {"role": "user", "content": "Who led the negotiations with Prigozhin?"},
        {"role": "assistant", "content": answer.text},
    ]


def test_follow_ups_get_the_conversation_as_history() -> None:
    final = Answer(question="q", text="Lukashenko led them. [1]")
    qa = ScriptedQA([StreamEvent("delta", "Lukashenko led them."), StreamEvent("answer", answer=final)])
    conversation = Conversation()
    list(chat_turn(qa, conversation, "Who led the talks?", model="", k=4))  # type: ignore[arg-type]
    list(chat_turn(qa, conversation, "And when?", model="ollama/llama3.1", k=3))  # type: ignore[arg-type]
    assert qa.calls[0] == {"question": "Who led the talks?", "history": [], "model": "reader", "k": 4}
    assert qa.calls[1]["history"] == [
        {"role": "user", "content": "Who led the talks?"},
        {"role": "assistant", "content": "Lukashenko led them. [1]"},
    ]
    assert qa.calls[1]["model"] == "ollama/llama3.1" and qa.calls[1]["k"] == 3
    assert len(conversation.display) == 4 and len(conversation.answers) == 2


def test_a_fallback_notice_shows_while_streaming_and_after() -> None:
    notice = "The model timed out. This answer was extracted from the articles instead."
    final = Answer(question="q", text="Extracted. [1]", notice=notice)
    events = [
        StreamEvent("delta", "Half an LLM ans"),
        StreamEvent("restart"),
        StreamEvent("notice", notice),
        StreamEvent("delta", "Extracted."),
        StreamEvent("answer", answer=final),
    ]
    conversation = Conversation()
    shown = [c.display[-1]["content"] for c in chat_turn(ScriptedQA(events), conversation, "q")]  # type: ignore[arg-type]
    assert any("Half an LLM ans" in s for s in shown)
    after_restart = [s for s in shown if notice in s]
    assert after_restart and "Half an LLM ans" not in after_restart[0]
    assert 'class="qa-notice"' in shown[-1] and "Extracted." in shown[-1]


def test_an_error_ends_the_turn_with_a_message() -> None:
    qa = ScriptedQA([StreamEvent("delta", "x")], error=LLMError("provider <down>"))
    conversation = Conversation()
    shown = [c.display[-1]["content"] for c in chat_turn(qa, conversation, "q")]  # type: ignore[arg-type]
    assert 'class="qa-error"' in shown[-1] and "provider &lt;down&gt;" in shown[-1]
    assert conversation.messages == [] and conversation.answers == [None]
    crash = ScriptedQA([], error=RuntimeError("boom"))
    shown = [c.display[-1]["content"] for c in chat_turn(crash, conversation, "q")]  # type: ignore[arg-type]
    assert "Answering failed: RuntimeError: boom" in shown[-1]


def test_an_empty_message_is_ignored() -> None:
    qa = ScriptedQA([])
    assert list(chat_turn(qa, Conversation(), "   ")) == []  # type: ignore[arg-type]
    assert qa.calls == []


def test_model_choice() -> None:
    assert model_choice(None, "reader") == model_choice("  ", "reader") == "reader"
    assert model_choice(" gpt-4o-mini ", "reader") == "gpt-4o-mini"


def test_example_questions_cover_the_collection_and_are_answered(seed_qa: Any) -> None:
    titles = seed_qa.index.titles()
    examples = example_questions(titles)
    assert len(examples) == 6 and examples[0] == "Who led the negotiations with Prigozhin?"
    others = {t.title for t in titles if t.title != "Putin refused direct contact with Prigozhin"}
    assert sum(any(title in q for title in others) for q in examples) == 3  # the uploaded ones too
    shown = answerable_examples(seed_qa, titles)  # what the page shows: only answered examples
    assert shown[:3] == examples[:3] and set(shown) <= set(examples)
    for question in shown:
        answer = seed_qa.answer(question)
        assert not answer.abstained and answer.citations, question
    assert example_questions([]) == []


def test_example_questions_are_whole_headlines_never_slugs_or_cut() -> None:
    def entry(n: int, title: str, url: str | None = None, origin: str | None = None) -> TitleEntry:
        return TitleEntry(f"a{n}", title, None, None, url, origin, f"2022-11-0{n}")

    slug = "https://www.cnn.com/2022/11/07/tech/china-covid-iphone-14-shipments-hit-hnk-intl/index.html"
    titles = [
        entry(9, "China covid iphone 14 shipments hit hnk intl", url=slug),  # made from the URL
        entry(8, "ford recall"),  # no capital: no headline
        entry(7, "Harbour pier repairs", origin="news/harbour-pier-repairs.txt"),  # the file's name
        entry(6, "Parliament votes to extend the fishing season in the north by a month"),  # too long
        entry(5, "Ferry strike ends"),
        entry(4, "Putin meets Lukashenko", origin="news/Putin-meets-Lukashenko.txt"),  # named by a person
    ]
    examples = example_questions(titles)
    assert examples == ["What does “Ferry strike ends” report?", "What does “Putin meets Lukashenko” report?"]
    assert all(len(q) <= EXAMPLE_CHARS for q in examples)


def test_old_answers_are_let_go_once_their_sources_are_no_longer_shown() -> None:
    from ui.render import PAST_TURNS_KEPT

    qa = ScriptedQA([StreamEvent("answer", answer=Answer(question="q", text="A. [1]"))])
    conversation = Conversation()
    for n in range(PAST_TURNS_KEPT + 3):
        list(chat_turn(qa, conversation, f"question {n}"))  # type: ignore[arg-type]
    kept = conversation.answers[-(PAST_TURNS_KEPT + 1) :]
    assert all(a is not None for a in kept)
    assert conversation.answers[:2] == [None, None]
    assert len(conversation.display) == 2 * (PAST_TURNS_KEPT + 3)
