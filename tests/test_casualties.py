"""Whether anyone was hurt: a yes/no question of casualties is answered from the sentence of
the story that tells of the dead, the hurt or the sick, in the story's own words, with the
real reader over a real index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest
from conftest import seeds_and_article

from qa.answering.casualties import casualties_asked, tells_of_casualties
from qa.pipeline import QA

STORY = """Gas leak forces evacuation of Dunmere school

DUNMERE, Sept 9 -
About 600 pupils were evacuated from Dunmere High School on Thursday morning after a gas \
main ruptured under the sports hall, the town's fire service said.

Nine pupils and a teacher were taken to hospital with dizziness and headaches, and two of \
them were kept overnight for observation, the regional health board said.

Workers from the gas company sealed the main by early afternoon. The school will stay \
closed until Monday while engineers check the building.

In 2014 a boiler fire at the same school killed a caretaker.

Parents said they had complained about a smell of gas for weeks.
"""


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Was anyone hurt?", "injury"),
        ("Did anyone suffer injuries?", "injury"),
        ("Did anybody sustain serious injuries?", "injury"),
        ("Did anyone suffer losses?", None),
        ("Were there any casualties?", "injury"),
        ("Anyone in hospital?", "injury"),
        ("Did anyone die?", "death"),
        ("Has anyone died, regarding Sicily?", "death"),
        ("Were any people infected?", "illness"),
        ("Has anyone got sick from it?", "illness"),
        ("Did anyone lose their lives?", "death"),
        # a count, or another thing anyone did, is asked otherwise, also of a harm
        ("How many people died?", None),
        ("Was anyone arrested?", None),
        ("Is anyone planning to replace it?", None),
        ("Was anyone arrested over the killing?", None),
        ("Did anyone see who killed him?", None),
        ("Did anyone visit the hospital?", None),
        ("Has anyone been treated unfairly?", None),
        ("Did anyone comment on the cases?", None),
        # another time is asked of another story
        ("Did anyone die in 2009?", None),
    ],
)
def test_which_questions_ask_whether_anyone_was_harmed(question: str, kind: str | None) -> None:
    assert casualties_asked(question) == kind


def test_which_sentences_tell_of_harm() -> None:
    today = date(2026, 9, 9)
    hurt = "Nine pupils and a teacher were taken to hospital with dizziness and headaches."
    assert tells_of_casualties(hurt, "injury", today) > tells_of_casualties(hurt, "death", today) > 0
    assert tells_of_casualties("No human cases have been reported.", "illness", today) > 0
    assert tells_of_casualties("No one was hurt.", "injury", today) > 0
    assert tells_of_casualties("No-one was hurt.", "injury", today) > 0  # spelt with a hyphen too
    assert tells_of_casualties("The crew returned to Earth safely.", "death", today) > 0
    # no one harmed is told, or of an earlier time
    assert tells_of_casualties("The hospital is being expanded.", "injury", today) == 0
    assert tells_of_casualties("In 2014 a boiler fire at the school killed a caretaker.", "death", today) == 0
    zone = "Marsh declared a 10-kilometre control zone around the infected farms."
    assert tells_of_casualties(zone, "illness", today) == 0  # a count of no people
    assert tells_of_casualties("The blast killed at least 12 and injured 40.", "death", today) > 0
    # words of harm said of no harm
    for unharmed in (
        "The man was treated unfairly by his employer.",
        "Staff at the hospital were praised.",
        "The workers survived a round of job cuts.",
        "Customers were ill-served by the bank.",
    ):
        assert tells_of_casualties(unharmed, "injury", today) == 0, unharmed
    assert tells_of_casualties("The blast destroyed the market, killing at least 12.", "death", today) > 0


def test_the_sentence_of_harm_is_of_what_was_asked() -> None:
    from qa.answering.casualties import casualties
    from qa.answering.retrieval import Passage
    from qa.types import Article, Chunk, Hit, Sentence

    def passage(text: str) -> Passage:
        article = Article(id="a", title="A", text=text)
        chunk = Chunk(id="a#0", article_id="a", ordinal=0, text=text, start=0, end=len(text))
        return Passage(
            Hit(chunk, article, 1.0, 1), (Sentence(0, len(text)),), np.zeros((1, 1), np.float32), 1.0
        )

    apollo = passage(
        "Apollo 13 was the seventh crewed mission of the Apollo program. "
        "The program went on despite the 1967 Apollo 1 cabin fire that killed the entire crew."
    )
    # another of a numbered name the question says is another story
    assert casualties("Was anyone killed, regarding Apollo 13?", "death", [apollo], ("a",)) is None
    assert casualties("Was anyone killed, regarding Apollo 1?", "death", [apollo], ("a",)) is not None
    text = "Three children were taken to hospital on Saturday. Two of the children were released on Sunday, the hospital said."
    rink = passage(text)
    # how things stand, where asked
    still = casualties("Anyone still in hospital?", "injury", [rink], ("a",))
    assert still is not None and text[still.start : still.end].startswith("Two of the children were released")
    first = casualties("Was anyone hurt?", "injury", [rink], ("a",))
    assert first is not None and text[first.start : first.end].startswith("Three children")
    # "no one seriously hurt" is quoted with the harm told before it in its paragraph
    from qa.answering.casualties import with_the_harm_before
    from qa.answering.story_sentences import Found

    told = "Three people were taken to hospital with minor injuries. No one was seriously hurt."
    ferry = passage(told)
    no_one = Found(ferry, told.index("No one"), len(told))
    assert with_the_harm_before(no_one, "injury").start == 0
    for denial in ("Police said no one was seriously hurt.", "There were no fatalities."):
        both = f"Two men were taken to hospital. {denial}"
        assert with_the_harm_before(Found(passage(both), both.index(denial), len(both)), "injury").start == 0
    alone = passage("The ferry ran aground. No one was seriously hurt.")
    said = Found(alone, 23, 49)
    assert with_the_harm_before(said, "injury") == said


@pytest.fixture(scope="module")
def school_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("casualties"), "gas-leak.txt", STORY) as qa:
        yield qa


def test_was_anyone_hurt_is_answered_from_the_story(school_qa: QA) -> None:
    opening = "What happened at Dunmere High School?"
    history = [
        {"role": "user", "content": opening},
        {"role": "assistant", "content": school_qa.answer(opening).text},
    ]
    for asked in ("Was anyone hurt?", "anyone in hospital?", "Were there any casualties?"):
        answer = school_qa.answer(asked, history)
        assert not answer.abstained, asked
        assert answer.citations[0].quote.startswith("Nine pupils and a teacher were taken to hospital"), asked
    # the caretaker killed in 2014 is the school's history, not this leak's
    died = school_qa.answer("Did anyone die?", history)
    assert "2014" not in died.text
    # asked with nothing to say what of, it is not answered from a story's casualties
    alone = school_qa.answer("Was anyone hurt?")
    assert alone.abstained or "Nine pupils" not in alone.text
