"""Answer types: what kind of answer a question asks for, and whether a sentence offers one
the question does not already hold."""

from __future__ import annotations

import pytest

from qa.answering.answer_types import AnswerType, classify_question, offers_answer_type, wants_short_answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When did the march start?", AnswerType.DATE),
        ("What year was the bridge opened?", AnswerType.DATE),
        ("In which month did the talks end?", AnswerType.DATE),
        ("How many people were evacuated?", AnswerType.NUMBER),
        ("How much did the bridge cost?", AnswerType.NUMBER),
        ("What percentage of voters agreed?", AnswerType.NUMBER),
        ("Who brokered the deal?", AnswerType.PERSON),
        ("Whose plan was adopted?", AnswerType.PERSON),
        ("Where did the convoy stop?", AnswerType.PLACE),
        ("Which city hosts the summit?", AnswerType.PLACE),
        ("Why did the council cut the budget?", AnswerType.REASON),
        ("What is the council's plan?", AnswerType.OTHER),
        ("Describe the deal.", AnswerType.OTHER),
    ],
)
def test_classify_question(question: str, expected: AnswerType) -> None:
    assert classify_question(question) is expected


def test_classify_question_ignores_case() -> None:
    assert classify_question("HOW MANY died?") is AnswerType.NUMBER


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks began on June 23.",
        "The bridge opened in 1932.",
        "The strike ended on Friday.",
        "It was built in the 19th century.",
    ],
)
def test_a_date_sentence_offers_a_date(sentence: str) -> None:
    assert offers_answer_type(sentence, AnswerType.DATE, "When did it happen?")


def test_a_sentence_without_a_date_offers_none() -> None:
    assert not offers_answer_type("The talks were long and tense.", AnswerType.DATE, "When did talks begin?")


def test_a_date_the_question_already_holds_is_not_offered() -> None:
    question = "What happened in June 2023?"
    assert not offers_answer_type("In June 2023 the talks were long.", AnswerType.DATE, question)
    assert offers_answer_type("In June 2023 the talks began; they ended in 2024.", AnswerType.DATE, question)


# --- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence", ["In the end 12 people died.", "Twelve people died.", "A dozen people died."]
)
def test_digits_and_number_words_offer_a_number(sentence: str) -> None:
    assert offers_answer_type(sentence, AnswerType.NUMBER, "How many people died?")


def test_a_sentence_without_a_number_offers_none() -> None:
    assert not offers_answer_type("Many people died.", AnswerType.NUMBER, "How many people died?")


def test_a_number_is_offered_even_when_its_digits_occur_in_the_question() -> None:
    assert offers_answer_type(
        "At least 150 people died.", AnswerType.NUMBER, "How many people died in the 2015 quake?"
    )


# --- people --------------------------------------------------------------------------


def test_a_novel_capitalised_name_offers_a_person() -> None:
    assert offers_answer_type(
        "The deal was brokered by Alexander Lukashenko.", AnswerType.PERSON, "Who brokered the deal?"
    )


def test_a_name_the_question_already_holds_is_not_offered() -> None:
    assert not offers_answer_type(
        "The talks with Prigozhin were tense.", AnswerType.PERSON, "Who led the talks with Prigozhin?"
    )


def test_a_capitalised_first_word_is_not_a_name() -> None:
    assert not offers_answer_type("Negotiators met at night.", AnswerType.PERSON, "Who met?")


def test_a_short_name_inside_a_question_word_is_still_offered() -> None:
    assert offers_answer_type("The party is led by Li.", AnswerType.PERSON, "Who leads the political party?")


# --- reasons and the rest ------------------------------------------------------------


def test_a_because_clause_offers_a_reason() -> None:
    question = "Why did the council cut the budget?"
    assert offers_answer_type("The council cut it because revenue fell.", AnswerType.REASON, question)
    assert not offers_answer_type("The council cut it on Monday.", AnswerType.REASON, question)


def test_nothing_offers_other() -> None:
    assert not offers_answer_type("In 1932 Lukashenko said 12.", AnswerType.OTHER, "What is it?")


@pytest.mark.parametrize(
    ("question", "short"),
    [
        # someone's account is a sentence's to tell, never a phrase of it
        ("What's her side of it?", False),
        ("What is Hebden's side of the story?", False),
        ("what's his story then", False),
        ("Why did the ferry run aground?", False),
        ("Did the council appeal?", False),
        # a name, a side of a thing, a story's title: a phrase answers them
        ("What is the name of the story?", True),
        ("What is the north side of the building called?", True),
        ("Who is the mayor?", True),
        ("What was the title of Sarah's story?", True),
        ("What's the name of Liverpool's side?", True),
        ("What is the company's side business?", True),
    ],
)
def test_which_questions_a_short_answer_may_answer(question: str, short: bool) -> None:
    assert wants_short_answer(question) is short
