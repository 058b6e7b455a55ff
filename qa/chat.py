"""Follow-up questions: turn "when did he leave?" into a standalone question before retrieval,
by an LLM when one is configured, else by carrying the previous turns' key terms."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qa.citations import strip_markers
from qa.keyword import STOPWORDS, content_terms
from qa.prompts import CONDENSE_SYSTEM, CONDENSE_USER

# words that point back into the conversation; "that", "there" and "then" are left out
# because they mostly do other work ("the bridge that was repaired")
_REFERRING = re.compile(
    r"\b(he|she|it|they|him|her|them|his|hers|its|their|theirs|this|these|those|"
    r"the (?:same|latter|former|man|woman|group|company|country|city|event|deal|talks))\b",
    re.I,
)
_CONTINUATION = re.compile(r"^\s*(and|but|also|so|what about|how about|what else|why not|and then)\b", re.I)
_ENTITY = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*)*")
MAX_CARRIED_TERMS = 6


@dataclass(frozen=True)
class Turn:
    """One message of a conversation."""

    role: str  # "user" or "assistant"
    text: str


def normalise_history(history: Sequence[Any] | None) -> list[Turn]:
    """Turns from earlier questions (strings), (question, answer) pairs, or
    {"role", "content"} messages as chat UIs keep them."""
    turns: list[Turn] = []
    for item in history or []:
        if isinstance(item, Turn):
            turns.append(item)
        elif isinstance(item, str):
            turns.append(Turn("user", item))
        elif isinstance(item, dict):
            content = item.get("content", "")
            if isinstance(content, str) and content.strip():
                turns.append(Turn(str(item.get("role", "user")), content))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            question, reply = item
            if question:
                turns.append(Turn("user", str(question)))
            if reply:
                turns.append(Turn("assistant", str(reply)))
    return turns


@dataclass(frozen=True)
class Conversation:
    """The turns before the current question."""

    turns: tuple[Turn, ...] = ()

    @classmethod
    def from_history(cls, history: Sequence[Any] | Conversation | None) -> Conversation:
        if isinstance(history, Conversation):
            return history
        return cls(tuple(normalise_history(history)))

    def previous_answers(self) -> tuple[str, ...]:
        """What the assistant already said (markers and emphasis stripped), latest first."""
        return tuple(
            strip_markers(t.text).replace("**", "") for t in reversed(self.turns) if t.role == "assistant"
        )


def needs_context(question: str) -> bool:
    """True when the question leans on earlier turns: pronouns, "and …?", or too few terms."""
    return bool(_REFERRING.search(question) or _CONTINUATION.search(question) or not content_terms(question))


def condense_by_rule(question: str, history: Sequence[Turn]) -> str:
    """The question followed by key terms it lacks from the conversation: names in the
    latest questions and in the latest answer (who "he" may be), then the latest
    question's other content words."""
    questions = [t.text for t in history if t.role == "user"][-2:]
    answers = [t.text for t in history if t.role == "assistant"][-1:]
    candidates = [name for text in reversed(questions) for name in _names(text)]
    candidates += [name for text in answers for name in _names(text)][:2]
    candidates += content_terms(questions[-1]) if questions else []
    asked = {t.lower() for t in content_terms(question)}
    carried: list[str] = []
    for term in candidates:
        words = {w.lower() for w in content_terms(term)}
        if words and not words <= asked:
            carried.append(term)
            asked |= words
    if not carried:
        return question
    return f"{question.rstrip()} ({', '.join(carried[:MAX_CARRIED_TERMS])})"


def _names(text: str) -> list[str]:
    """Capitalised phrases of `text` without leading function words ("Which Russian" is
    "Russian"), leaving out a lone capitalised first word."""
    names = []
    for match in _ENTITY.finditer(strip_markers(text)):
        words = match.group(0).split()
        while words and words[0].lower() in STOPWORDS:
            words.pop(0)
        if words and (match.start() > 0 or len(words) > 1 or words[0] != match.group(0).split()[0]):
            names.append(" ".join(words))
    return names


def condense_question(
    question: str,
    history: Sequence[Any] | Conversation | None,
    complete: Callable[[list[dict[str, str]]], str] | None = None,
) -> str:
    """A standalone version of `question` given the conversation `history`.

    Unchanged when there is no history or the question stands on its own. With `complete`
    (an LLM call) the model rewrites it; if that fails or returns nothing, the rule does.
    """
    turns = list(Conversation.from_history(history).turns)
    if not turns or not needs_context(question):
        return question
    if complete is not None:
        transcript = "\n".join(f"{t.role}: {t.text}" for t in turns[-6:])
        messages = [
            {"role": "system", "content": CONDENSE_SYSTEM},
            {"role": "user", "content": CONDENSE_USER.format(history=transcript, question=question)},
        ]
        try:
            rewritten = complete(messages).strip().strip('"').strip()
        except Exception:
            rewritten = ""
        if rewritten and len(rewritten) < 4 * len(question) + 200:
            return rewritten
    return condense_by_rule(question, turns)
