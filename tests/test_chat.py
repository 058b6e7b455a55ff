"""Follow-up questions: history formats, when a question needs context, and rewriting it into
a standalone question by rule or by an LLM call that may fail."""

from __future__ import annotations

import pytest

from qa.answering.chat import Turn, condense_by_rule, condense_question, needs_context, normalise_history
from qa.errors import LLMError

PRIGOZHIN_QUESTION = "Who led the negotiations with Prigozhin?"
PRIGOZHIN_ANSWER = "Alexander Lukashenko, the president of Belarus, led them [1]."
FOLLOW_UP = "When did he start his march?"


# --- history -------------------------------------------------------------------------


def test_normalise_history_of_strings_gives_user_turns() -> None:
    assert normalise_history(["First?", "Second?"]) == [Turn("user", "First?"), Turn("user", "Second?")]


def test_normalise_history_of_pairs_gives_question_and_answer_turns() -> None:
    assert normalise_history([("Q1?", "A1."), ["Q2?", None]]) == [
        Turn("user", "Q1?"),
        Turn("assistant", "A1."),
        Turn("user", "Q2?"),
    ]


def test_normalise_history_of_messages_keeps_roles_and_skips_empty_ones() -> None:
    messages = [
        {"role": "user", "content": "Q1?"},
        {"role": "assistant", "content": "A1."},
        {"role": "assistant", "content": "   "},
        {"role": "assistant", "content": None},
        {"content": "Q2?"},
    ]
    assert normalise_history(messages) == [
        Turn("user", "Q1?"),
        Turn("assistant", "A1."),
        Turn("user", "Q2?"),
    ]


def test_normalise_history_keeps_turns_and_ignores_none() -> None:
    assert normalise_history([Turn("assistant", "Hi.")]) == [Turn("assistant", "Hi.")]
    assert normalise_history(None) == []


# --- when a question needs context ---------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "When did he start his march?",
        "What did she say about it?",
        "Where did they go next?",
        "And the budget?",
        "What about Lyon?",
        "Why?",
        "When did he try to call Putin?",
        "Why did Putin refuse to speak to him?",
        "What did his friend Lukashenko say?",
        "Which other officials took part?",
        "Who else was there?",
        "When was that?",
        "What did Nordtide say in response?",
    ],
)
def test_follow_ups_need_context(question: str) -> None:
    assert needs_context(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who led the negotiations with Prigozhin?",
        "When did the Wagner convoy reach Voronezh?",
        "How much did the harbour bridge cost?",
        "What did Lukashenko gain from all this?",
        "What did Lukashenko say about his role?",
        "Did Putin also speak to Prigozhin?",
    ],
)
def test_standalone_questions_do_not_need_context(question: str) -> None:
    assert not needs_context(question)


# --- condensing by rule --------------------------------------------------------------


