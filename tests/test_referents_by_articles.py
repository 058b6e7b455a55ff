"""What a follow-up's pronoun may mean, told by the articles the conversation was answered
from: the things an answer brings in, and names that are places or no one's."""

from __future__ import annotations

from qa.answering.chat import (
    Conversation,
    _introduced_things,
    condense_alternatives,
    normalise_history,
)

HOARD = """Metal detectorist finds Roman coin hoard

A retired postman using a metal detector has uncovered a hoard of more than 3,400 Roman silver
coins buried in a field near the village of Ashburn Ford, archaeologists said on Tuesday.

Derek Pellow, 67, found the first coins on February 11 on Hollins Farm. "I thought it was a ring
pull at first," Pellow said. He called the county's finds officer the same evening.

Ashburn Ford parish council said it had received more than 60 calls from people asking to detect
on local land.
"""


def conversation(article: str, *pairs: tuple[str, str]) -> Conversation:
    turns = []
    for question, answer in pairs:
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return Conversation(tuple(normalise_history(turns))).with_articles([article])


HAPPENED = (
    "what happened in ashburn ford?",
    "A retired postman using a metal detector has uncovered a hoard of more than 3,400 Roman silver "
    "coins buried in a field near the village of Ashburn Ford, archaeologists said on Tuesday. [1]",
)


def test_the_things_a_sentence_of_what_happened_brings_in() -> None:
    assert [r.text for r in _introduced_things(HAPPENED[1])] == ["the hoard", "the Roman silver coins"]
    # its subject, when a thing, and no person, time or measure
    assert [r.text for r in _introduced_things("A gas explosion destroyed a three-storey building.")] == [
        "the gas explosion",
        "the building",
    ]
    assert [r.text for r in _introduced_things("A fast-moving wildfire forced hundreds of people out.")] == [
        "the wildfire"
    ]
    assert _introduced_things("A former postman was jailed for three years on Friday.") == []


def test_them_and_it_after_what_happened_in_a_place_are_what_the_answer_brought_in() -> None:
    """ "who found them?" after "what happened in ashburn ford?" is of the coins, never the
    village (which "Ford" made look like a person's name), and "it" is the hoard."""
    earlier = conversation(HOARD, HAPPENED)
    assert condense_alternatives("who found them?", earlier)[0] == ("Who found the Roman silver coins?")
    found = "**Derek Pellow**. Derek Pellow, 67, found the first coins on February 11 on Hollins Farm. [1]"
    later = conversation(HOARD, HAPPENED, ("who found them?", found))
    readings = condense_alternatives("whose land was it on?", later)
    assert (
        readings[0] == "Whose land was the hoard on?"
    )  # the village only after it, for the articles to judge
    assert condense_alternatives("what did he think it was at first?", later)[0] == (
        "What did Derek Pellow think the hoard was at first?"
    )


def test_they_beside_him_is_never_the_one_person() -> None:
    """ "How did they catch him?" after the thief was named: "him" is the thief, "they"
    whoever caught him (it stays), never "How did Graham Soley catch him?"."""
    stole = [
        {"role": "user", "content": "Who stole the money?"},
        {"role": "assistant", "content": "**Graham Soley**. Soley stole it. [1]"},
    ]
    assert condense_alternatives("How did they catch him?", stole)[0] == "How did they catch Graham Soley?"
    elected = [
        {"role": "user", "content": "Who did the workers elect?"},
        {"role": "assistant", "content": "**Graham Soley**. They elected Soley. [1]"},
    ]
    assert (
        condense_alternatives("When did they meet him?", elected)[0]
        == "When did the workers meet Graham Soley?"
    )


def test_the_rest_is_never_what_a_pronoun_means() -> None:
    """ "the rest" of "And the rest?" points back itself: "they" who caught him stays."""
    turns = [
        {"role": "user", "content": "What did Graham Soley spend the money on?"},
        {"role": "assistant", "content": "**gambling**. He spent it on gambling. [1]"},
        {"role": "user", "content": "And the rest?"},
        {"role": "assistant", "content": "**a flat in the Algarve**. The rest went on a flat. [1]"},
    ]
    assert condense_alternatives("How did they catch him?", turns)[0] == "How did they catch Graham Soley?"


MEASLES = """Measles outbreak at Cedar Bluff school

Health officials in Dalton County confirmed 19 cases of measles on Monday linked to an
elementary school in Cedar Bluff. The outbreak began after a child returned from a trip abroad.
"""


def test_what_started_or_spreads_is_what_the_conversation_opened_with() -> None:
    """ "Why is it spreading?" after "what's going on at that school?" answered "measles" and a
    question about the jab is of measles, never the jab or the school."""
    earlier = conversation(
        MEASLES,
        (
            "what's going on at that school in cedar bluff?",
            "**measles**. Health officials in Dalton County confirmed 19 cases of measles on Monday. [1]",
        ),
        ("how many kids have got it?", "**19**. None of the 19 children had been vaccinated. [1]"),
        ("which jab hadn't the kids had?", "The articles don't say. Nothing in them answers this question."),
    )
    assert condense_alternatives("Why is it spreading so easily there?", earlier)[0].startswith(
        "Why is measles spreading so easily in "
    )
    assert condense_alternatives("How did it start?", earlier)[0] == "How did measles start?"


