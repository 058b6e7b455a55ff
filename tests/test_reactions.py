"""A question about a reaction is read as what was said: news reports reactions as speech
("called the strike 'regrettable'"), which the reader finds no "react" or "think" in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import seeds_and_article

from qa.answering.reactions import said_reading
from qa.pipeline import QA

STRIKE = """Teachers in Valmora walk out over pay and class sizes

VALMORA, May 6 - Thousands of teachers in the province of Valmora went on strike on Monday, \
closing more than 400 schools, after talks with the provincial government over pay broke down \
last week.

The union is demanding a 9 percent pay rise over two years and a legal cap of 28 pupils per \
class in primary schools. The government has offered 4.5 percent.

Education Minister Karl Dujardin called the strike "regrettable" and said the government's \
offer was fair given the state of the provincial budget.

Union leader Isabel Marchetti said some classes now had 35 children and that teachers were \
leaving the profession faster than they could be replaced.
"""


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("How did the minister react?", "What did the minister say?"),
        ("How did Morgan react to the request?", "What did Morgan say about the request?"),
        ("What does the union think?", "What did the union say?"),
        ("What did Luther think of Purgatory?", "What did Luther say about Purgatory?"),
        ("how are the scooter firms taking it?", "What did the scooter firms say?"),
        ("What was the union's reaction to the closure?", "What did the union say about the closure?"),
        ("What was the reaction of the union?", "What did the union say?"),
        ("What did Nordtide say in response?", "What did Nordtide say?"),
        ("How did the minister react, regarding Valmora?", "What did the minister say, regarding Valmora?"),
        ("How did the fans take it?", "What did the fans say?"),
        ("How did the club take the defeat?", "What did the club say about the defeat?"),
        # "What about" someone asks what they said (beside what the articles say of them)
        ("What about the mayor?", "What did the mayor say?"),
        ("And what about Aisha Rahman?", "What did Aisha Rahman say?"),
        # one's side of a dispute is what one says of it
        ("What's her side of it?", "What did she say?"),
        ("What is Hebden's side of the story?", "What did Hebden say?"),
        ("What was the union's side, regarding Valmora?", "What did the union say, regarding Valmora?"),
        # the rest of the question stays
        (
            "How did Luther respond after being asked if the books were his?",
            "What did Luther say after being asked if the books were his?",
        ),
    ],
)
def test_a_reaction_is_asked_as_what_was_said(question: str, said: str) -> None:
    assert said_reading(question) == said


@pytest.mark.parametrize(
    "question",
    [
        "What did Tesla think could improve the brain's intelligence?",  # a thought, not a reaction
        "Who responded?",
        "Did the vaccine respond well?",
        "How do students rate teachers that they feel are enthusiastic?",
        "What did the minister say?",
        # a yes/no question asks whether: never made a question of what was said
        "Did Vantor respond to that?",
        "Did the company respond to requests for comment?",
        # responses that are no speech
        "How did the patient respond to treatment?",
        "How did the club respond on the pitch?",
        "How did they take the money?",
        # "What about" a thing asks more than what it said
        "What about the museum?",
        "What about the older one it was meant to replace?",
        # a side that is a place's or a thing's
        "What is the north side of the building?",
        "What side of the river is the castle on?",
        "What was the bridge's side?",
        "What was her side of the family like?",
        "What is London's side of the river?",
        "What is the B side?",
        "What is the Labour side?",
    ],
)
def test_other_questions_have_no_said_reading(question: str) -> None:
    assert said_reading(question) is None


@pytest.fixture(scope="module")
def strike_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("strike"), "valmora-strike.txt", STRIKE) as qa:
        yield qa


@pytest.mark.parametrize("question", ["How did the minister react?", "What does the minister think?"])
def test_the_articles_answer_a_reaction_by_what_was_said(strike_qa: QA, question: str) -> None:
    # the reader alone refuses the question as asked: no sentence says "react" or "think"
    retrieval = strike_qa._retrieve(question, None, None, (), None)
    assert strike_qa.extractive.answer(question, retrieval).abstained
    answer = strike_qa.answer(question)
    assert not answer.abstained
    assert answer.standalone_question == "What did the minister say?"  # shown as searched for
    assert "Karl Dujardin" in answer.citations[0].quote


def test_only_someone_who_may_speak_is_asked_what_was_said() -> None:
    assert said_reading("How did the shares react?") is None  # shares fell; they said nothing
    assert said_reading("How did the stock market react to the news?") is None
    # nor markets and what is traded, named or not
    for moved in ("Tesla shares", "Nvidia stock", "Brent crude", "Asian markets", "the Nasdaq", "the yen"):
        assert said_reading(f"How did {moved} react?") is None, moved
    assert said_reading("How did Nordvik Bank react?") == "What did Nordvik Bank say?"
    # a company named with a market's word is a company; rivals speak
    assert said_reading("How did Gold Fields react?") == "What did Gold Fields say?"
    assert said_reading("How did Vantor's rivals react?") == "What did Vantor's rivals say?"
    assert said_reading("How did the scooter firms react?") == "What did the scooter firms say?"
    assert said_reading("How did residents react?") == "What did residents say?"