def messages(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    turns = []
    for question, answer in pairs:
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return turns


def test_a_pronoun_is_replaced_by_the_name_in_the_previous_question() -> None:
    condensed = condense_by_rule(FOLLOW_UP, normalise_history([PRIGOZHIN_QUESTION]))
    assert condensed == "When did Prigozhin start his march?"


def test_after_a_who_question_he_is_the_answer() -> None:
    history = messages(
        (PRIGOZHIN_QUESTION, "**Alexander Lukashenko**. The talks were led by Alexander Lukashenko. [1]")
    )
    assert condense_by_rule("Which country is he the dictator of?", history) == (
        "Which country is Alexander Lukashenko the dictator of?"
    )
    plain = messages((PRIGOZHIN_QUESTION, PRIGOZHIN_ANSWER))  # an answer without a short answer
    assert condense_by_rule("Where does he rule?", plain) == "Where does Alexander Lukashenko rule?"


def test_it_is_the_thing_the_previous_question_was_about() -> None:
    history = messages(
        ("How much did the harbour bridge cost?", "**310 million euros**. It cost 310 million euros. [1]")
    )
    assert condense_by_rule("When did it open?", history) == "When did the harbour bridge open?"
    convoy = messages(
        ("When did the Wagner convoy reach Voronezh?", "**On Saturday**. It did on Saturday. [1]")
    )
    assert condense_by_rule("How big was it?", convoy) == "How big was the Wagner convoy?"


def test_a_leading_and_goes_and_dates_are_not_people() -> None:
    history = messages(
        ("When did Prigozhin announce his march?", "**June 23**. On June 23, he announced it. [1]")
    )
    assert condense_by_rule("And what did he demand?", history) == "What did Prigozhin demand?"
    assert condense_by_rule("Where did he go afterwards?", history) == "Where did Prigozhin go afterwards?"


def test_an_ellipsis_asks_the_previous_question_of_its_new_subject() -> None:
    history = messages(
        ("How much compensation do the farmers want?", "**2 million euros**. They want 2 million. [1]")
    )
    assert (
        condense_by_rule("And what about the fishermen?", history)
        == "How much compensation do the fishermen want?"
    )


def test_a_bare_why_asks_the_previous_question_why() -> None:
    history = messages(
        ("When did the authorities start negotiating with Prigozhin?", "**On June 24**. x [1]")
    )
    assert condense_by_rule("Why?", history) == "Why did the authorities start negotiating with Prigozhin?"


def test_a_bare_how_many_counts_the_previous_question_s_subject() -> None:
    history = messages(
        ("Where will the doses be made?", "**Belgium**. The company plans to make them in Belgium. [1]")
    )
    assert condense_by_rule("How many?", history) == "How many doses will be made?"
    history = messages(("When will the tax be paid?", "**In March**. The tax is due in March. [1]"))
    assert condense_by_rule("How much?", history) == "How much tax will be paid?"
    # only of a passive: "When did the company pay the fine?" counts no companies
    history = messages(("When did the company pay the fine?", "**In May**. It paid in May. [1]"))
    assert condense_by_rule("How much?", history) == "How much did the company pay the fine?"
    history = messages(("Where did the protesters gather?", "**In the square**. They met there. [1]"))
    assert condense_by_rule("How many?", history) == "How many did the protesters gather?"


def test_follow_ups_are_resolved_through_earlier_follow_ups() -> None:
    history = messages(
        (PRIGOZHIN_QUESTION, "**Alexander Lukashenko**. The talks were led by Alexander Lukashenko. [1]"),
        ("What did he gain?", "**a unique opportunity**. It was a unique opportunity for Lukashenko. [1]"),
    )
    assert condense_by_rule("Where does he rule?", history) == "Where does Alexander Lukashenko rule?"


def test_condense_by_rule_never_appends_keywords() -> None:
    condensed = condense_by_rule(FOLLOW_UP, normalise_history([(PRIGOZHIN_QUESTION, PRIGOZHIN_ANSWER)]))
    assert "(" not in condensed and "[1]" not in condensed


def test_a_follow_up_that_says_other_is_asked_about_the_previous_topic() -> None:
    history = messages((PRIGOZHIN_QUESTION, "**Alexander Lukashenko**. The talks were led by him. [1]"))
    condensed = condense_by_rule("Which other officials took part?", history)
    assert condensed == "Which other officials took part, regarding who led the negotiations with Prigozhin?"
    when = condense_by_rule(
        "When was that?", messages(("What happened at Taronga Zoo?", "Foxes escaped. [1]"))
    )
    assert when == "When was that, regarding what happened at Taronga Zoo?"


def test_the_articles_choose_between_the_question_as_asked_and_with_its_topic() -> None:
    from qa.answering.chat import condense_alternatives

    history = messages((PRIGOZHIN_QUESTION, "**Alexander Lukashenko**. The talks were led by him. [1]"))
    unnamed = condense_alternatives("Which other officials took part?", history)
    # "other" than whom: the answer to the "who" question before
    assert unnamed == [
        "Which other officials took part besides Alexander Lukashenko, regarding who led the negotiations with Prigozhin?",
        "Which other officials took part, regarding who led the negotiations with Prigozhin?",
        "Which other officials took part?",
    ]
    named = condense_alternatives("What did Nordtide say in response?", history)
    assert named[0] == "What did Nordtide say in response?" and len(named) == 2


def test_a_follow_up_never_answers_with_a_name_of_the_previous_answer(seed_qa) -> None:  # type: ignore[no-untyped-def]
    first = seed_qa.answer(PRIGOZHIN_QUESTION)
    assert "Lukashenko" in (first.short_answer or "")
    history = [{"role": "user", "content": PRIGOZHIN_QUESTION}, {"role": "assistant", "content": first.text}]
    follow_up = seed_qa.answer("Which other officials took part?", history=history)
    assert "negotiations with Prigozhin" in (follow_up.standalone_question or "")
    assert follow_up.short_answer is None or "Lukashenko" not in follow_up.short_answer


def test_other_officials_are_others_than_the_people_just_asked_about(seed_qa) -> None:  # type: ignore[no-untyped-def]
    """ "Which other officials ...?" after questions about two officials' positions: the
    topic attached alone asks about a position; "besides" the two says who is excluded."""
    history: list[dict[str, str]] = []
    for question in ("What is Nikolai Patrushev's position?", "And Boris Grislov?"):
        answer = seed_qa.answer(question, history=history)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    follow_up = seed_qa.answer("Which other officials were among the negotiators?", history=history)
    assert "besides Boris Grislov and Nikolai Patrushev" in (follow_up.standalone_question or "")
    assert "Vaino" in (follow_up.short_answer or "")


def test_condense_by_rule_without_history_is_unchanged() -> None:
    assert condense_by_rule(FOLLOW_UP, []) == FOLLOW_UP


# --- condensing with an LLM ----------------------------------------------------------


def test_condense_question_without_history_is_unchanged() -> None:
    assert condense_question(FOLLOW_UP, None) == FOLLOW_UP
    assert condense_question(FOLLOW_UP, []) == FOLLOW_UP


def test_condense_question_leaves_a_standalone_question_alone() -> None:
    def complete(messages: list[dict[str, str]]) -> str:
        raise AssertionError("a standalone question needs no rewrite")

    question = "When did the Wagner convoy reach Voronezh?"
    assert condense_question(question, [PRIGOZHIN_QUESTION], complete) == question


def test_condense_question_uses_the_model_rewrite() -> None:
    seen: list[list[dict[str, str]]] = []

    def complete(messages: list[dict[str, str]]) -> str:
        seen.append(messages)
        return '  "When did Prigozhin start his march on Moscow?"  \n'

    history = [(PRIGOZHIN_QUESTION, PRIGOZHIN_ANSWER)]
    assert condense_question(FOLLOW_UP, history, complete) == "When did Prigozhin start his march on Moscow?"
    [messages] = seen
    assert [m["role"] for m in messages] == ["system", "user"]
    assert PRIGOZHIN_QUESTION in messages[1]["content"]
    assert PRIGOZHIN_ANSWER in messages[1]["content"]
    assert FOLLOW_UP in messages[1]["content"]


def test_condense_question_falls_back_to_the_rule_when_the_model_fails() -> None:
    def complete(messages: list[dict[str, str]]) -> str:
        raise LLMError("The model x did not answer (provider down)")

    condensed = condense_question(FOLLOW_UP, [PRIGOZHIN_QUESTION], complete)
    assert condensed == condense_by_rule(FOLLOW_UP, normalise_history([PRIGOZHIN_QUESTION]))
    assert "Prigozhin" in condensed


@pytest.mark.parametrize("reply", ["", "   ", '""'])
def test_condense_question_falls_back_to_the_rule_on_an_empty_rewrite(reply: str) -> None:
    condensed = condense_question(FOLLOW_UP, [PRIGOZHIN_QUESTION], lambda messages: reply)
    assert condensed == condense_by_rule(FOLLOW_UP, normalise_history([PRIGOZHIN_QUESTION]))


def test_condense_question_falls_back_to_the_rule_on_a_rambling_rewrite() -> None:
    condensed = condense_question(FOLLOW_UP, [PRIGOZHIN_QUESTION], lambda messages: "word " * 200)
    assert condensed == "When did Prigozhin start his march?"
