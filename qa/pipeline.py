"""The one place that composes a question's trip: condense → retrieve → answer → verify →
fall back. `answer()` and `stream_answer()` are the library's front door."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from qa.answerer import Answerer, Draft, Restart
from qa.chat import condense_question
from qa.config import Settings
from qa.errors import QAError
from qa.extractive import ExtractiveAnswerer
from qa.index import Index
from qa.keyword import idf_weights
from qa.retrieval import Retrieval, elapsed_ms, retrieve
from qa.types import Answer, Filters

EMPTY_INDEX_TEXT = "No articles are indexed yet. Add some with `qa index PATH` (or upload them in the chat)."


@dataclass(frozen=True)
class StreamEvent:
    """One step of a streamed answer.

    `delta`: more answer text; `restart`: discard the text so far (a retried LLM call);
    `notice`: a message for the reader (e.g. a fallback); `answer`: the final `Answer`,
    whose text (with renumbered, verified markers) replaces what was streamed.
    """

    kind: Literal["delta", "restart", "notice", "answer"]
    text: str = ""
    answer: Answer | None = None


class QA:
    """An index plus answerers: asks questions of a collection of articles."""

    def __init__(
        self, index: Index, settings: Settings | None = None, abstain_below: float | None = None
    ) -> None:
        self.index = index
        self.settings = settings or index.settings
        threshold = abstain_below if abstain_below is not None else self.settings.abstain_below
        self.extractive = ExtractiveAnswerer(self.idf, threshold)
        self._chunk_count: tuple[int, int] = (-1, 0)

    @classmethod
    def open(cls, index_dir: str | Path | None = None, settings: Settings | None = None) -> QA:
        settings = settings or Settings.from_env()
        return cls(Index.open(index_dir, settings, create=False), settings)

    def idf(self, stems: Any) -> dict[str, float]:
        """IDF weights of stems over this index's chunks."""
        stems = list(stems)
        generation = self.index.store.generation()
        if self._chunk_count[0] != generation:
            self._chunk_count = (generation, self.index.store.counts()["chunks"])
        return idf_weights(stems, self.index.store.document_frequencies(stems), self._chunk_count[1])

    def answerer(self, model: str | None) -> Answerer:
        """The extractive answerer, or an LLM answerer for a litellm model id."""
        if not model or model == "extractive":
            return self.extractive
        from qa.llm import LLMAnswerer, LLMClient

        client = LLMClient(model, self.settings.llm_timeout_s, self.settings.llm_retries)
        return LLMAnswerer(client)

    def answer(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        model: str | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Answer:
        """Answer `question` from the index; see `stream` for the meaning of the arguments."""
        final = None
        for event in self.stream(question, history, model, k, filters):
            if event.kind == "answer":
                final = event.answer
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        model: str | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Iterator[StreamEvent]:
        """Answer `question`, streaming: `delta` events, then one `answer` event.

        `history`: earlier turns (questions, (question, answer) pairs or chat messages) for
        follow-ups. `model`: a litellm model id, or None for `QA_MODEL` / extractive.
        `k`: passages to retrieve. `filters`: sources, date range, article ids.
        """
        started = time.perf_counter()
        question = question.strip()
        model = model if model is not None else self.settings.llm_model
        answerer = self.answerer(model)
        complete = getattr(getattr(answerer, "client", None), "complete", None)
        standalone = condense_question(question, history, complete)
        timings = {"condense_ms": elapsed_ms(started)}
        retrieval = retrieve(self.index, standalone, k or self.settings.top_k, filters)
        timings.update(retrieval.timings)
        if not retrieval.passages:
            yield from _finish(question, standalone, retrieval, _empty_draft(self.index), timings, started)
            return
        tick = time.perf_counter()
        notice = None
        draft: Draft | None = None
        try:
            for item in answerer.stream(standalone, retrieval):
                if isinstance(item, Draft):
                    draft = item
                elif isinstance(item, Restart):
                    yield StreamEvent("restart")
                else:
                    yield StreamEvent("delta", item)
        except Exception as error:  # never a traceback for the reader: fall back, say why
            if answerer is self.extractive:
                raise
            reason = (
                str(error)
                if isinstance(error, QAError)
                else f"The model {model} failed ({type(error).__name__})"
            )
            notice = f"{reason.rstrip('.')}. This answer was extracted from the articles instead."
            yield StreamEvent("restart")
            yield StreamEvent("notice", notice)
            draft = self.extractive.answer(standalone, retrieval)
            yield StreamEvent("delta", draft.text)
        assert draft is not None
        timings["answer_ms"] = elapsed_ms(tick)
        yield from _finish(question, standalone, retrieval, draft, timings, started, notice)


def _finish(
    question: str,
    standalone: str,
    retrieval: Retrieval,
    draft: Draft,
    timings: dict[str, float],
    started: float,
    notice: str | None = None,
) -> Iterator[StreamEvent]:
    timings["total_ms"] = elapsed_ms(started)
    answer = Answer(
        question=question,
        text=draft.text,
        citations=draft.citations,
        hits=tuple(p.hit for p in retrieval.passages),
        abstained=draft.abstained,
        model=draft.model,
        timings=timings,
        notice=notice,
        standalone_question=standalone if standalone != question else None,
        score=round(draft.confidence, 4),
        unsupported=draft.unsupported,
    )
    yield StreamEvent("answer", answer=answer)


def _empty_draft(index: Index) -> Draft:
    if index.store.counts()["chunks"] == 0:
        return Draft(EMPTY_INDEX_TEXT, (), True, "extractive")
    return Draft("No passage of the articles matches this question.", (), True, "extractive")


_DEFAULT: dict[str, QA] = {}
_DEFAULT_LOCK = threading.Lock()


def default_qa(index_dir: str | Path | None = None) -> QA:
    """A QA over the default (or given) index, opened once and kept with its model loaded."""
    key = str(Path(index_dir).resolve()) if index_dir else ""
    with _DEFAULT_LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = QA.open(index_dir)
        return _DEFAULT[key]


def answer(
    question: str,
    history: Sequence[Any] | None = None,
    model: str | None = None,
    k: int | None = None,
    filters: Filters | None = None,
    index_dir: str | Path | None = None,
) -> Answer:
    """Answer `question` from the default index (`QA_INDEX_DIR` or `index/`).

    Every `[n]` in `Answer.text` resolves to `Answer.citations[n-1]`, whose `quote` is the
    exact supporting text of the article. The index and model load on the first call.
    """
    return default_qa(index_dir).answer(question, history, model, k, filters)


def stream_answer(
    question: str,
    history: Sequence[Any] | None = None,
    model: str | None = None,
    k: int | None = None,
    filters: Filters | None = None,
    index_dir: str | Path | None = None,
) -> Iterator[StreamEvent]:
    """Like `answer`, streaming `StreamEvent`s; the last one carries the `Answer`."""
    return default_qa(index_dir).stream(question, history, model, k, filters)
