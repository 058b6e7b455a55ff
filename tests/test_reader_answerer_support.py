"""A doubtful answer from a sentence that says little of what was asked is refused: what a
plausible question whose answer is not in the articles looks like (issue 17's "answer gone":
"How many turbines does the plant have?" answered from the sentence after the one that
would have said it). The reader's span choice is made by hand here; the real reader's end to
end below and in `bench/answer_gone.py`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import numpy as np
import pytest
from conftest import seeds_and_article

from qa.answering.answerer import ABSTAIN_TEXT
from qa.answering.reader import PassageInput, ReaderConfig, ReaderSpan, Reading
from qa.answering.reader_answerer import DOUBTFUL, SUPPORTED_SHARE, ReaderAnswerer
from qa.answering.retrieval import Passage, Retrieval
from qa.pipeline import QA
from qa.types import Article, Chunk, Hit, Sentence

TEXT = (
    "The tidal plant in Varnholm will open in 2026, a year later than planned. "
    "Its builder, Nordtide Energy, has worked in the fjord since 2001."
)


def passage(text: str) -> Passage:
    article = Article(id="plant", title="Plant", text=text)
    chunk = Chunk(id="plant-0", article_id="plant", ordinal=0, text=text, start=0, end=len(text))
    bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    sentences = tuple(Sentence(start + (text[start] == " "), end) for start, end in bounds)
    return Passage(Hit(chunk, article, 1.0, 1), sentences, np.zeros((len(sentences), 1), np.float32), 1.0)


class OneSpan:
    """Reads nothing: the span over `words`, with the answerable probability given."""

    def __init__(self, words: str, answerable: float) -> None:
        self.config = ReaderConfig(no_answer_below=0.05, rank_weight=0.0)
        start = TEXT.index(words)
        segment = 0 if start < TEXT.index("Its") else 1
        self.reading = Reading(
            (ReaderSpan(0, segment, start, start + len(words), -1.0, answerable),), (answerable,)
        )

    def read(self, question: str, inputs: list[PassageInput], asked: object = None) -> Reading:
        return self.reading


def flat_idf(stems: Iterable[str]) -> dict[str, float]:
    return dict.fromkeys(stems, 1.0)


def answer(question: str, words: str, answerable: float) -> str:
    answerer = ReaderAnswerer(OneSpan(words, answerable), idf=flat_idf)  # type: ignore[arg-type]
    return answerer.answer(question, Retrieval(question, np.zeros(1, np.float32), [passage(TEXT)])).text


def test_a_doubtful_answer_from_a_sentence_that_says_little_of_the_question_is_refused() -> None:
    question = "Which company supplies the turbines of the tidal plant?"  # none of it said there
    assert DOUBTFUL > 0.1 and SUPPORTED_SHARE > 0.0
    assert answer(question, "Nordtide Energy", 0.1) == ABSTAIN_TEXT
    # the reader sure of it: answered, whatever the sentence says
    assert answer(question, "Nordtide Energy", 0.9).startswith("**Nordtide Energy**")


def test_a_doubtful_answer_from_a_sentence_that_says_what_was_asked_stands() -> None:
    assert answer("When will the tidal plant in Varnholm open?", "2026", 0.1).startswith("**2026**")


def test_without_the_index_weights_nothing_is_refused_for_it() -> None:
    question = "Which company supplies the turbines of the tidal plant?"
    answerer = ReaderAnswerer(OneSpan("Nordtide Energy", 0.1))  # type: ignore[arg-type]
    draft = answerer.answer(question, Retrieval(question, np.zeros(1, np.float32), [passage(TEXT)]))
    assert draft.text.startswith("**Nordtide Energy**")


PLANT = """Varnholm's tidal plant opens a year late

The tidal plant that Nordtide Energy is building in the harbour town of Varnholm will open in 2026, a year later than planned. Once running, the plant will supply 14,000 homes with electricity.

The fishermen of Varnholm are suing Nordtide because they say the construction has driven the cod out of the fjord. Their association is seeking NOK 40 million in compensation.

