"""Follow-up questions: history formats, when a question needs context, and rewriting it into
a standalone question by rule or by an LLM call that may fail."""

from __future__ import annotations

import pytest

from qa.chat import Turn, condense_by_rule, condense_question, needs_context, normalise_history

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
    ],
)
def test_standalone_questions_do_not_need_context(question: str) -> None:
    assert not needs_context(question)


# --- condensing by rule --------------------------------------------------------------


def test_condense_by_rule_carries_a_name_from_the_previous_question() -> None:
    condensed = condense_by_rule(FOLLOW_UP, normalise_history([PRIGOZHIN_QUESTION]))
    assert condensed.startswith(FOLLOW_UP)
    assert "Prigozhin" in condensed


def test_condense_by_rule_carries_names_from_the_previous_answer() -> None:
    condensed = condense_by_rule(FOLLOW_UP, normalise_history([(PRIGOZHIN_QUESTION, PRIGOZHIN_ANSWER)]))
    assert "Prigozhin" in condensed
    assert "Alexander Lukashenko" in condensed
    assert "[1]" not in condensed


def test_condense_by_rule_does_not_repeat_terms_the_question_has() -> None:
    condensed = condense_by_rule("And Prigozhin's negotiations?", normalise_history([PRIGOZHIN_QUESTION]))
    assert condensed.count("Prigozhin") == 1
    assert condensed.count("negotiations") == 1


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
        raise RuntimeError("provider down")

    condensed = condense_question(FOLLOW_UP, [PRIGOZHIN_QUESTION], complete)
    assert condensed == condense_by_rule(FOLLOW_UP, normalise_history([PRIGOZHIN_QUESTION]))
    assert "Prigozhin" in condensed


@pytest.mark.parametrize("reply", ["", "   ", '""'])
def test_condense_question_falls_back_to_the_rule_on_an_empty_rewrite(reply: str) -> None:
    condensed = condense_question(FOLLOW_UP, [PRIGOZHIN_QUESTION], lambda messages: reply)
    assert condensed == condense_by_rule(FOLLOW_UP, normalise_history([PRIGOZHIN_QUESTION]))


def test_condense_question_falls_back_to_the_rule_on_a_rambling_rewrite() -> None:
    condensed = condense_question(FOLLOW_UP, [PRIGOZHIN_QUESTION], lambda messages: "word " * 200)
    assert "Prigozhin" in condensed
    assert condensed.startswith(FOLLOW_UP)
