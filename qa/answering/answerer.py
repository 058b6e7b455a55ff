"""The small protocol both answerers (extractive and LLM) follow, and the stream object
their output comes in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.answering.retrieval import Retrieval
from qa.types import Alternative, Citation

ABSTAIN_TEXT = "The articles don't say. Nothing in them answers this question."
NOTHING_MORE_TEXT = "The articles say nothing more about this than the answer above."


@dataclass(frozen=True)
class Draft:
    """An answerer's output: text with `[n]` markers resolving to `citations[n-1]`."""

    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    model: str
    confidence: float = 0.0
    unsupported: tuple[str, ...] = ()
    short_answer: str | None = None
    alternatives: tuple[Alternative, ...] = ()  # when the passages' answers differ


class Restart:
    """Marks that the text streamed so far is void: a retry starts the answer again."""


class DraftStream:
    """An answerer's output as it is made: text deltas and `Restart`s, then the `Draft`.

    Iterate it to stream; `finish()` runs it to the end and returns the draft (as
    simonw/llm's `Response` can be iterated or read whole). `text` is what was streamed
    since the last restart.
    """

    def __init__(self, items: Iterable[str | Restart | Draft]) -> None:
        self._items = iter(items)
        self.text = ""
        self.draft: Draft | None = None

    def __iter__(self) -> Iterator[str | Restart | Draft]:
        for item in self._items:
            if isinstance(item, Draft):
                self.draft = item
            elif isinstance(item, Restart):
                self.text = ""
            else:
                self.text += item
            yield item

    def finish(self) -> Draft:
        """Run to the end; the draft (a `ValueError` if the stream had none)."""
        for _ in self:
            pass
        if self.draft is None:
            raise ValueError("the answer stream ended without a draft")
        return self.draft

    def finish_text(self) -> str:
        """Run to the end; the text streamed after the last restart (a stream of text only)."""
        for _ in self:
            pass
        return self.text


class Answerer(Protocol):
    """Turns a question and its retrieved passages into a cited draft.

    `avoid`: answers already given in this conversation; an answerer that can pick among
    candidates looks past these (a follow-up never gets the previous answer again).
    """

    name: str

    def answer(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> Draft: ...

    def stream(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> DraftStream:
        """Text deltas as they come, then the finished `Draft` as the last item."""
        ...