Nordtide's chief executive, Henrik Dahl, has led the company for 22 years. He blames the warmer sea for the smaller catches.
"""


@pytest.fixture(scope="module")
def plant_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("plant"), "varnholm-plant.txt", PLANT) as qa:
        yield qa


def test_the_real_reader_answers_what_the_article_says(plant_qa: QA) -> None:
    assert "14,000" in plant_qa.answer("How many homes will the tidal plant supply?").text
    assert "2026" in plant_qa.answer("When will the tidal plant in Varnholm open?").text


def follow_up(question: str, words: str, kept: tuple[str, ...]) -> str:
    answerer = ReaderAnswerer(OneSpan(words, 0.9), idf=flat_idf)  # type: ignore[arg-type]
    retrieval = Retrieval(question, np.zeros(1, np.float32), [passage(TEXT)], kept=kept)
    return answerer.answer(question, retrieval).text


def test_a_follow_up_answered_from_another_article_must_be_what_that_sentence_says() -> None:
    # "How long did the call last?" in a conversation about a phone call is not answered by
    # "Within the last 5-10 million years" of another article, however sure the reader is
    question = "How long has Nordtide Energy waited for its permit?"  # "Nordtide Energy" said: 1/4
    assert follow_up(question, "since 2001", ("talks",)) == ABSTAIN_TEXT
    # from the conversation's own article, or said there in full, it stands
    assert follow_up(question, "since 2001", ("plant",)).startswith("**since 2001**")
    said = "Since when has Nordtide Energy worked in the fjord?"
    assert follow_up(said, "since 2001", ("talks",)).startswith("**since 2001**")
    # a first question keeps to no article: answered
    assert follow_up(question, "since 2001", ()).startswith("**since 2001**")


class FixedJudge:
    """A judge that finds each text as likely to answer as `logits` says: by its first
    word, or "with context" for a sentence read after the one before it; the refusal cut
    given."""

    def __init__(self, logits: dict[str, float], refuse_below: float | None) -> None:
        self.scores = logits
        self.refuse_below = refuse_below
        self.read: list[str] = []

    def logits(self, question: str, sentences: list[str]) -> list[float]:
        self.read += sentences
        return [self.scores["with context" if s.count(". ") else s.split()[0]] for s in sentences]


def judged(
    question: str, words: str, logits: dict[str, float], refuse_below: float | None
) -> tuple[str, list[str]]:
    answerer = ReaderAnswerer(OneSpan(words, 0.9))  # type: ignore[arg-type]
    judge = FixedJudge(logits, refuse_below)
    answerer.judge = judge  # type: ignore[assignment]
    retrieval = Retrieval(question, np.zeros(1, np.float32), [passage(TEXT)])
    return answerer.answer(question, retrieval).text, judge.read


def test_an_answer_whose_sentence_the_judge_finds_unlikely_to_answer_is_refused() -> None:
    question = "Which company supplies the turbines of the tidal plant?"
    # the judge on the builder's sentence, alone and after the one before it ("Its builder"
    # leans on it); the reader's log-odds are 2.2
    unlikely = {"Its": -4.0, "with context": -4.5}
    text, read = judged(question, "Nordtide Energy", unlikely, refuse_below=-1.0)
    assert text == ABSTAIN_TEXT
    assert read == [TEXT.split(". ")[1], TEXT]  # alone, then with the sentence before it
    # the two together likely enough, or no cut: the reader's answer stands
    assert judged(question, "Nordtide Energy", unlikely, refuse_below=-2.5)[0].startswith(
        "**Nordtide Energy**"
    )
    assert judged(question, "Nordtide Energy", unlikely, refuse_below=None)[0].startswith(
        "**Nordtide Energy**"
    )
    # read with the sentence it leans on, it answers: the likelier reading counts
    leaning = {"Its": -4.0, "with context": 1.0}
    assert judged(question, "Nordtide Energy", leaning, refuse_below=-1.0)[0].startswith(
        "**Nordtide Energy**"
    )


@pytest.mark.parametrize(
    ("before", "read_with_it"),
    [
        ("The tidal plant in Varnholm will open in 2026.", True),
        ("Suppliers", False),  # a heading is no sentence to lean on
        ("The tidal plant in Varnholm will open in 2026.\n", False),  # another paragraph
    ],
)
def test_a_sentence_is_read_with_the_one_before_only_where_that_is_a_sentence_of_its_paragraph(
    before: str, read_with_it: bool
) -> None:
    from types import SimpleNamespace

    leaning = "Its builder, Nordtide Energy, has worked in the fjord since 2001."
    text = f"{before}{' ' if before.endswith('.') else chr(10)}{leaning}"
    start = text.index(leaning)
    sentences = (Sentence(0, len(before.rstrip())), Sentence(start, len(text)))
    found = passage(text)
    choice = SimpleNamespace(
        passage=SimpleNamespace(hit=found.hit, sentences=sentences),
        sentence_start=start,
        sentence_end=len(text),
    )
    readings = ReaderAnswerer.judge_readings("Who builds the plant?", choice)  # type: ignore[arg-type]
    assert readings == ([leaning, f"{before.strip()} {leaning}"] if read_with_it else [leaning])


def test_a_question_about_what_an_article_reports_is_not_judged() -> None:
    question = "What does “Tidal plant delayed” report?"  # the chat's example questions
    text, read = judged(question, "2026", {"The": -9.0}, refuse_below=-1.0)
    assert text.startswith("**2026**") and read == []


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(
            "How much will the tidal plant in Varnholm cost?",
            # the judge doubts "will supply 14,000 homes" (p 0.18), not enough beside the
            # reader's 0.35: a known miss, kept in sight
            marks=pytest.mark.xfail(strict=True, reason="answered '14,000 homes with electricity'"),
        ),
        "Who chairs the fishermen's association in Varnholm?",
        "How many turbines will the tidal plant have?",
    ],
)
def test_plausible_questions_the_article_does_not_answer_are_refused(plant_qa: QA, question: str) -> None:
    assert plant_qa.answer(question).abstained


@pytest.mark.parametrize(
    ("question", "reader_alone"),
    [
        # of 18 plausible questions the article does not answer, the reader alone answered
        # 3; the judge refuses these two (the third is the known miss above)
        ("When did the construction of the plant begin?", "2026"),
        ("Who owns Nordtide Energy?", "Henrik Dahl"),
    ],
)
def test_the_real_judge_refuses_what_the_reader_alone_answers_from_a_neighbouring_sentence(
    plant_qa: QA, question: str, reader_alone: str
) -> None:
    assert plant_qa.reader is not None and plant_qa.reader.judge is not None
    assert plant_qa.answer(question).abstained
    answerer = plant_qa.extractive
    assert isinstance(answerer, ReaderAnswerer)
    judge, answerer.judge = answerer.judge, None
    try:
        assert plant_qa.answer(question).short_answer == reader_alone
    finally:
        answerer.judge = judge


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("How many homes will the tidal plant supply?", "14,000"),
        ("How much compensation are the fishermen seeking?", "40 million"),
        ("Who is Nordtide's chief executive?", "Henrik Dahl"),
    ],
)
def test_with_the_judge_what_the_article_says_is_still_answered(
    plant_qa: QA, question: str, answer: str
) -> None:
    assert answer in plant_qa.answer(question).text


def article_passage(article_id: str, title: str, text: str) -> Passage:
    article = Article(id=article_id, title=title, text=text)
    chunk = Chunk(id=f"{article_id}-0", article_id=article_id, ordinal=0, text=text, start=0, end=len(text))
    return Passage(Hit(chunk, article, 1.0, 1), (Sentence(0, len(text)),), np.zeros((1, 1), np.float32), 1.0)


def test_a_question_naming_something_is_answered_from_the_articles_that_name_it() -> None:
    from qa.answering.reader_answerer import naming_passages, only_passages

    ferry = article_passage(
        "ferry", "Ferry strike ends", "The mayor of Skarvik, Liv Haugen, welcomed the deal."
    )
    library = article_passage("library", "Fire destroys library in Brennby", "The library held 60,000 books.")
    both = [ferry, library]
    # the ferry article never says Brennby: the mayor of Skarvik is no answer
    assert naming_passages("Who is the mayor of Brennby?", both) == {1}
    # by title too, and whatever the case of the name ("BRENNBY")
    assert naming_passages("How many books did the BRENNBY library hold?", both) == {1}
    # no article names all the question names (two stories), or none: all may answer
    assert naming_passages("Did Skarvik help Brennby?", both) is None
    assert naming_passages("Who is the mayor of Oslo?", both) is None
    assert naming_passages("Who is the mayor of Oslo?", []) is None  # no passages: nothing to keep
    # the article naming the most: a name said another way ("Norwegian") costs all alike,
    # and a day is no story's name
    assert naming_passages("Whom did the Norwegian mayor of Brennby thank?", both) == {1}
    monday = article_passage("monday", "Talks", "On Monday the mayor of Skarvik, Liv Haugen, spoke.")
    assert naming_passages("What did the mayor of Brennby say on Monday?", [monday, library]) == {1}
    # nothing named (numbers are not names here): all may answer
    assert naming_passages("Who welcomed the deal in 2024?", both) is None
    # a follow-up naming nothing is answered from the conversation's articles only
    from qa.answering.reader_answerer import kept_passages

    assert kept_passages("Was anyone injured?", both, ("library",)) == {1}  # one word of its own
    assert kept_passages("How many books were there?", both, ("library",)) == {1}  # said there
    # a verb that says little of its own need not be said there ("went", "saying")
    assert kept_passages("What went on at the library?", both, ("library",)) == {1}
    assert kept_passages("What is the library saying?", both, ("library",)) == {1}
    # words only another story says: it may answer (the answer then says it is from there)
    assert kept_passages("Who welcomed the deal there?", both, ("library",)) is None
    assert kept_passages("Was anyone injured in Skarvik?", both, ("library",)) is None  # it names a place
    assert kept_passages("Was anyone injured?", both, ()) is None  # no conversation
    assert kept_passages("Was anyone injured?", both, ("ferry", "library")) is None
    # the reading keeps the spans and windows of those passages only
    reading = Reading((ReaderSpan(0, 0, 4, 9, 2.0, 0.9), ReaderSpan(1, 0, 4, 11, 1.0, 0.4)), (0.9, 0.4))
    assert only_passages(reading, frozenset({1})) == Reading((reading.spans[1],), (0.0, 0.4))
    assert only_passages(reading, None) == reading


RACE = (
    "Bekele's time of 2:04:12 was a record. "
    "The weather was cool and dry. "
    "Faith Chebet won the race in 2 hours 17 minutes 40 seconds."
)


class Spans:
    """Reads nothing: the spans given (words, sentence, fallback), best first."""

    def __init__(self, spans: list[tuple[str, int, bool]]) -> None:
        self.config = ReaderConfig(no_answer_below=0.05, rank_weight=0.0)
        made = [
            ReaderSpan(
                0, segment, RACE.index(words), RACE.index(words) + len(words), -float(n), 0.9, fallback
            )
            for n, (words, segment, fallback) in enumerate(spans)
        ]
        self.reading = Reading(tuple(made), (0.9,))

    def read(self, question: str, inputs: list[PassageInput], asked: object = None) -> Reading:
        return self.reading


def test_a_sentence_s_best_span_answers_only_where_the_window_s_best_are_ruled_out_and_it_says_what_was_asked() -> (
    None
):
    """The window's best span ("2:04:12", Bekele's time) is ruled out for Chebet's time; of
    the other sentences' best spans, one from a sentence of none of the question's words
    (the weather) is passed over, and the next, which says what was asked, answers."""
    question = "What was Faith Chebet's time?"
    retrieval = Retrieval(question, np.zeros(1, np.float32), [passage(RACE)])
    spans = [("2:04:12", 0, False), ("cool and dry", 1, True), ("2 hours 17 minutes 40 seconds", 2, True)]
    answerer = ReaderAnswerer(Spans(spans), idf=flat_idf)  # type: ignore[arg-type]
    assert answerer.answer(question, retrieval).text.startswith("**2 hours 17 minutes 40 seconds**")
    # a fallback comes after every one of a window's best, however it scores
    reading = Reading(tuple(reversed(Spans(spans).reading.spans)), (0.9,))
    assert [s.fallback for s in reading.ranked] == [False, True, True]
    assert all(not s.fallback for s in reading.without_fallbacks().spans)
    # with only the weather sentence left, the articles do not say (not "nothing more")
    weather = ReaderAnswerer(Spans(spans[:2]), idf=flat_idf)  # type: ignore[arg-type]
    assert weather.answer(question, retrieval, avoid=("Kenya",)).text == ABSTAIN_TEXT
