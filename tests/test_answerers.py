"""The answerer registry: names, the old name "extractive", abilities, what each face offers."""

from __future__ import annotations

from typing import Any

import pytest

from qa.answering import registry
from qa.answering.answerer import Answerer, Draft
from qa.answering.extractive import ExtractiveAnswerer
from qa.answering.llm import LLMAnswerer
from qa.answering.reader_answerer import ReaderAnswerer
from qa.answering.registry import find_answerer, registered_answerers
from qa.config import Settings
from qa.errors import ConfigError
from qa.pipeline import QA

QUESTION = "Who led the negotiations with Prigozhin?"


def test_the_registry_holds_each_answerer_once_with_its_abilities() -> None:
    entries = {entry.name: entry for entry in registered_answerers()}
    assert entries["reader"].cls is ReaderAnswerer and entries["extractive"].cls is ExtractiveAnswerer
    assert entries["llm"].cls is LLMAnswerer and entries["llm"].model_ids
    assert find_answerer("ollama/llama3.1").cls is LLMAnswerer  # any other name is a model id
    assert (Answerer.can_stream, Answerer.streams_raw_markers, Answerer.needs_llm) == (False, False, False)
    assert LLMAnswerer.can_stream and LLMAnswerer.streams_raw_markers and LLMAnswerer.needs_llm
    assert ReaderAnswerer.needs_reader and ReaderAnswerer.scores_answerability
    assert not ExtractiveAnswerer.needs_reader and not ExtractiveAnswerer.can_stream


def test_the_reader_answers_by_its_name_and_the_old_one(seed_qa: Any) -> None:
    reader = seed_qa.answerer(None)
    assert isinstance(reader, ReaderAnswerer) and reader.name == "reader"
    assert seed_qa.answerer("reader") is reader and seed_qa.answerer("extractive") is reader
    assert seed_qa.answer(QUESTION).model == "reader"
    assert seed_qa.answer(QUESTION, model="extractive").model == "reader"
    llm = seed_qa.answerer("openai/test-model")
    assert isinstance(llm, LLMAnswerer) and llm.name == "openai/test-model"
    assert seed_qa.answerer_names() == ["reader"]


def test_without_a_reader_the_sentence_scorer_answers(seed_qa: Any) -> None:
    qa = QA(seed_qa.index, Settings(llm_model="ollama/llama3.1"), reader=None)
    assert qa.answerer(None) is qa.answerer("") is qa.extractive
    assert isinstance(qa.extractive, ExtractiveAnswerer) and qa.answerer("extractive") is qa.extractive
    assert qa.answer(QUESTION, model="extractive").model == "extractive"
    assert qa.answerer_names() == ["extractive", "ollama/llama3.1"]
    with pytest.raises(ConfigError, match="needs the trained reader"):
        qa.answerer("reader")


class EchoAnswerer(Answerer):
    """An answerer added in a test: registered by name, it is offered and chosen by it."""

    name = "echo"

    def answer(self, question: str, retrieval: Any, avoid: Any = ()) -> Draft:
        return Draft(f"You asked: {question}", (), True, self.name)


def test_a_registered_answerer_is_offered_and_answers(seed_qa: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    registered_answerers()  # the shipped ones loaded first
    monkeypatch.setitem(
        registry._BY_NAME, "echo", registry.Registered(EchoAnswerer, lambda parts, name: EchoAnswerer())
    )
    assert seed_qa.answerer_names() == ["reader", "echo"]
    events = list(seed_qa.stream(QUESTION, model="echo"))
    assert [e.text for e in events if e.kind == "delta"] == [f"You asked: {QUESTION}"]
    assert events[-1].answer.model == "echo" and events[-1].answer.abstained
