"""What a short answer may look like: no punctuation, quote marks or dangling clauses at its
edges; a "how many X" answer counts X, not years; the reader's span choice skips the rest."""

from __future__ import annotations

import pytest

from qa.answering.reader_answerer import counts_the_thing_asked, tidy_span, whole_words

QUOTED = '"We will not be moved," said the association\'s chair, Ingrid Sæther.'


def tidy(text: str, part: str) -> str | None:
    start = text.index(part)
    result = tidy_span(text, start, start + len(part))
    return None if result is None else text[result[0] : result[1]]


@pytest.mark.parametrize(
    ("text", "part", "expected"),
    [
        (QUOTED, ",\" said the association's chair, Ingrid Sæther", None),  # crosses the quotation
        (QUOTED, "said the association's chair, Ingrid Sæther", None),  # a dangling clause
        (QUOTED, "Ingrid Sæther.", "Ingrid Sæther"),
        ("It cost (about) 310 million euros.", " 310 million euros.", "310 million euros"),
        ("The U.S. team won.", "U.S.", "U.S."),
        ("Led by Bo (the coach) they won.", "Bo (the coach)", "Bo (the coach)"),
        ('They called it "the Ark".', '"the Ark"', "the Ark"),
        ("Wait — 40 people came.", "— 40 people", "40 people"),
        ("It said: ...", ": ...", None),
        # a parenthesis the span opened is closed when the text closes it close by, else cut
        ("The façade is 720 feet (220 m) long.", "720 feet (220 m", "720 feet (220 m)"),
        (
            "Tesla (in early 1896, in his lab at the end of a long run of trials) saw it.",
            "Tesla (in early",
            "Tesla",
        ),
        ("It weighs (about 40 kg", "(about 40 kg", "about 40 kg"),
        # a bracket half in the span is cut off
        ("He was born on 10 July [O.S. 28 June] 1856.", "O.S. 28 June] 1856", "1856"),
        ("He was born on 10 July [O.S. 28 June] 1856.", "10 July [O.S. 28", "10 July"),
        (
            "He was born on 10 July [O.S. 28 June] 1856.",
            "10 July [O.S. 28 June] 1856",
            "10 July [O.S. 28 June] 1856",
        ),
        ("The façade is 720 feet (220 m) long.", "220 m) long", "long"),
        # a clause inside the parenthesis the span closed stays (cutting it looped forever)
        (
            "The bridge (built in 1950, when the town grew) is long.",
            "bridge (built in 1950, when",
            "bridge (built in 1950, when the town grew)",
        ),
        ("Bo (the coach), who won, left.", "Bo (the coach), who won", "Bo (the coach)"),
        # a phrase cut after its adjective takes its noun; an adjective alone may be the answer
        (
            "Saudi Arabia and the other Arab oil-producing states joined the embargo.",
            "Saudi Arabia and the other Arab oil-producing",
            "Saudi Arabia and the other Arab oil-producing states",
        ),
        ("It was a bright red car.", "bright red", "bright red"),
        ("The plant is old and very noisy.", "old and very noisy", "old and very noisy"),
        # a country said as a person's owner is not who the person is; other owners stay
        ("Ethiopia's Dawit Bekele won the race.", "Ethiopia's Dawit Bekele", "Dawit Bekele"),
        ("The Netherlands' Abdi Nageeye was second.", "The Netherlands' Abdi Nageeye", "Abdi Nageeye"),
        ("The United States' Noah Lyles won.", "The United States' Noah Lyles", "Noah Lyles"),
        ("Canada's Supreme Court ruled.", "Canada's Supreme Court", "Canada's Supreme Court"),
        ("Israel's Iron Dome held.", "Israel's Iron Dome", "Israel's Iron Dome"),
        ("Greenland's Ice Sheet melts.", "Greenland's Ice Sheet", "Greenland's Ice Sheet"),
        ("Obama's Joe Biden spoke.", "Obama's Joe Biden", "Obama's Joe Biden"),
    ],
)
def test_short_answers_have_clean_edges(text: str, part: str, expected: str | None) -> None:
    assert tidy(text, part) == expected


