"""A follow-up prefers an answer from the articles its conversation was answered from, when
the reader scores it about as well as one from another article (issue 19: "the conversation
keeps its articles"), and says no "sources differ" across articles it was not asking about.
The reader's spans are made by hand; the pipeline's own choice of those articles is tested
in test_follow_up_cost.py."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from qa.answering.reader import DEFAULT_READER, PassageInput, Reader, ReaderConfig, ReaderSpan, Reading
from qa.answering.reader_answerer import KEPT_PRIOR, ReaderAnswerer, passage_inputs
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

    def read(self, question: str, inputs: list[PassageInput], asked: object = None) -> Reading:
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


def _record_passages(later: str, lead: str = "") -> list[Passage]:
    lead = lead or (
        "Mara Lindqvist, a 39-year-old rider, broke the women's world hour record on Saturday, "
        "covering 50.412 kilometres at the Veldhaven velodrome."
    )
    text = f"{lead}\n\n{later}"
    article = Article(id="record", title="Lindqvist breaks hour record", text=text)
    found = []
    for rank, (start, said) in enumerate([(0, lead), (len(lead) + 2, later)], start=1):
        chunk = Chunk(
            id=f"record-{rank}",
            article_id="record",
            ordinal=rank,
            text=said,
            start=start,
            end=start + len(said),
        )
        bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", said)]
        sentences = tuple(Sentence(start + a + (said[a] == " "), start + b) for a, b in bounds)
        found.append(
            Passage(Hit(chunk, article, 1.0, rank), sentences, np.zeros((len(sentences), 1), np.float32), 1.0)
        )
    return found


COACH = (
    "She stepped away from competition in 2022 after a crash. Her coach, Henrik Dahl, said the "
    "team had spent 14 months preparing."
)


def test_a_passage_that_says_she_of_the_person_named_is_read_as_asked() -> None:
    """An article names Mara Lindqvist once and goes on with "she": a follow-up's rewrite
    "Who is Mara Lindqvist's coach?" finds the passage that says "Her coach, Henrik Dahl"
    unanswerable (the reader refuses a question whose names its passage lacks); read there
    as asked, "Who is her coach?", it is answered."""
    from qa.answering.chat import pronoun_said_again
    from qa.answering.reader_answerer import _as_the_person_asked

    passages = _record_passages(COACH)
    rewrite = "Who is Mara Lindqvist's coach?"
    asked = _as_the_person_asked(rewrite, passages, pronoun_said_again("who's her coach?", rewrite))
    assert asked == [rewrite, "Who is her coach?"]
    reader = Reader(DEFAULT_READER)
    inputs = passage_inputs(passages)
    as_named = reader.read(rewrite, inputs)
    as_asked = reader.read(rewrite, inputs, asked)
    assert as_asked.answerable[1] > 0.5 > as_named.answerable[1]
    best = as_asked.spans[0]
    assert inputs[best.passage].text[best.start : best.end] == "Henrik Dahl"


def test_a_she_that_may_be_another_woman_s_is_read_with_the_name() -> None:
    """The passage is read as the rewrite names her where someone else is named before its
    "she" ("Priya Anand, 17, said she had revised"), where the article says "he" of the name,
    and where the article never names her in full ("Lundgren" is no "Lund")."""
    from qa.answering.reader_answerer import _as_the_person_asked

    rewrite = "How long did Mara Lindqvist revise for?"
    said = ("Mara Lindqvist", "How long did she revise for?")
    other = _record_passages("Priya Anand, 17, said she had revised for six months.")
    assert _as_the_person_asked(rewrite, other, said) is None
    assert _as_the_person_asked(rewrite, _record_passages("She had revised for six months."), said) == [
        rewrite,
        "How long did she revise for?",
    ]
    he = _record_passages("He had revised for six months.", lead="Mara Lindqvist won. He said he was tired.")
    assert _as_the_person_asked(rewrite, he, said) is None
    lund = ("Erik Lund", "What did his wife say?")
    elsewhere = _record_passages("His wife said nothing.", lead="Erik Lundgren won the race.")
    assert _as_the_person_asked("What did Erik Lund's wife say?", elsewhere, lund) is None
