"""One chat session: the conversation kept between turns and the streaming of a turn into
chat messages and the sources panel. Knows `qa`, not Gradio, so it is tested directly."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import QAError
from qa.pipeline import QA
from qa.types import Answer, TitleEntry
from ui.render import PAST_TURNS_KEPT, answer_html, error_html, sources_panel_html, streaming_html, text_html

log = logging.getLogger(__name__)

# Questions offered on the page, for the shipped articles (by file name in seeds/).
SEED_EXAMPLES: dict[str, tuple[str, ...]] = {
    "Putin-refused-direct-contact-with-Prigozhin.txt": (
        "Who led the negotiations with Prigozhin?",
        "Did Putin speak to Prigozhin?",
        "What did Prigozhin demand?",
        "When did the authorities start negotiating with Prigozhin?",
    ),
}


@dataclass
class Conversation:
    """What a chat session keeps: the turns as the library reads them (`messages`, with
    `[n]` markers), the chat as shown (`display`, HTML) and each turn's answer."""

    messages: list[dict[str, str]] = field(default_factory=list)
    display: list[dict[str, str]] = field(default_factory=list)
    answers: list[Answer | None] = field(default_factory=list)

    def sources_html(self) -> str:
        return sources_panel_html(self.answers)


def model_choice(value: str | None, offline: str) -> str:
    """The answerer a person picked or typed (a registered name or a litellm model id);
    nothing chosen is the `offline` one."""
    value = (value or "").strip()
    return value or offline


MAX_EXAMPLES = 6
EXAMPLE_CHARS = 60  # the chat's example list cuts a longer one ("… rep..."): never shown cut
_WORDS = re.compile(r"[^\W_]+")


def example_questions(articles: Sequence[TitleEntry]) -> list[str]:
    """Example questions over the collection: the hand-written ones of the shipped article
    when it is indexed, then one for each of the newest other articles whose title is a
    real headline and whose question fits the example list whole. A title made from a
    URL or a file name ("China covid iphone 14 shipments hit hnk intl") is no headline."""
    examples: list[str] = []
    others: list[TitleEntry] = []
    for entry in articles:
        name = Path(entry.origin or "").name
        if name in SEED_EXAMPLES:
            examples += SEED_EXAMPLES[name][:3]
        else:
            others.append(entry)
    others.sort(key=lambda e: e.added_at or "", reverse=True)
    for entry in others:
        if len(examples) >= MAX_EXAMPLES:
            break
        question = f"What does “{entry.title.strip()}” report?"
        if len(question) <= EXAMPLE_CHARS and not is_slug_title(entry) and question not in examples:
            examples.append(question)
    return examples


def is_slug_title(entry: TitleEntry) -> bool:
    """Whether the title was made from the article's URL or file name rather than written:
    it has no capital, or its words are a lower-case part of the URL ("…/china-covid-
    iphone-14-shipments-hit-hnk-intl/index.html") or of the file's name."""
    title = entry.title.strip()
    words = [w.casefold() for w in _WORDS.findall(title)]
    if not words or not any(c.isupper() for c in title):
        return True
    name = Path((entry.origin or "").split("#")[0]).stem
    places = [entry.url or "", name if name == name.casefold() else ""]
    return any(sep.join(words) in place for place in places for sep in "-_+")


_ANSWERED: dict[tuple[str, int, str], bool] = {}  # (index folder, generation, question) -> answered


def answerable_examples(qa: QA, articles: Sequence[TitleEntry]) -> list[str]:
    """The `example_questions` the articles answer: an example that gets "the articles don't
    say" would only mislead. Each is asked once per index generation (a page load, an upload
    or a removal reads the page state again)."""
    key = (str(qa.index.path), qa.index.generation())
    kept = []
    for question in example_questions(articles):
        if (*key, question) not in _ANSWERED:
            _ANSWERED[(*key, question)] = not qa.answer(question).abstained
        if _ANSWERED[(*key, question)]:
            kept.append(question)
    return kept


def chat_turn(
    qa: QA,
    conversation: Conversation,
    message: str,
    model: str | None = None,
    k: int | None = None,
    hold: Callable[[], AbstractContextManager[object]] | None = None,
) -> Iterator[Conversation]:
    """Answer `message` as the next turn, yielding the conversation after each change:
    the question, then the answer as it streams, then the final answer with its links.

    The final answer's text replaces the streamed one (markers are renumbered at the end);
    a fallback notice is shown as soon as it arrives; errors end the turn with a message.
    `hold` (an answering slot) is entered once the question is shown and left when the
    answer is complete, or when the generator is closed.
    """
    question = message.strip()
    if not question:
        return
    turn = len(conversation.answers)
    conversation.display.append({"role": "user", "content": text_html(question)})
    conversation.display.append({"role": "assistant", "content": streaming_html("", None)})
    conversation.answers.append(None)
    yield conversation
    final: Answer | None = None
    try:
        with hold() if hold is not None else nullcontext():
            answering = qa.stream(
                question,
                history=list(conversation.messages),
                model=model_choice(model, qa.extractive.name),
                k=k,
            )
            for event in answering:
                if event.kind == "answer":
                    final = event.answer
                    break
                conversation.display[-1]["content"] = streaming_html(answering.text, answering.notice)
                yield conversation
    except QAError as error:  # the server busy too (ui.slots.Busy)
        conversation.display[-1]["content"] = error_html(str(error))
        yield conversation
        return
    except Exception as error:  # shown in the chat rather than as a bare "Error"
        log.exception("answering %r failed", question)
        conversation.display[-1]["content"] = error_html(f"Answering failed: {type(error).__name__}: {error}")
        yield conversation
        return
    if final is None:
        conversation.display[-1]["content"] = error_html("The answer did not arrive.")
        yield conversation
        return
    conversation.answers[turn] = final
    for earlier in range(max(0, turn - PAST_TURNS_KEPT)):
        conversation.answers[earlier] = None  # their sources are no longer shown; free them
    conversation.messages.append({"role": "user", "content": question})
    conversation.messages.append({"role": "assistant", "content": final.text})
    conversation.display[-1]["content"] = answer_html(final, turn)
    yield conversation
