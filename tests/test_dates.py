"""Relative dates in news (issue 23, item 3): "on Friday", "yesterday", "last month" are
resolved against the article's publication date and shown beside the short answer; a
"latest" question prefers the newest of about equally good answers and says its date;
articles without a date are answered as before."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

from qa.answering import reader_answerer
from qa.answering.dates import (
    find_relative_dates,
    format_date,
    format_range,
    names_calendar_date,
    publication_date,
    resolved_label,
)
from qa.answering.reader import PassageInput, ReaderConfig, ReaderSpan, Reading
from qa.answering.reader_answerer import (
    ReaderAnswerer,
    asks_for_latest,
    date_note,
    newest_first,
)
from qa.answering.retrieval import Passage, Retrieval
from qa.index import Index
from qa.pipeline import QA, quoted_sentences
from qa.types import Answer, Article, Chunk, Hit, Sentence

MONDAY = date(2023, 6, 26)
FRIDAY = date(2023, 6, 23)


# --- resolving phrases -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a weekday alone: the latest such day on or before the publication date
        ("on Friday", MONDAY, "23 June 2023"),
        ("Friday's vote", MONDAY, "23 June 2023"),
        ("on Monday", MONDAY, "26 June 2023"),
        ("on Tuesday", MONDAY, "20 June 2023"),
        ("on Friday", FRIDAY, "23 June 2023"),
        ("on Saturday", FRIDAY, "17 June 2023"),
        # "last": before the publication date; "next": after it
        ("last Friday", FRIDAY, "16 June 2023"),
        ("last Friday", MONDAY, "23 June 2023"),
        ("this past Sunday", MONDAY, "25 June 2023"),
        ("next Monday", FRIDAY, "26 June 2023"),
        ("next Friday", FRIDAY, "30 June 2023"),
        ("next Monday", MONDAY, "3 July 2023"),
        ("this coming Wednesday", MONDAY, "28 June 2023"),
        ("ON FRIDAY", MONDAY, "23 June 2023"),
    ],
)
def test_weekday_names(text: str, published: date, expected: str) -> None:
    assert resolved_label(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("yesterday", MONDAY, "25 June 2023"),
        ("today", MONDAY, "26 June 2023"),
        ("tonight", MONDAY, "26 June 2023"),
        ("last night", MONDAY, "25 June 2023"),
        ("tomorrow", MONDAY, "27 June 2023"),
        ("two days ago", MONDAY, "24 June 2023"),
        ("a week ago", MONDAY, "19 June 2023"),
        ("last week", MONDAY, "19–25 June 2023"),
        ("this week", MONDAY, "26 June – 2 July 2023"),
        ("earlier this week", date(2023, 6, 28), "26–28 June 2023"),
        ("next week", MONDAY, "3–9 July 2023"),
        ("last weekend", MONDAY, "24–25 June 2023"),
        ("last weekend", date(2023, 6, 25), "17–18 June 2023"),
        ("last month", MONDAY, "May 2023"),
        ("earlier this month", MONDAY, "June 2023"),
        ("next month", MONDAY, "July 2023"),
        ("three months ago", MONDAY, "March 2023"),
        ("last year", MONDAY, "2022"),
        ("earlier this year", MONDAY, "2023"),
        ("a year ago", MONDAY, "2022"),
    ],
)
def test_days_weeks_months_years(text: str, published: date, expected: str) -> None:
    assert resolved_label(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # month ends
        ("on Friday", date(2023, 7, 3), "30 June 2023"),
        ("yesterday", date(2023, 7, 1), "30 June 2023"),
        ("tomorrow", date(2023, 4, 30), "1 May 2023"),
        ("yesterday", date(2024, 3, 1), "29 February 2024"),  # a leap year
        ("yesterday", date(2023, 3, 1), "28 February 2023"),
        ("last week", date(2023, 6, 1), "22–28 May 2023"),
        ("last week", date(2023, 7, 4), "26 June – 2 July 2023"),
        ("last month", date(2023, 3, 31), "February 2023"),
        ("next Monday", date(2023, 6, 30), "3 July 2023"),
        # year ends
        ("yesterday", date(2024, 1, 1), "31 December 2023"),
        ("tomorrow", date(2023, 12, 31), "1 January 2024"),
        ("on Saturday", date(2024, 1, 1), "30 December 2023"),
        ("next Tuesday", date(2023, 12, 29), "2 January 2024"),
        ("last week", date(2023, 1, 3), "26 December 2022 – 1 January 2023"),
        ("last month", date(2024, 1, 15), "December 2023"),
        ("next month", date(2023, 12, 10), "January 2024"),
        ("three months ago", date(2024, 2, 10), "November 2023"),
        ("last year", date(2024, 1, 1), "2023"),
    ],
)
def test_across_month_and_year_ends(text: str, published: date, expected: str) -> None:
    assert resolved_label(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Good Friday",
        "Super Tuesday",
        "every Friday",
        "on Fridays",
        "Friday, June 23",
        "Friday 23 June",
        "this weekend",  # the one before or the one after: not placed
        "in 2019",
        "a day of talks",
    ],
)
def test_what_is_not_a_relative_date(text: str) -> None:
    assert find_relative_dates(text, MONDAY) == []


def test_phrases_are_found_in_place_in_a_sentence() -> None:
    text = "Talks began on Friday and ended yesterday, two days before the vote planned last month."
    found = find_relative_dates(text, MONDAY)
    assert [(r.phrase, r.label) for r in found] == [
        ("Friday", "23 June 2023"),
        ("yesterday", "25 June 2023"),
        ("last month", "May 2023"),
    ]
    assert all(text[r.start : r.end] == r.phrase for r in found)
    assert resolved_label("Friday and Saturday", MONDAY) == "Friday: 23 June 2023; Saturday: 24 June 2023"
    assert resolved_label("on Friday, late on Friday", MONDAY) == "23 June 2023"  # one day, named once


def test_publication_dates_and_formats() -> None:
    assert publication_date("2023-06-26") == MONDAY
    assert publication_date("2023-06-26T08:30:00+02:00") == MONDAY
    assert publication_date(None) is None
    assert publication_date("") is None
    assert publication_date("last summer") is None  # a date the loader could not read
    assert format_date(date(2023, 6, 5)) == "5 June 2023"
    assert format_range(date(2022, 1, 1), date(2022, 12, 31)) == "2022"
    assert format_range(date(2023, 2, 1), date(2023, 2, 28)) == "February 2023"
    assert format_range(date(2023, 5, 29), date(2023, 6, 4)) == "29 May – 4 June 2023"
    assert names_calendar_date("June 23") and names_calendar_date("in 2019")
    assert not names_calendar_date("after the vote")


# --- the answer's date notes -------------------------------------------------------------


def article(published: str | None, text: str = "The council voted on Friday.", name: str = "a") -> Article:
    return Article(id=name, title=name.title(), text=text, published=published)


@pytest.mark.parametrize(
    ("question", "short", "published", "latest", "expected"),
    [
        ("When did the council vote?", "Friday", "2023-06-26", False, "23 June 2023"),
        ("What happened last week?", "the vote on Friday", "2023-06-26", False, "23 June 2023"),
        ("When did the council vote?", "after the debate", "2023-06-26", False, "reported 26 June 2023"),
        ("When did the council vote?", "June 23", "2023-06-26", False, ""),  # a calendar date
        ("Who chaired the vote?", "Mira Hest", "2023-06-26", False, ""),
        ("What is the latest figure?", "310 million", "2023-06-26", True, "as of 26 June 2023"),
        ("When was the latest vote?", "Friday", "2023-06-26", True, "23 June 2023; as of 26 June 2023"),
        ("When did the council vote?", "Friday", None, False, ""),  # no date: nothing changes
        ("What is the latest figure?", "310 million", None, True, ""),
    ],
)
def test_date_note(question: str, short: str, published: str | None, latest: bool, expected: str) -> None:
    assert date_note(question, short, article(published), latest) == expected


@pytest.mark.parametrize(
    ("question", "latest"),
    [
        ("What is the latest estimate?", True),
        ("What is the most recent figure?", True),
        ("Who is currently in charge?", True),
        ("Who leads the council now?", True),
        ("Which is the newest ferry?", True),
        ("Who is the current mayor?", True),
        ("What did the mayor know?", False),
        ("When did the council vote?", False),
    ],
)
def test_asks_for_latest(question: str, latest: bool) -> None:
    assert asks_for_latest(question) is latest


def passage(name: str, text: str, published: str | None) -> Passage:
    """A one-passage article whose every sentence may answer."""
    item = Article(id=name, title=name.title(), text=text, published=published)
    chunk = Chunk(id=f"{name}-0", article_id=name, ordinal=0, text=text, start=0, end=len(text))
    bounds = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]
    sentences = tuple(Sentence(start + (text[start] == " "), end) for start, end in bounds)
    return Passage(Hit(chunk, item, 1.0, 1), sentences, np.zeros((len(sentences), 1), np.float32), 1.0)


def span_of(passages: Sequence[Passage], index: int, words: str, score: float) -> ReaderSpan:
    """A reader span over `words` in passage `index` (its first sentence)."""
    start = passages[index].hit.chunk.text.index(words)
    return ReaderSpan(index, 0, start, start + len(words), score, 0.9)


class StubReader:
    """Reads nothing: gives the spans it was made with."""

    def __init__(self, spans: Sequence[ReaderSpan], passages: int) -> None:
        self.config = ReaderConfig(no_answer_below=0.5, rank_weight=0.0)
        self.reading = Reading(tuple(spans), tuple(0.9 for _ in range(passages)))

    def read(self, question: str, inputs: Sequence[PassageInput], asked: object = None) -> Reading:
        return self.reading


BRIDGE_OLD = "Repairs to the Elm bridge will cost 12 million euros, engineers said. Work starts soon."
BRIDGE_NEW = "Repairs to the Elm bridge will now cost 15 million euros, the office said. Work starts soon."


def bridge_answer(question: str, old_score: float, new_score: float, new_published: str | None) -> str:
    passages = [passage("old", BRIDGE_OLD, "2023-03-02"), passage("new", BRIDGE_NEW, new_published)]
    spans = [
        span_of(passages, 0, "12 million euros", old_score),
        span_of(passages, 1, "15 million euros", new_score),
    ]
    spans.sort(key=lambda s: -s.score)
    answerer = ReaderAnswerer(StubReader(spans, 2))  # type: ignore[arg-type]
    draft = answerer.answer(question, Retrieval(question, np.zeros(1, np.float32), passages))
    citation = draft.citations[0]
    text = {"old": BRIDGE_OLD, "new": BRIDGE_NEW}[citation.article_id]
    assert citation.quote == text[citation.start : citation.end] and citation.quote in draft.text
    assert draft.short_answer == text[citation.answer_start : citation.answer_end]
    return draft.text


def test_latest_question_prefers_the_newest_of_close_answers() -> None:
    question = "What is the latest cost of the Elm bridge repairs?"
    close = bridge_answer(question, -1.0, -1.0 - 0.9 * reader_answerer.RECENT_TOLERANCE, "2023-09-14")
    assert close == (
        "**15 million euros** (as of 14 September 2023). Repairs to the Elm bridge will now cost "
        "15 million euros, the office said. [1]"
    )
    # far less likely: the best answer stands, and says its date
    far = bridge_answer(question, -1.0, -1.0 - 1.5 * reader_answerer.RECENT_TOLERANCE, "2023-09-14")
    assert far.startswith("**12 million euros** (as of 2 March 2023). Repairs")
    # a question that does not ask for the latest takes the best answer, with no note
    plain = bridge_answer("What is the cost of the Elm bridge repairs?", -1.0, -1.2, "2023-09-14")
    assert plain.startswith("**12 million euros**. Repairs")
    # an undated article counts as today's, and its answer carries no date
    undated = bridge_answer(question, -1.0, -1.2, None)
    assert undated.startswith("**15 million euros**. Repairs")


def test_newest_first_keeps_score_order_within_a_date_and_the_rest_after() -> None:
    passages = [
        passage("old", BRIDGE_OLD, "2023-03-02"),
        passage("new", BRIDGE_NEW, "2023-09-14"),
        passage("none", "Nothing here at all.", None),
    ]
    best = span_of(passages, 0, "12 million euros", -1.0)
    new = span_of(passages, 1, "15 million euros", -1.5)
    new_part = span_of(passages, 1, "15 million", -1.8)
    far = span_of(passages, 2, "Nothing", -9.0)
    reading = Reading((best, new, new_part, far), (0.9, 0.9, 0.1))
    ordered = newest_first(reading, passages, best, 0.0, 1.0, today=date(2024, 1, 1))
    assert ordered.spans == (new, new_part, best, far)
    assert newest_first(reading, passages, best, 0.0, 0.0).spans == reading.spans


def test_a_sentence_answer_to_a_latest_question_says_its_date_after_the_marker() -> None:
    question = "Why is the Elm bridge currently closed?"
    passages = [passage("new", BRIDGE_NEW, "2023-09-14")]
    answerer = ReaderAnswerer(StubReader([span_of(passages, 0, "15 million euros", -1.0)], 1))  # type: ignore[arg-type]
    draft = answerer.answer(question, Retrieval(question, np.zeros(1, np.float32), passages))
    assert draft.text == (
        "Repairs to the Elm bridge will now cost 15 million euros, the office said. [1] (as of 14 September 2023)"
    )


def test_a_dated_answer_still_names_its_quote_for_follow_ups() -> None:
    """A follow-up finds the article an answer came from by its quoted sentence: the date
    notes never join that sentence."""
    quote = "Repairs to the Elm bridge will now cost 15 million euros, the office said."
    assert quoted_sentences(f"**15 million euros** (as of 14 September 2023). {quote} [1]") == [quote]
    assert quoted_sentences(f"**Friday** (23 June 2023). {quote} [1]") == [quote]
    assert quoted_sentences(f"{quote} [1] (as of 14 September 2023)") == [quote]


# --- end to end: a small dated collection, the real embedder and reader ---------------------

DATED = [
    {
        "id": "ferry",
        "title": "Harbour council approves ferry budget",
        "published": "2023-06-26",
        "source": "Coast Herald",
        "text": "The harbour council approved the new ferry budget on Friday after a three-hour debate. "
        "The budget sets aside 4 million euros for two electric ferries. Councillor Mira Hest said the "
        "vote was the closest in a decade. The first ferry is due to enter service next spring.",
    },
    {
        "id": "bridge-old",
        "title": "Elmbrook bridge repairs to cost 12 million euros",
        "published": "2023-03-02",
        "source": "City Post",
        "text": "Repairing the Elmbrook bridge will cost 12 million euros, engineers from the transport "
        "office estimated last week. The bridge has been closed to lorries since January. Work is "
        "expected to start in the summer and last two years.",
    },
    {
        "id": "bridge-new",
        "title": "Corroded cables push up Elmbrook bridge bill",
        "published": "2023-09-14",
        "source": "Valley News",
        "text": "Inspectors found corroded cables inside the Elmbrook bridge this summer. The transport "
        "office said on Tuesday that repairing the bridge will now cost 15 million euros. Cyclists "
        "may still cross while the work goes on.",
    },
]
UNDATED = (
    "Museum reopens after flood\n\nThe town museum reopened on Friday after flood repairs that took "
    "eight months. Visitors queued for an hour to see the restored mosaics.\n"
)


@pytest.fixture(scope="module")
def dated_qa(tmp_path_factory: pytest.TempPathFactory) -> QA:
    """A QA over three dated articles (JSON Lines) and an undated one (a text file)."""
    folder = tmp_path_factory.mktemp("dated") / "news"
    folder.mkdir()
    (folder / "news.jsonl").write_text("\n".join(json.dumps(r) for r in DATED), encoding="utf-8")
    (folder / "museum.txt").write_text(UNDATED, encoding="utf-8")
    index_dir = folder.parent / "index"
    with Index.open(index_dir) as index:
        report = index.add([folder])
    assert len(report.added) == 4 and not report.skipped
    return QA.open(index_dir)


def check_citation(answer: Answer) -> None:
    """The quote is the article's text, verbatim, and the short answer lies inside it."""
    texts = {r["id"]: r["text"] for r in DATED}
    citation = answer.citations[0]
    if citation.article_id in texts:
        text = texts[citation.article_id]
        assert citation.quote == text[citation.start : citation.end]
        assert answer.short_answer == text[citation.answer_start : citation.answer_end]
    assert citation.quote in answer.text