def test_a_count_of_years_does_not_answer_how_many_turbines() -> None:
    text = "The plant, in service for 22 years, has 40 turbines and cost 90 million euros."
    years = text.index("22")
    turbines = text.index("40")
    ask = "How many turbines does the plant have?"
    assert not counts_the_thing_asked(ask, text, years, years + 2)  # "22" followed by "years"
    assert not counts_the_thing_asked(ask, text, years, years + 8)  # "22 years"
    assert counts_the_thing_asked(ask, text, turbines, turbines + 2)
    assert counts_the_thing_asked("How many years has it run?", text, years, years + 8)
    assert counts_the_thing_asked("How much did it cost?", text, years, years + 8)  # not a "how many"
    share = "In a 2000 study, 42% of teachers reported occupational stress."
    at = share.index("42%")
    assert counts_the_thing_asked("How many teachers felt stress in 2000?", share, at, at + 3)


def test_a_clause_hanging_off_a_span_is_cut() -> None:
    text = "They had talked since the evening of June 23, when he announced the start of his march."
    assert tidy(text, "June 23, when he announced the start of his march") == "June 23"
    assert tidy(text, "the evening of June 23") == "the evening of June 23"
    demands = (
        "That Defense Minister Sergei Shoigu should be removed from office, that Wagner affairs "
        "should not be interfered with and that more money should be discussed."
    )
    assert tidy(
        demands, "Defense Minister Sergei Shoigu should be removed from office, that Wagner affairs"
    ) == ("Defense Minister Sergei Shoigu should be removed from office")


def test_a_span_that_cuts_a_word_takes_the_whole_word() -> None:
    text = "they encountered Celts to the south, and Balts towards the east."
    start = text.index("Celts")
    assert whole_words(text, start, start + 2) == (start, start + len("Celts"))  # "Ce"
    assert whole_words(text, start + 2, start + 5) == (start, start + len("Celts"))  # "lts"
    # a span at word edges stays as it is, punctuation included
    assert whole_words(text, start, start + len("Celts to the south,")) == (start, start + 19)
    assert whole_words(text, 0, 4) == (0, 4)
    # a number's separators are inside it: "400" of "3,400" is the whole number
    text = "a hoard of more than 3,400 coins worth 2.5 million, and 1, 2 or 3."
    for part, number in [("400", "3,400"), ("3", "3,400"), (",400", "3,400"), ("5", "2.5"), ("1,", "1,")]:
        start = text.index(part)
        assert text[slice(*whole_words(text, start, start + len(part)))] == number


def test_a_longer_name_that_holds_the_last_answer_is_no_repeat_of_it() -> None:
    from qa.answering.reader_answerer import _repeats
    from qa.text import normalize_answer

    def repeats(short: str, earlier: str) -> bool:
        named = {normalize_answer(w) for w in short.split() if w[:1].isupper()} - {""}
        return _repeats(normalize_answer(short), named, normalize_answer(earlier))

    # "Who classified it?" after "Pain" is answered by the association, not refused as a repeat
    assert not repeats("International Association for the Study of Pain", "Pain")
    # another name of the person just given is a repeat
    assert repeats("dictator Lukashenko", "Alexander Lukashenko")
    assert repeats("President Lukashenko", "Alexander Lukashenko")
    assert repeats("Alexander Lukashenko", "Alexander Lukashenko")
    assert not repeats("Vladimir Putin", "Alexander Lukashenko")
    # a new name that shares a first name is no repeat ("What did he change his name to?")
    assert not repeats("Alexander de Lodyguine", "Alexander Lodygin")
    # words of an earlier answer said in part are no repeat: it may have been wrong ("Mojave
    # Desert" for the border with Arizona, then "Mojave" for the border with Nevada)
    assert not repeats("Mojave", "Mojave Desert")


