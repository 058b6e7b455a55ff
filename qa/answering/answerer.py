"""The base class every answerer (the reader, the sentence scorer, an LLM) derives from,
with the abilities it declares, and the stream object its output comes in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

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


class Answerer:
    """Turns a question and its retrieved passages into a cited draft.

    Subclasses set `name` (what `Answer.model` says and what a person chooses it by) and
    override the abilities below where they differ, so that the pipeline, the CLI and the
    web faces ask the answerer rather than test its type (as simonw/llm's `Model.can_stream`).
    Each registers itself in `qa.answering.registry`.

    `avoid`: answers already given in this conversation; an answerer that can pick among
    candidates looks past these (a follow-up never gets the previous answer again).
    """

    name: str = ""
    # its deltas come as the text is made (else `stream` gives the whole text at once)
    can_stream: bool = False
    # its deltas carry raw passage numbers, grounded sentence by sentence as they stream
    streams_raw_markers: bool = False
    # it calls an LLM, whose `complete` then rewrites follow-ups too
    needs_llm: bool = False
    # it needs the trained reader installed
    needs_reader: bool = False
    # its `Draft.confidence` is how answerable the passages make the question, so rewrites
    # of a follow-up can be weighed by it
    scores_answerability: bool = False
    # the confidence under which it refuses (None: it has no threshold)
    abstain_below: float | None = None

    def answer(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> Draft:
        raise NotImplementedError

    def stream(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> DraftStream:
        """Text deltas as they come, then the finished `Draft` as the last item; by default
        the whole text at once (one delta, no fake typing)."""
        draft = self.answer(question, retrieval, avoid)
        return DraftStream([draft.text, draft])

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The LLM's reply to chat `messages` (answerers that declare `needs_llm` only)."""
        raise NotImplementedError(f"the answerer {self.name!r} calls no LLM")
