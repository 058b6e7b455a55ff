"""The small protocol both answerers (extractive and LLM) follow."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from qa.retrieval import Retrieval
from qa.types import Citation

ABSTAIN_TEXT = "The articles don't say. Nothing in them answers this question."


@dataclass(frozen=True)
class Draft:
    """An answerer's output: text with `[n]` markers resolving to `citations[n-1]`."""

    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    model: str
    confidence: float = 0.0
    unsupported: tuple[str, ...] = ()


class Restart:
    """Marks that the text streamed so far is void: a retry starts the answer again."""


class Answerer(Protocol):
    """Turns a question and its retrieved passages into a cited draft."""

    name: str

    def answer(self, question: str, retrieval: Retrieval) -> Draft: ...

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Restart | Draft]:
        """Text deltas as they come, then the finished `Draft` as the last item."""
        ...