@pytest.mark.parametrize(
    ("span", "earlier", "again"),
    [
        # the same count said with its noun is the same answer
        ("14 people", "14", True),
        ("3,400 coins", "3,400", True),
        ("14 people, two", "14", True),
        ("more than 3,400", "3,400", True),
        ("More than 3,400", "3,400", True),  # opening a sentence
        # another number, a year, a measure, or a decimal whose digits are the same, are not
        ("61 passengers", "14", False),
        ("May 2019", "2019", False),
        ("2 years", "2", False),
        ("14 km", "14", False),
        ("2.5 million", "25", False),
        ("14 people", "A regional train derailed, injuring 14 people.", False),
    ],
)
def test_a_count_given_again_with_its_noun_is_a_repeat(span: str, earlier: str, again: bool) -> None:
    from qa.answering.reader_answerer import _counts_again

    assert _counts_again(span, earlier) is again


@pytest.mark.parametrize(
    ("sentence", "span", "cut_off"),
    [
        ("The bridge was first estimated to cost 180 million euros.", "euros", True),
        ("The bridge was first estimated to cost 180 million euros.", "million euros", True),
        ("Prices rose 4.5 per cent in May.", "per cent", True),
        # a unit said without an amount before it is a thing of its own
        ("Croatia adopted the euro in 2023.", "euro", False),
        ("The yuan is pegged to the dollar.", "dollar", False),
        ("The utility installed smart meters in homes.", "meters", False),
        ("It took weeks, 3 weeks.", "weeks", False),  # a time may answer how long
    ],
)
def test_a_unit_cut_off_from_its_amount_is_no_answer(sentence: str, span: str, cut_off: bool) -> None:
    from qa.answering.answer_types import unit_cut_off

    start = sentence.index(span)
    assert unit_cut_off(sentence, start, start + len(span)) is cut_off


@pytest.mark.parametrize(
    ("span", "question", "lists"),
    [
        # a list that names what was asked about beside its kin answers nothing
        ("secondary law and supplementary law", "What are the main sources of secondary law?", True),
        ("Denver and Carolina", "Who did Denver beat?", True),
        ("regulations and directives", "What are the main sources of secondary law?", False),
        ("Beyoncé and Bruno Mars", "Which other performers took part besides Coldplay?", False),
        ("secondary law", "What are the main sources of secondary law?", False),  # no list
        ("Houston, Texas", "Which city in Texas was hit by the storm?", False),  # a place, no list
        ("June 5, 2015", "When in 2015 did the plant close?", False),
    ],
)
def test_a_list_holding_the_question_s_own_phrase_is_no_answer(span: str, question: str, lists: bool) -> None:
    from qa.answering.reader_answerer import _lists_the_asked
    from qa.text import normalize_answer

    assert _lists_the_asked(span, set(normalize_answer(question).split())) is lists


@pytest.mark.parametrize(
    ("span", "name"),
    [
        ("Kestrel's chief executive, Martin Olsen", "Martin Olsen"),
        ("Portugal's infrastructure minister, Helena Castanheira", "Helena Castanheira"),
        ("Denver linebacker Von Miller", None),  # no apposition: as it is
        ("Paris, France", None),
        ("the president and his wife, Jill Biden", None),  # a list: both answer
    ],
)
def test_who_holds_a_role_is_answered_by_the_name(span: str, name: str | None) -> None:
    from qa.answering.reader_answerer import _ROLE_THEN_NAME

    found = _ROLE_THEN_NAME.fullmatch(span)
    assert (found["name"] if found else None) == name