TESLA = """Tesla recalls cars over software fault

Workers at Tesla were told on Monday that a software fault had forced a recall. Tesla said it
would fix the cars free of charge. Ukrainian President Volodymyr Zelensky, visiting a plant,
said he was not affected. Zelensky left on Tuesday.
"""


def test_at_a_company_says_no_place_and_a_title_says_a_person() -> None:
    """ "at Tesla" may be a company's: "they" and "it" may still be Tesla; "President
    Volodymyr Zelensky" is someone though the census knows no "Volodymyr"."""
    happened = (
        "What happened at Tesla?",
        "Workers at Tesla were told on Monday that a software fault had forced a recall. [1]",
    )
    earlier = conversation(TESLA, happened)
    assert condense_alternatives("Did they apologise?", earlier)[0] == "Did Tesla apologise?"
    assert "Is Tesla still profitable?" in condense_alternatives("Is it still profitable?", earlier)
    visited = conversation(
        TESLA,
        happened,
        ("Who visited the plant?", "Ukrainian President Volodymyr Zelensky, visiting a plant, said so. [1]"),
    )
    assert "Volodymyr Zelensky leave?" in condense_alternatives("When did he leave?", visited)[0]


def test_what_happened_in_a_country_leaves_it_its_population() -> None:
    earlier = conversation(
        "Protests spread across Venezuela on Sunday. Venezuela has 28 million people.",
        ("What happened in Venezuela?", "Protests spread across Venezuela on Sunday. [1]"),
    )
    assert "What is Venezuela's population?" in condense_alternatives("What is its population?", earlier)


FERRY = """Ferry runs aground off Carrow Point with 186 on board

PORT ELLISTER, September 8 - A passenger ferry ran aground on rocks off Carrow Point on
Saturday evening with 186 people on board, forcing an overnight evacuation by lifeboats.

The MV Lady Corran struck rocks while approaching the harbour at Port Ellister in strong
winds. The rescue lasted almost six hours.
"""
LEAD = (
    "A passenger ferry ran aground on rocks off Carrow Point on Saturday evening with 186 people on "
    "board, forcing an overnight evacuation by lifeboats. [1]"
)


def test_it_is_the_ferry_not_the_place_near_it_typed_in_lower_case() -> None:
    """ "How many were on it?" after "... the ferry near port ellister?" is first of the
    ferry: the place only said where the ferry was comes after it, for the articles to judge
    (a guard: the names a question places a phrase in are asked after the phrase)."""
    earlier = conversation(FERRY, ("what happened to the ferry near port ellister?", LEAD))
    assert condense_alternatives("How many were on it?", earlier) == [
        "How many were on the ferry?",
        "How many were on port ellister?",
    ]
    # so after a place a thing was in: "its capital" may be Italy's
    italy = conversation(
        "The University of Bologna is the oldest university in Italy. Rome is the capital of Italy.",
        ("What is the oldest university in Italy?", "**University of Bologna**. It is the oldest. [1]"),
    )
    assert "What is Italy's capital?" in condense_alternatives("What is its capital?", italy)


def test_they_is_never_a_place_typed_in_lower_case() -> None:
    """ "they" who got everyone off is no place (the article writes "off Carrow Point",
    "near Port Ellister" was typed in lower case), nor the passenger of "a passenger
    ferry": it stays, for whoever the article says did it (never "port ellisters")."""
    earlier = conversation(FERRY, ("what happened to the ferry near port ellister?", LEAD))
    assert condense_alternatives("How did they get everyone off?", earlier) == [
        "How did they get everyone off?"
    ]


def test_they_is_a_body_said_in_a_place_all_the_same() -> None:
    """ "in the EU" says no place of a body: "What did they agree?" is of the EU."""
    earlier = conversation(
        "Leaders in the EU agreed a new budget on Friday.",
        ("What happened in the EU?", "Leaders in the EU agreed a new budget on Friday. [1]"),
    )
    assert condense_alternatives("What did they agree?", earlier)[0] == "What did the EU agree?"


def test_they_of_a_club_or_a_country_said_in_a_place_is_still_it() -> None:
    """ "in" says no place for "they": "fans in Liverpool" (a club), "What happened in
    Greece?" (its people)."""
    beat = conversation(
        "Liverpool beat Chelsea 2-1. Fans in Liverpool celebrated late into the night.",
        ("Who did Liverpool beat?", "**Chelsea**. Liverpool beat Chelsea 2-1. [1]"),
    )
    assert any("Liverpool" in r for r in condense_alternatives("How many goals did they score?", beat))
    greece = conversation(
        "Voters in Greece went to the polls on Sunday.",
        ("What happened in Greece?", "Voters in Greece went to the polls on Sunday. [1]"),
    )
    assert condense_alternatives("Who did they elect?", greece)[0] == "Who did Greece elect?"


def test_a_later_event_comes_before_the_one_the_conversation_opened_with() -> None:
    leeds = conversation(
        "A rail strike hit Leeds on Monday. A fire broke out in a station kitchen.",
        ("What's going on in Leeds?", "**a rail strike**. A rail strike hit Leeds on Monday. [1]"),
        ("Was there a fire too?", "A fire broke out in a station kitchen. [1]"),
    )
    assert condense_alternatives("How did it start in the kitchen?", leeds)[0] != (
        "How did the rail strike start in the kitchen?"
    )