def test_end_to_end_relative_dates_and_latest(dated_qa: QA, monkeypatch: pytest.MonkeyPatch) -> None:
    when = dated_qa.answer("When did the harbour council approve the ferry budget?")
    assert when.text == (
        "**Friday** (23 June 2023). The harbour council approved the new ferry budget on Friday after "
        "a three-hour debate. [1]"
    )
    check_citation(when)

    undated = dated_qa.answer("When did the town museum reopen?")  # no date: as before
    assert undated.text.startswith("**Friday**. The town museum reopened on Friday")
    assert "(" not in undated.text

    engineers = dated_qa.answer("When did engineers estimate the cost of the Elmbrook bridge repairs?")
    assert engineers.text.startswith("**last week** (20–26 February 2023). Repairing the Elmbrook bridge")
    check_citation(engineers)

    newest = dated_qa.answer("What is the newest estimate for the Elmbrook bridge repairs?")
    assert newest.short_answer == "15 million euros" and newest.citations[0].article_id == "bridge-new"
    assert newest.text.startswith("**15 million euros** (as of 14 September 2023). The transport office")
    check_citation(newest)

    # without the preference the reader's own best stands (the older estimate for the reader of
    # stage 2, the newer for stage 3: that the preference decides between close answers is
    # shown on fixed scores in test_latest_question_prefers_the_newest_of_close_answers), and
    # says the date of its article all the same
    monkeypatch.setattr(reader_answerer, "RECENT_TOLERANCE", 0.0)
    best = dated_qa.answer("What is the newest estimate for the Elmbrook bridge repairs?")
    estimates = {
        "bridge-old": "**12 million euros** (as of 2 March 2023).",
        "bridge-new": "**15 million euros** (as of 14 September 2023).",
    }
    assert best.text.startswith(estimates[best.citations[0].article_id])
    check_citation(best)