@pytest.mark.parametrize(
    ("question", "sentence", "span", "beside"),
    [
        # listed after the verb beside what the question names: done to with it, not who did it
        (
            "Who appoints the Commissioners?",
            "It appoints the Commissioners and the board of the European Central Bank.",
            "the board of the European Central Bank",
            True,
        ),
        # the span as tidied, without its "the"
        (
            "Who appoints the Commissioners?",
            "It appoints the Commissioners and the board of the European Central Bank.",
            "board of the European Central Bank",
            True,
        ),
        ("Who owns the ferry?", "The council owns the bus and the ferry.", "the bus", True),
        # listed before the verb: who did it, with the question's own
        (
            "Who married Prince Harry?",
            "Prince Harry and Meghan Markle married in May 2018.",
            "Meghan Markle",
            False,
        ),
        # not beside the question's words
        ("Who appoints the Commissioners?", "The Council and Parliament appoint them.", "Parliament", False),
        ("Who led the talks?", "The talks were led by Lukashenko and his aides.", "Lukashenko", False),
    ],
)
def test_what_is_listed_beside_the_questions_own_phrase_is_not_who_did_it(
    question: str, sentence: str, span: str, beside: bool
) -> None:
    from qa.answering.reader_answerer import _asks_the_doer, _beside_the_asked
    from qa.text import normalize_answer

    at = sentence.index(span)
    verb = _asks_the_doer(question)
    assert verb is not None
    asked = set(normalize_answer(question).split())
    assert _beside_the_asked(sentence, at, at + len(span), asked, verb) is beside


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("Who appoints the Commissioners?", "appoints"),
        ("Who won the final?", "won"),
        ("Which company makes it?", "makes"),
        ("What team won?", "won"),
        ("What causes it?", "causes"),
        # whom it was done to may be listed beside the doer ("Denver and Carolina met")
        ("Who did Denver beat?", None),
        ("What teams did Denver beat?", None),
        ("Who is the president?", None),
        ("Who else appoints them?", None),
    ],
)
def test_a_question_asks_for_who_did_it_where_its_word_is_the_subject(
    question: str, verb: str | None
) -> None:
    from qa.answering.reader_answerer import _asks_the_doer

    assert _asks_the_doer(question) == verb


@pytest.mark.parametrize(
    "question",
    [
        "Who founded Apple with Steve Jobs?",
        "Who shared the Nobel Prize with Marie Curie?",
        "Who won the 100m and 200m?",
        "Who else appoints them?",
    ],
)
def test_a_question_of_who_did_it_with_another_may_be_answered_beside_them(question: str) -> None:
    from qa.answering.reader_answerer import _ASKS_ANOTHER

    assert _ASKS_ANOTHER.search(question) is not None


def test_asked_what_thing_a_noun_before_its_head_reads_with_the_head() -> None:
    """ "gold" of "a 14th-century gold reliquary" is what the thing is made of; asked what was
    stolen, the answer is the reliquary (a noun the lexicon does not know is a rare one)."""
    from qa.answering.reader_answerer import _with_its_head

    text = "Thieves escaped with a 14th-century gold reliquary valued at 2.8 million euros."
    start = text.index("gold")
    assert text[start : _with_its_head(text, start, start + 4)] == "gold reliquary"
    # an adjective, a longer span, or a noun before a verb's form stays as it is
    said = "The bright red car was found, and the gold glittered."
    red = said.index("red")
    assert _with_its_head(said, red, red + 3) == red + 3
    gold = said.index("gold")
    assert _with_its_head(said, gold, gold + 4) == gold + 4
    # a noun of time is no head, nor a verb the lexicon reads as a plural noun
    for said, word in (
        ("The council approved funding today.", "funding"),
        ("Demand drives growth.", "Demand"),
    ):
        at = said.index(word)
        assert _with_its_head(said, at, at + len(word)) == at + len(word)
    # a determiner after the head keeps it: "a gold statue this week"
    statue = "Thieves stole a gold statue this week."
    at = statue.index("gold")
    assert statue[at : _with_its_head(statue, at, at + 4)] == "gold statue"
    # the question names the head: what the chains were made of is "silver"
    chains = "Isaac was bound in silver chains."
    silver = chains.index("silver")
    assert _with_its_head(chains, silver, silver + 6, {"chain"}) == silver + 6


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What was stolen from the museum?", True),
        ("What did they find?", True),
        ("What was he wearing?", True),
        ("What was found?", True),
        # what something is, what kind, or what it is made of
        ("What was the weapon?", False),
        ("What is the screen size?", False),
        ("What were the women charged with?", False),
        ("What was it made of?", False),
    ],
)
def test_a_question_of_what_thing_by_its_verb(question: str, asks: bool) -> None:
    from qa.answering.reader_answerer import _asks_what_thing

    assert _asks_what_thing(question) is asks
