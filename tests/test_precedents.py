"""Whether it has happened before: a yes/no question of a precedent is answered from the
sentence of the story that tells of an earlier time (its history paragraph), not from its
lead, with the real reader over a real index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from conftest import seeds_and_article

from qa.answering.precedents import asks_precedent, tells_of_a_precedent
from qa.pipeline import QA

STORY = """Marlow footbridge closed after cable snaps

ELSTEAD, May 4 -
Council engineers closed the Marlow footbridge over the river Wey on Monday after one of \
its suspension cables snapped during the morning rush, leaving commuters to walk an extra \
two kilometres to the station.

Nobody was on the span when the cable failed, the council said. Engineers found rust inside \
the anchor housing and said every cable would be replaced before the bridge reopens.

"We will not reopen a bridge we cannot vouch for," said Priya Holloway, the council's head \
of highways. She said the repairs would take about three months.

It is not the first time the crossing has been shut. In 2011 it was closed for eight weeks \
after floodwater tore away part of its deck, and repairs cost 900,000 pounds.

Local shopkeepers said trade had fallen by a third since Monday.
"""


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Has it been closed before?", True),
        ("has this happened before?", True),
        ("Has this happened before, regarding the Marlow footbridge?", True),
        ("Has that rocket ever failed?", True),
        ("Had the cables been checked previously?", True),
        ("Is this the first time the bridge has shut?", True),
        ("Has anything like this been seen in the past?", True),
        # a time of its own, a time to come, a first or a superlative of this story, or no
        # yes/no question
        ("Did anyone warn them before the collapse?", False),
        ("Will it close before?", False),
        ("Is it the first game of the season?", False),
        ("Has it been the hottest summer ever?", False),
        ("Did he live in the past?", False),
        ("What did she do before politics?", False),
        ("When was it closed before?", False),
        ("Has the bridge reopened?", False),
    ],
)
def test_which_questions_ask_for_a_precedent(question: str, asks: bool) -> None:
    assert asks_precedent(question) is asks


@pytest.mark.parametrize(
    ("sentence", "tells"),
    [
        ("In 2011 it was closed for eight weeks after floodwater tore away part of its deck.", True),
        ("In March 2019, Meridian was fined $85,000 after a diesel leak.", True),
        ("It was the first failure in 23 flights of the Astra-7.", True),
        ("The outbreak is the district's first since 2014.", True),
        ("It was the second collapse at the mine in five years.", True),
        ("It is not the first leak to hit the board.", True),
        # a year to come, a time of today's story, or a record beaten is no precedent
        ("In 2031 the bridge will be replaced.", False),
        ("The bridge was shut at 4 p.m. on Monday.", False),
        ("The distance beat the previous mark of 49 kilometres.", False),
        # a count that opens with no year, nor a year of something else
        ("In total 2000 people were evacuated.", False),
        ("In 2000 homes the power went out.", False),
        ("In the 2019 election, Labour won.", False),
        ("He had appeared before a judge on Monday.", False),
        ("It had never happened before.", True),
        ("In 2016 part of a chemistry paper was posted online.", True),
        ("In 2019 this bridge was shut too.", True),
    ],
)
def test_which_sentences_tell_of_an_earlier_time(sentence: str, tells: bool) -> None:
    assert tells_of_a_precedent(sentence, date(2026, 5, 4)) is tells


@pytest.fixture(scope="module")
def bridge_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("precedent"), "footbridge.txt", STORY) as qa:
        yield qa


def test_has_it_happened_before_is_answered_from_the_story_history(bridge_qa: QA) -> None:
    history = [
        {"role": "user", "content": "What happened to the Marlow footbridge?"},
        {"role": "assistant", "content": bridge_qa.answer("What happened to the Marlow footbridge?").text},
    ]
    for asked in ("Has it been closed before?", "Has this happened before?"):
        answer = bridge_qa.answer(asked, history)
        assert not answer.abstained, asked
        # the sentence that says when, with the one before it where that only says "not
        # the first time"
        quote = answer.citations[0].quote
        assert "In 2011 it was closed for eight weeks" in quote, asked
        assert quote.startswith(("In 2011", "It is not the first time")), asked
        assert answer.citations[0].title == "Marlow footbridge closed after cable snaps"
    # asked standalone, of the bridge by name: the same
    alone = bridge_qa.answer("Has the Marlow footbridge been closed before?")
    assert alone.citations and "In 2011 it was closed" in alone.citations[0].quote
    # another question of the story is answered as before, not from its history
    repairs = bridge_qa.answer("How long will the repairs to the Marlow footbridge take?")
    assert "2011" not in repairs.text and "three months" in repairs.text


def test_no_precedent_of_another_story_answers(bridge_qa: QA) -> None:
    # the seed article tells of no earlier time of what is asked: no sentence of the
    # footbridge story's history answers a question about something else
    answer = bridge_qa.answer("Has the dam been breached before?")
    assert answer.abstained or "2011" not in answer.text
