"""The reader's spans weigh what the sentence ranker says of their sentences: of two spans
the reader scores alike, the one whose sentence says what the question asks is chosen. The
reader's scores are made by hand here; `qa eval` measures the real reader with it."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from qa.answering.reader import PassageInput, ReaderConfig, ReaderSpan, Reading
from qa.answering.reader_answerer import SENTENCE_WEIGHT, ReaderAnswerer
from qa.answering.retrieval import Passage, Retrieval
from qa.types import Article, Chunk, Hit, Sentence

TEXT = (
    "Nordtide Energy was founded in 1998 in Bergen. "
    "The tidal plant in Varnholm will open in 2026, a year later than planned."
)


def passage(vectors: np.ndarray) -> Passage:
    article = Article(id="plant", title="Plant", text=TEXT)
    chunk = Chunk(id="plant-0", article_id="plant", ordinal=0, text=TEXT, start=0, end=len(TEXT))
    bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", TEXT)]
    sentences = tuple(Sentence(start + (TEXT[start] == " "), end) for start, end in bounds)
    return Passage(Hit(chunk, article, 1.0, 1), sentences, vectors, 1.0)


class TwoSpans:
    """Reads nothing: "1998" and "2026", scored alike, the first one first."""

    def __init__(self) -> None:
        self.config = ReaderConfig(no_answer_below=0.05, rank_weight=0.0)
        spans = []
        for segment, year in enumerate(("1998", "2026")):
            start = TEXT.index(year)
            spans.append(ReaderSpan(0, segment, start, start + 4, -1.0, 0.9))
        self.reading = Reading(tuple(spans), (0.9,))

    def read(self, question: str, inputs: list[PassageInput], asked: object = None) -> Reading:
        return self.reading


def flat_idf(stems: Iterable[str]) -> dict[str, float]:
    return dict.fromkeys(stems, 1.0)


def test_of_two_spans_read_alike_the_one_whose_sentence_says_what_was_asked_wins() -> None:
    assert SENTENCE_WEIGHT > 0
    question = "When will the tidal plant in Varnholm open?"
    query = np.array([1.0, 0.0], np.float32)
    vectors = np.array([[0.2, 0.98], [0.9, 0.44]], np.float32)  # the second sentence is closer
    retrieval = Retrieval(question, query, [passage(vectors)])
    draft = ReaderAnswerer(TwoSpans(), idf=flat_idf).answer(question, retrieval)  # type: ignore[arg-type]
    assert draft.short_answer == "2026"
    # without the index's weights the ranker is not asked: the reader's order stands
    alone = ReaderAnswerer(TwoSpans()).answer(question, retrieval)  # type: ignore[arg-type]
    assert alone.short_answer == "1998"
