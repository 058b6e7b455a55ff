"""A follow-up prefers an answer from the articles its conversation was answered from, when
the reader scores it about as well as one from another article (issue 19: "the conversation
keeps its articles"), and says no "sources differ" across articles it was not asking about.
The reader's spans are made by hand; the pipeline's own choice of those articles is tested
in test_follow_up_cost.py."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from qa.answering.reader import PassageInput, ReaderConfig, ReaderSpan, Reading
from qa.answering.reader_answerer import KEPT_PRIOR, ReaderAnswerer
from qa.answering.retrieval import Passage, Retrieval
from qa.types import Article, Chunk, Hit, Sentence

BRIDGE = "The new bridge opened on Friday. Its single tower rises 112 metres above the water."
LAB = "The laboratory was built in 1901. The tower was erected to its full 187 feet."


def passage(name: str, text: str, rank: int) -> Passage:
    article = Article(id=name, title=name.title(), text=text)
    chunk = Chunk(id=f"{name}-0", article_id=name, ordinal=0, text=text, start=0, end=len(text))
    bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    sentences = tuple(Sentence(start + (text[start] == " "), end) for start, end in bounds)
    return Passage(Hit(chunk, article, 1.0, rank), sentences, np.zeros((len(sentences), 1), np.float32), 1.0)


class TwoSpans:
    """Reads nothing: the lab's tower a little likelier than the bridge's."""

    def __init__(self) -> None:
        self.config = ReaderConfig(no_answer_below=0.05, rank_weight=0.0)
        lab = LAB.index("187 feet")
        bridge = BRIDGE.index("112 metres")
        margin = KEPT_PRIOR / 2
        self.reading = Reading(
            (
                ReaderSpan(0, 1, lab, lab + len("187 feet"), -1.0, 0.9),
                ReaderSpan(1, 1, bridge, bridge + len("112 metres"), -1.0 - margin, 0.9),
            ),
            (0.9, 0.9),
        )

    def read(self, question: str, inputs: list[PassageInput]) -> Reading:
        return self.reading


def ask(kept: tuple[str, ...]) -> str:
    question = "How tall is the tower?"
    retrieval = Retrieval(
        question, np.zeros(1, np.float32), [passage("lab", LAB, 1), passage("bridge", BRIDGE, 2)]
    )
    answerer = ReaderAnswerer(TwoSpans())  # type: ignore[arg-type]
    return answerer.answer(question, replace(retrieval, kept=kept)).text


def test_a_follow_up_takes_its_conversations_answer_when_about_as_likely() -> None:
    assert ask(("bridge",)).startswith("**112 metres**")
    assert "Sources differ" not in ask(("bridge",))


def test_a_question_alone_takes_the_likeliest_answer() -> None:
    alone = ask(())
    assert "187 feet" in alone.split(".")[0]
