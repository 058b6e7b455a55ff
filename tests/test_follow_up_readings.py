"""Follow-ups read generously (issue 19): what a follow-up may mean is put as standalone
questions: pronouns resolved to whole noun phrases (common nouns too), "there" to a place,
"the first one" / "the last one" to an item of what was listed, an ellipsis asked of each
phrase of the previous question it may replace; the articles choose among the readings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import seeds_and_article

from qa.answering.answerer import Draft
from qa.answering.chat import (
    Conversation,
    _said_he,
    about_then_asked,
    condense_alternatives,
    condense_by_rule,
    demonstrative_as_the,
    embedded,
    needs_context,
    plain_question,
    topic_reading,
    who_reading,
)
from qa.answering.phrases import noun_phrases, question_subject
from qa.answering.references import (
    bare_descriptions,
    could_be_person,
    definite_phrases,
    is_group,
    locative_there,
    looks_like_person,
    names,
    pronouns,
)
from qa.answering.retrieval import Retrieval
from qa.pipeline import QA
from qa.types import Answer


def history(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    turns = []
    for question, answer in pairs:
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return turns


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("What are ctenophores commonly known as?", ["ctenophores"]),
        ("Are most ctenophore species hermaphrodites?", ["ctenophore species", "hermaphrodites"]),
        # a phrase that asks, one that opens with "the" and a name are found elsewhere
        ("Which famous scientist was born in the old town of Warsaw?", []),
    ],
)
def test_common_noun_phrases_come_from_the_chunker(text: str, found: list[str]) -> None:
    assert noun_phrases(text) == found


def test_a_question_after_do_has_a_verb_where_the_tagger_read_a_noun() -> None:
    from qa.answering.phrases import tagged

    def verbs(question: str) -> list[str]:
        return [word for word, tag, _ in tagged(question) if tag.startswith("VB") and word.lower() != "do"]

    # "When do the new prices kick in?" is never about "the new prices kick"
    assert "kick" in verbs("When do the new prices kick in?")
    assert "cost" in verbs("How much do the tickets cost?")
    # an object after the verb stays one ("the government ban alcohol" is no subject)
    assert "alcohol" not in verbs("Did the government ban alcohol?")
    assert "vote" in verbs("Did the council vote?")
    assert definite_phrases("When do the new prices kick in?") == ["the new prices"]
    # a subject of one noun stays one, and a word after it that is no particle is left
    assert "road" not in verbs("When will the toll road open?")


def test_it_of_what_doing_something_costs_or_takes_points_to_nothing() -> None:
    assert pronouns("How much will it cost to take a car to Mull now?") == []
    assert pronouns("How long does it take to get there?") == []
    assert pronouns("How long did it take to rebuild?") == ["it"]  # a thing that took long
    assert pronouns("How much did it cost?") == ["it"]


def test_names_and_phrases_keep_their_whole_words() -> None:
    assert names("How big is the Łazienki Park in Warsaw?") == ["Łazienki Park", "Warsaw"]
    assert definite_phrases("When was the Victoria and Albert Museum founded?") == [
        "the Victoria and Albert Museum"
    ]
    assert is_group("Wars of Religion") and not is_group("Kingdom of Sicily")
    # a phrase's head is before its preposition: many workers, one mayor
    assert is_group("the ferry workers in Skarvik") and not is_group("the mayor of Skarvik")


def test_it_is_what_someone_is_only_last() -> None:
    """ "What variety was it?" after "What's his job?" answered "retired postman": the
    postman is someone, never "it"; his job is "it" only after every other thing."""
    from qa.answering.references import Referent, plausible_referents

    job, postman = Referent("Desmond Aukett's job", False), Referent("retired postman", False)
    pumpkin = Referent("the 1,204-kilogram pumpkin", False)
    assert [r.text for r in plausible_referents("it", [job, postman, pumpkin])] == [pumpkin.text, job.text]
    # a thing whose name ends as "-man" or "-men" does is no one ("the specimen", "a talisman")
    specimen = Referent("the specimen", False)
    assert plausible_referents("it", [postman, specimen]) == [specimen]


def test_it_is_never_a_person_named_by_role() -> None:
    from qa.answering.references import Referent, plausible_referents

    librarian, fire = Referent("the head librarian", False), Referent("the fire", False)
    # "Was it arson?" after questions about the head librarian, then the fire
    assert plausible_referents("it", [librarian, fire]) == [fire]
    assert plausible_referents("it", [Referent("the mayor of Skarvik", False), fire]) == [fire]
    # nor many people because a place follows them ("the dock workers in Halden"); a team's
    # name may be "it"
    workers, team = Referent("the dock workers in Halden", False), Referent("Denver Broncos", False)
    assert plausible_referents("it", [workers, fire]) == [fire]
    assert plausible_referents("it", [team]) == [team]


def test_it_is_never_the_workers_a_question_was_about() -> None:
    turns = history(
        (
            "Why did the dock workers in Halden go on strike?",
            "Dock crews in Halden returned to work after a strike of nine days. [1]",
        )
    )
    assert "workers" not in condense_by_rule("How long did it last?", turns)  # "it" is one thing
    # what the conversation named without "the" is "the" something when a description is
    # asked of it: "the operator of the strike", never "the operator of strike"
    assert "What did the operator of the strike agree to?" in condense_alternatives(
        "What did the operator agree to?", turns
    )


def test_they_may_be_a_common_noun() -> None:
    turns = history(("Where do ctenophores live?", "**in all ocean waters**. x [1]"))
    assert condense_by_rule("How do they swim?", turns) == "How do ctenophores swim?"
    named = history(("What are ctenophores commonly known as?", "**comb jellies**. x [1]"))
    assert condense_by_rule("How do they swim?", named) == "How do comb jellies swim?"


def test_there_is_a_place_unless_it_says_something_exists() -> None:
    turns = history(("Which famous scientist was born in Warsaw?", "**Maria Skłodowska-Curie**. x [1]"))
    assert needs_context("Which other famous people were born there?")
    assert condense_by_rule("Which other famous people were born there?", turns) == (
        "Which other famous people were born in Warsaw?"
    )
    assert locative_there("How many Huguenots were there by 1562?") is None
    assert locative_there("Is there a park?") is None
    assert condense_by_rule("Did she go there?", turns) == "Did Maria Skłodowska-Curie go to Warsaw?"


def test_the_first_and_the_last_one_are_items_of_the_latest_list() -> None:
    # the reader's short answer may list fewer than its sentence does; a type of rock is a rock
    answer = (
        "**igneous, sedimentary**. There are three types of rock: igneous, sedimentary, and metamorphic. [1]"
    )
    turns = history(("What are the three major types of rock?", answer))
    first = condense_by_rule("How does the first one form?", turns)
    assert first == "How does igneous rock form?"
    later = turns + history(("How does the first one form?", "**crystallizes from melt**. x [1]"))
    assert condense_by_rule("And the last one?", later) == "How does metamorphic rock form?"
    sources = history(
        ("What are the sources of EU law?", "**primary law, secondary law and supplementary law**. x")
    )
    assert condense_by_rule("And the latter?", sources + history(("What is primary law?", "**x**."))) == (
        "What is supplementary law?"
    )


def test_the_first_one_of_two_asked_for_is_the_first_its_sentence_names() -> None:
    # the reader's short answer is one of the two asked for; its sentence names both
    answer = (
        "**San Diego**. Los Angeles (at 3.7 million people) and San Diego (at 1.3 million people), "
        "both in southern California, are the two largest cities in all of California. [1]"
    )
    turns = history(("Which two major cities are in southern California?", answer))
    assert condense_by_rule("What is the population of the first one?", turns) == (
        "What is the population of Los Angeles?"
    )
    later = turns + history(("What is the population of the first one?", "**3,792,621**. x [1]"))
    assert condense_by_rule("And the second one?", later) == "What is the population of San Diego?"
    # one thing asked for: its sentence's list is no list of answers
    one = history(("Which city is the largest in southern California?", answer))
    assert condense_by_rule("What is the population of the first one?", one) == (
        "What is the population of the first one?"
    )


def test_the_first_one_of_named_things_is_the_first_named() -> None:
    turns = history(
        ("How big is the Łazienki Park in Warsaw?", "**76 ha**. x [1]"),
        ("And the Wilanów Palace Park?", "**43 ha**. x [1]"),
    )
    assert condense_by_rule("Which animals walk around freely in the first one?", turns) == (
        "Which animals walk around freely in the Łazienki Park?"
    )


def test_an_ellipsis_of_a_modifier_replaces_only_the_phrase_that_differs() -> None:
    turns = history(("What lies at the border of southern California with Arizona?", "**Colorado River**."))
    assert condense_by_rule("And at the border with Nevada?", turns) == (
        "What lies at the border of southern California with Nevada?"
    )


def test_an_ellipsis_from_where_the_last_question_ended_asks_what_came_next() -> None:
    turns = history(("How did the Black Death reach Crimea?", "**along the Silk Road**. x [1]"))
    assert condense_alternatives("And after Crimea?", turns) == [
        "Where did the Black Death go after Crimea?",
        "What happened to the Black Death after Crimea?",
    ]
    later = history(("How long does Dimorphos take to orbit Didymos?", "**11 hours**. x [1]"))
    assert condense_by_rule("And after the impact?", later) == (
        "How long does Dimorphos take to orbit Didymos after the impact?"
    )


def test_an_ellipsis_of_a_participle_replaces_the_previous_questions_own() -> None:
    """ "And diverted?" after "How many flights got cancelled?" once became "How many
    diverted were cancelled?": a participle stands for a participle, not a noun phrase."""
    turns = history(("How many flights got cancelled?", "**640**. Airlines cancelled 640 flights. [1]"))
    assert condense_alternatives("And diverted?", turns) == ["How many flights were diverted?"]
    killed = history(("How many people were killed?", "**12**. Twelve people were killed. [1]"))
    assert condense_by_rule("And injured?", killed) == "How many people were injured?"
    # a phrase with "the" counted by "how many" loses it ("How many the passengers ...")
    assert condense_by_rule("And the passengers?", killed) == "How many passengers were killed?"
    # the participle after "been", never "been" itself
    found = history(("Has the missing hiker been found?", "**Yes**. x [1]"))
    assert condense_alternatives("And rescued?", found) == ["Has the missing hiker been rescued?"]
    # a regular past form alone is a participle too
    damaged = history(("How many schools were damaged?", "**5**. x [1]"))
    assert condense_alternatives("And closed?", damaged) == ["How many schools were closed?"]
    # a phrasal verb has no one word to give way
    off = history(("How many flights were called off?", "**5**. x [1]"))
    assert not any("delayed off" in reading for reading in condense_alternatives("And delayed?", off))


def test_they_may_be_what_the_last_answer_named_in_other_words() -> None:
    answer = "**specified professional qualifications or credentials from a university or college**. x [1]"
    turns = history(("What must a person who wishes to become a teacher first obtain?", answer))
    assert condense_by_rule("What may they include?", turns) == (
        "What may specified professional qualifications or credentials include?"
    )
    # "it" is never "a town" put in ("Which town was a town?"): which town, of the last question
    assert condense_by_rule("Which town was it?", history(("What did they occupy?", "**a town**. x"))) == (
        "Which town did they occupy?"
    )


def test_a_pronoun_in_a_subordinate_clause_means_what_its_main_clause_names() -> None:
    turns = history(("Through which port city did the plague reach Europe?", "**Kaffa**. x [1]"))
    assert condense_by_rule("Where did the Genoese traders take the disease when they fled?", turns) == (
        "Where did the Genoese traders take the disease when the Genoese traders fled?"
    )


def test_a_topic_attached_is_one_topic_never_a_chain() -> None:
    turns = history(
        ("How much aid did Nixon request for Israel?", "**$2.2 billion**. x [1]"),
        ("What did Libya announce in response?", "**an embargo**. x [1]"),
    )
    assert condense_by_rule("Which other states joined?", turns) == (
        "Which other states joined, regarding what Libya announced in response?"
    )


def test_then_is_the_time_the_last_answer_gave() -> None:
    turns = history(("Since when had they been negotiating?", "**the evening of June 23**. x [1]"))
    assert needs_context("What happened then?")
    assert condense_by_rule("What happened then?", turns) == "What happened on the evening of June 23?"
    other = history(("Who founded Pons Aelius?", "**Hadrian**. x [1]"))
    assert (
        condense_by_rule("What was its population then?", other) == "What was Pons Aelius' population then?"
    )


def test_such_points_back_like_those() -> None:
    answer = "**the Quran, Torah or Bible**. Religious and spiritual teachers may teach them. [1]"
    turns = history(("Which religious texts may religious teachers teach?", answer))
    assert condense_by_rule("Who are examples of such teachers?", turns) == (
        "Who are examples of religious teachers?"
    )


def test_a_noun_the_tagger_reads_as_a_verb_after_the_is_a_description() -> None:
    assert bare_descriptions("How long did the call last?") == [("the call", "call")]
    assert needs_context("How long did the call last?")


def test_a_plural_description_is_never_read_as_one_person() -> None:
    # "those talks" are many things: not Prigozhin, not Putin ("Who led Prigozhin?")
    turns = history(
        ("Who tried to call Putin?", "**Prigozhin**. Prigozhin himself tried to contact the Kremlin. [1]"),
        (
            "Who did he negotiate with from then on?",
            "**a larger group of officials**. From then on he negotiated with a larger group of officials. [1]",
        ),
    )
    for question in ("Who led those talks?", "What did the talks achieve?"):
        readings = condense_alternatives(question, turns)
        assert readings[0] == question
        assert not any("Prigozhin" in r or "Putin" in r for r in readings), readings


def test_they_after_which_wars_is_the_answer_with_its_article() -> None:
    # "the Wars of Religion" is a name with "the" before it: the answer, what "they" means
    turns = history(
        (
            "How many Huguenots were there by 1562?",
            "**two million**. Huguenot numbers peaked near two million. [1]",
        ),
        (
            "Which wars followed as Catholic hostility against them grew?",
            "**the Wars of Religion**. A series of religious conflicts followed, known as the Wars of "
            "Religion, fought intermittently from 1562 to 1598. [1]",
        ),
    )
    assert condense_alternatives("When did they end?", turns)[0] == "When did the Wars of Religion end?"
    assert condense_by_rule("Which edict ended them?", turns) == "Which edict ended the Wars of Religion?"


def test_what_a_definition_question_asked_about_is_meant_next_not_its_definition() -> None:
    geology = history(
        ("What is geology?", "**the study of positions of rock units**. Geologists study the rock units. [1]")
    )
    assert condense_by_rule("Which branches does it have?", geology) == "Which branches does geology have?"
    # the reader answered with his father's name: "he" is still Martin Luther
    luther = history(("Who was Martin Luther?", "**Hans Luder**. Martin Luther was born to Hans Luder. [1]"))
    assert condense_by_rule("Where was he born?", luther) == "Where was Martin Luther born?"
    # a property asked of something is no definition: the answer is what "it" may mean
    property_of = history(
        ("What is the population of Fresno?", "**494,665**. Fresno had 494,665 people. [1]")
    )
    assert "Fresno" in condense_by_rule("What is its largest park?", property_of)
    # "What is behind the heat?" asks a cause: nothing is called "behind the heat"
    behind = history(
        (
            "What's behind the heat?",
            "**a high-pressure system**. A high-pressure system is behind the heat. [1]",
        )
    )
    assert (
        condense_by_rule("When's it supposed to cool down?", behind)
        == "When's the heat supposed to cool down?"
    )


def test_he_is_left_as_it_is_when_no_one_was_named() -> None:
    turns = history(
        ("What is geology?", "**the study of rock**. Geology is the study of rock. [1]"),
        ("Who is known as its father?", "The articles don't say. Nothing in them answers this question."),
    )
    assert condense_by_rule("What did he write?", turns) == "What did he write?"


def test_there_after_a_capital_is_the_capital() -> None:
    answer = "**Melbourne**. Melbourne is the capital of Victoria, a state of Australia. [1]"
    turns = history(("What is the capital of Victoria in Australia?", answer))
    assert condense_by_rule("How many people live there?", turns) == "How many people live in Melbourne?"


def test_a_place_named_after_a_compass_point_is_no_person() -> None:
    assert not looks_like_person("North Fresno") and not could_be_person("North Fresno")
    assert not could_be_person("Pons Aelius' population")
    assert not could_be_person("Odda FK") and could_be_person("Asa Hutchinson")  # a company's suffix


def test_a_name_ending_in_a_common_noun_is_no_person_unless_a_first_name_or_surname_says_so() -> None:
    # places and bodies named by a common noun are no one, and no "she"
    for thing in ("Westbrook Zoo", "Northgate Health Trust", "Kabaty Forest", "Kettla Arc"):
        assert not looks_like_person(thing) and not could_be_person(thing), thing
    # a first name, a title or a common surname makes a person of the same shape
    for person in ("Tony Hawk", "Sir Joseph Swan", "Kanye West", "Kari Strand", "Elon Musk", "Usain Bolt"):
        assert looks_like_person(person), person
    zoo = history(
        (
            "What got out of Westbrook Zoo?",
            "**a female jaguar**. A female jaguar that escaped from Westbrook Zoo on Thursday was found. [1]",
        )
    )
    # "she" is never the zoo: the female jaguar the answer named is
    assert condense_by_rule("How old is she?", zoo) == "How old is the female jaguar?"
    assert condense_by_rule("Who spotted her?", zoo) == "Who spotted the female jaguar?"
    escaped = history(
        ("What got out of Westbrook Zoo?", "**jaguar**. A jaguar escaped from Westbrook Zoo. [1]")
    )
    assert condense_by_rule("How old is she?", escaped) == "How old is she?"  # no female said


def test_what_an_indefinite_answer_brings_in_as_the_subject_is_it_next_and_never_they() -> None:
    zoo = history(
        (
            "What got out of Westbrook Zoo?",
            "**a female jaguar**. A female jaguar that escaped from Westbrook Zoo on Thursday was found. [1]",
        )
    )
    assert condense_by_rule("How did it escape?", zoo) == "How did the female jaguar escape?"
    # one thing said with "the" is never "they", nor is a day: "they" stays where nothing fits
    assert condense_by_rule("How many animals do they keep there?", zoo) == (
        "How many animals do they keep in Westbrook Zoo?"
    )
    assert "Westbrook Zoo find the female jaguar" in " ".join(
        condense_alternatives("Where did they find it?", zoo)
    )
    # "the lack" of "a lack of maintenance" is no thing
    crash = history(("What caused the crash?", "**a lack of maintenance**. A lack of maintenance did. [1]"))
    assert "the lack" not in " ".join(condense_alternatives("How long had it gone on?", crash))
    # "they" is still a body of people said as one
    band = history(("Why did the band cancel the tour?", "**illness**. The band cancelled it. [1]"))
    assert condense_by_rule("When did they form?", band) == "When did the band form?"
    # an indefinite answer to "which" is still no referent ("a town")
    town = history(("Which town did they occupy?", "**a town**. They occupied a town. [1]"))
    assert "a town" not in condense_by_rule("Why did they go there?", town)


def test_what_happened_stays_it_after_a_question_about_the_people() -> None:
    fire = history(
        (
            "What's going on near Pinecrest Valley?",
            "**fast-moving wildfire**. A fast-moving wildfire tore through dry scrubland north of Pinecrest "
            "Valley on Wednesday, forcing authorities to evacuate about 4,200 residents. [1]",
        ),
        ("How many people had to leave their homes?", "**4,200**. About 4,200 residents were evacuated. [1]"),
    )
    # "had to" is no auxiliary before a subject "to" (which had made "Where did to start?")
    assert question_subject("How many people had to leave their homes?") is None
    assert condense_by_rule("Where did it start?", fire) == "Where did the wildfire start?"


def test_his_of_a_question_is_never_the_place_it_names() -> None:
    strike = history(
        (
            "Why did the journalist in Marrakand end his hunger strike?",
            "A journalist held in the city of Marrakand has ended a hunger strike after 41 days. [1]",
        ),
        ("How long did it last?", "**41 days**. The strike lasted 41 days. [1]"),
    )
    assert condense_alternatives("Who does he work for?", strike) == ["Who does the journalist work for?"]
    # a name is only no "he" where someone is said to be there
    assert _said_he("Smith", ["Smith"], "What did the crowd at Smith think of him?")


def test_it_after_a_gerund_compound_is_the_whole_compound() -> None:
    assert noun_phrases("Who developed packet switching?") == ["packet switching"]
    assert noun_phrases("Why are fishermen suing?") == ["fishermen"]
    # with "the" too, after the question's verb; a progressive verb stays a verb
    assert definite_phrases("Who coined the name packet switching?") == ["the name packet switching"]
    assert definite_phrases("Why is the company losing?") == ["the company"]
    assert definite_phrases("Why are the fishermen suing?") == ["the fishermen"]
    answer = "**Donald Davies**. Donald Davies at the National Physical Laboratory developed it. [1]"
    turns = history(
        ("Who developed packet switching?", answer),
        (
            "Where did he work?",
            "**National Physical Laboratory**. Donald Davies at the National Physical Laboratory. [1]",
        ),
    )
    # the place answered last or the compound asked about first: the articles choose
    assert "What network used packet switching first?" in condense_alternatives(
        "What network used it first?", turns
    )


def test_it_is_never_two_people_nor_an_adjective_of_the_answer() -> None:
    museum = history(
        ("When was the Victoria and Albert Museum founded?", "**1852**. It was founded in 1852. [1]"),
        (
            "Who is it named after?",
            "**Queen Victoria and Prince Albert**. It was named after Queen Victoria and Prince Albert. [1]",
        ),
    )
    assert condense_alternatives("How many objects does it hold?", museum) == [
        "How many objects does the Victoria and Albert Museum hold?"
    ]
    greek = history(
        (
            "What does the name oxygen mean?",
            '**acid**. Its name derives from the Greek roots oxys, "acid". [1]',
        )
    )
    assert all("Greek" not in reading for reading in condense_alternatives("Who coined it?", greek))
    # "it" of "named it oxygen" is what the question names
    assert condense_by_rule("Who named it oxygen?", greek) == "Who named it oxygen?"


def test_a_question_with_a_verb_of_its_own_is_not_a_bare_question_word() -> None:
    opened = history(
        ("When did the Halden bridge open?", "**Friday**. The new harbour bridge opened on Friday. [1]")
    )
    assert condense_by_rule("Who was there?", opened) == (
        "Who was there, regarding when the Halden bridge opened?"
    )
    # "When?" after a question whose subject was its question word: the answer is the subject
    decided = history(
        ("Who will decide?", "**The mediator**. The mediator is expected to present a proposal. [1]")
    )
    assert condense_by_rule("When?", decided) == "When will the mediator decide?"
    named = history(("Why did Abe Silverstein choose that name?", "Because Apollo rode a chariot. [1]"))
    assert condense_by_rule("When was that?", named) == "When did Abe Silverstein choose that name?"


def test_the_old_one_is_the_old_thing_of_the_kind_just_asked_about() -> None:
    turns = history(
        ("How long is the Halden bridge?", "**640 metres long**. The bridge is 640 metres long. [1]")
    )
    assert condense_by_rule("And the old one?", turns) == "How long is the old bridge?"


def test_a_pronoun_in_a_relative_clause_never_means_the_noun_the_clause_is_about() -> None:
    answer = "**Nord Struktur**. The bridge was designed by the engineering firm Nord Struktur. [1]"
    turns = history(("Who designed the Halden bridge?", answer))
    assert condense_by_rule("Who led the firm that designed it?", turns) == (
        "Who led the firm that designed the Halden bridge?"
    )


def test_an_adjective_said_of_a_phrase_is_not_part_of_it() -> None:
    assert definite_phrases("Why are the Nordvik fishermen angry?") == ["the Nordvik fishermen"]
    assert definite_phrases("Is the bridge safe?") == ["the bridge"]
    angry = history(("Why are the Nordvik fishermen angry?", "They lost their fishing grounds. [1]"))
    assert condense_by_rule("How much do they want?", angry) == "How much do the Nordvik fishermen want?"


def test_and_then_asks_what_came_after() -> None:
    turns = history(
        (
            "Who was Prigozhin?",
            "**Alexander Lukashenko**. Alexander Lukashenko is an old friend of Prigozhin. [1]",
        ),
        (
            "What did he do on June 24?",
            "**occupied a town**. On June 24, Yevgeny Prigozhin occupied a town. [1]",
        ),
    )
    # "Who was Prigozhin?" asks about Prigozhin, whatever the reader answered
    assert Conversation.from_history(turns).standalone_questions()[-1] == "What did Prigozhin do on June 24?"
    assert condense_by_rule("And then?", turns) == "What did Prigozhin do after June 24?"
    demanded = history(("What did Prigozhin demand?", "**Shoigu removed**. x [1]"))
    assert condense_by_rule("And after that?", demanded) == "What did Prigozhin demand after that?"


def test_who_was_the_description_asks_who_and_its_answer_is_meant_next() -> None:
    answer = "**quarterback Cam Newton**. Quarterback Cam Newton was named the NFL Most Valuable Player. [1]"
    turns = history(("Who won Super Bowl 50?", "**Denver Broncos**. x [1]"), ("Who was the MVP?", answer))
    assert condense_by_rule("What position does he play?", turns) == (
        "What position does quarterback Cam Newton play?"
    )
    ctenophore = history(
        ("What is a ctenophore?", "**an animal**. Ctenophores are animals that use cilia. [1]")
    )
    assert condense_by_rule("What do they eat?", ctenophore) == "What do ctenophores eat?"  # the kind, many


def test_a_description_is_asked_of_a_referent_not_replaced_by_it() -> None:
    turns = history(
        ("Who won Super Bowl 50?", "**Denver Broncos**. The Denver Broncos won Super Bowl 50. [1]")
    )
    readings = condense_alternatives("What was the score?", turns)
    assert readings[0] == "What was the score?"
    assert all("the score" in reading for reading in readings)


def test_a_name_that_only_qualifies_a_noun_is_no_referent() -> None:
    answer = "**New York hotels**. He lived most of his life in a series of New York hotels. [1]"
    turns = history(
        ("When did Tesla die?", "**7 January 1943**. Tesla died on 7 January 1943. [1]"), ("Where?", answer)
    )
    assert condense_by_rule("How old was he?", turns) == "How old was Tesla?"


def test_it_is_never_a_plural_description() -> None:
    turns = history(
        ("What do the Nordvik fishermen want from Vestkraft?", "The fishermen want the zone narrowed. [1]"),
        ("Did the company agree?", "Vestkraft rejected that request. [1]"),
    )
    readings = condense_alternatives("What did it offer instead?", turns)
    assert readings[0] == "What did Vestkraft offer instead?"
    assert not any("fishermen" in reading for reading in readings)


def test_two_people_are_they_never_he() -> None:
    assert is_group("Queen Victoria and Prince Albert") and not is_group("the Victoria and Albert Museum")
    answer = "**1852**. It was founded in 1852 and named after Queen Victoria and Prince Albert. [1]"
    turns = history(("Who founded the Victoria and Albert Museum?", answer))
    assert "Queen Victoria" not in condense_by_rule("When did he do that?", turns)
    assert condense_by_rule("Who was its first director?", turns) == (
        "Who was the Victoria and Albert Museum's first director?"
    )


def test_she_is_never_a_place_the_conversation_was_in() -> None:
    answer = "**Tamara de Lempicka**. Tamara de Lempicka was a famous artist born in Warsaw. [1]"
    turns = history(("Which famous scientist was born in Warsaw?", answer))
    readings = condense_alternatives("What was she the first female recipient of?", turns)
    assert readings == ["What was Tamara de Lempicka the first female recipient of?"]


def test_an_ellipsis_without_a_parallel_name_replaces_a_noun_phrase() -> None:
    turns = history(
        ("What were mid-ocean ridges explained as in plate tectonics?", "**divergent boundaries**. x [1]")
    )
    readings = condense_alternatives("And arcs of volcanoes and earthquakes?", turns)
    assert readings[0] == "What were arcs of volcanoes and earthquakes explained as in plate tectonics?"
    assert all("explained" in reading for reading in readings)


def test_the_readings_of_a_question_that_stands_alone_are_the_question() -> None:
    turns = history(("Who won Super Bowl 50?", "**Denver Broncos**. x [1]"))
    question = "Where was Super Bowl 50 played?"
    assert condense_alternatives(question, Conversation.from_history(turns)) == [question]


@pytest.fixture(scope="module")
def varnholm_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    """A QA over the seed article and a small article written for these tests."""
    with seeds_and_article(tmp_path_factory.mktemp("varnholm"), "varnholm-tidal-plant.txt", VARNHOLM) as qa:
        yield qa


def ask(qa: QA, *questions: str) -> list[Answer]:
    """Ask `questions` as one conversation, the history passed as a chat passes it."""
    messages: list[dict[str, str]] = []
    answers = []
    for question in questions:
        answers.append(qa.answer(question, messages))
        messages += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answers[-1].text},
        ]
    return answers


def test_issue_19_follow_ups_over_an_article(varnholm_qa: QA) -> None:
    _, homes = ask(
        varnholm_qa, "When will the tidal plant in Varnholm open?", "How many homes will it supply?"
    )
    assert "the tidal plant" in (homes.standalone_question or "") and "14,000" in homes.text
    _, why = ask(varnholm_qa, "How much compensation are the fishermen seeking?", "Why are they suing?")
    assert why.standalone_question == "Why are the fishermen suing?" and "cod" in why.text
    _, others = ask(
        varnholm_qa, "Who led the negotiations with Prigozhin?", "Which other officials took part?"
    )
    assert "Prigozhin" in (others.standalone_question or "")
    assert others.short_answer is None or "Lukashenko" not in others.short_answer


KETTLA = """Kettla recalls 40,000 electric kettles after fire reports

The Danish appliance maker Kettla is recalling 40,000 electric kettles sold in Denmark after customers reported that the base could overheat and melt. The company said on Tuesday that it had received 27 reports of overheating, including three small kitchen fires. Nobody was injured.

The Danish Safety Technology Authority said it was investigating whether Kettla had reported the problem quickly enough.

"We are deeply sorry and we will pay for every damaged kitchen," said Kettla's chief executive, Mette Rasmussen, who took charge in May.
"""


def test_follow_ups_over_a_news_story_are_answered(tmp_path: Path) -> None:
    """ "Was anyone hurt?" names nothing the article must say but "hurt": neither "anyone"
    nor the topic the follow-up is read with makes it a question about something else.
    What someone said is the quotation, never "said Kettla's chief executive". A follow-up
    naming nothing keeps to the conversation's articles."""
    with seeds_and_article(tmp_path, "kettla-recall.txt", KETTLA) as qa:
        _, hurt = ask(qa, "Why is Kettla recalling its kettles?", "Was anyone hurt?")
        _, _, said = ask(
            qa, "Who is Kettla's chief executive?", "When did she take charge?", "What did she say?"
        )
        # a follow-up about another story is never answered from this one
        _, elsewhere = ask(qa, "Where did Prigozhin go into exile?", "Was anyone injured?")
    assert not hurt.abstained and "Nobody was injured" in hurt.text
    assert "Nobody was injured" not in elsewhere.text
    assert said.short_answer is not None and said.short_answer.startswith("We are deeply sorry")


VARNHOLM = """Tidal plant in Varnholm delayed as fishermen sue

The tidal plant that Nordtide Energy is building in the harbour town of Varnholm will open in 2026, a year later than planned. Once running, the plant will supply 14,000 homes with electricity.

The fishermen of Varnholm are suing Nordtide because they say the construction has driven the cod out of the fjord. Their association is seeking NOK 40 million in compensation.

Nordtide's chief executive, Henrik Dahl, blames the warmer sea for the smaller catches. The company has offered to fund a study of the fjord instead.
"""


@dataclass
class ByHand:
    scores: dict[str, float] = field(default_factory=dict)  # the reader's answerability, by reading
    read: list[str] = field(default_factory=list)  # the readings read, in order
    refused: set[str] = field(default_factory=set)  # the readings the reader refuses
    answers: dict[str, str] = field(default_factory=dict)  # an answer's text, by reading


@pytest.fixture()
def by_hand(seed_qa: QA) -> Iterator[ByHand]:
    """The reader's answerability of each reading made by hand; retrieval stays real."""
    answerer = seed_qa.extractive
    real = answerer.answer
    made = ByHand()

    def answer(question: str, retrieval: Retrieval, avoid=()):  # type: ignore[no-untyped-def]
        made.read.append(question)
        refused = question in made.refused
        text = made.answers.get(question, f"**{question}** [1]")
        return Draft(text, (), refused, "reader", made.scores.get(question, 0.0))

    answerer.answer = answer  # type: ignore[method-assign]
    yield made
    answerer.answer = real  # type: ignore[method-assign]


def choose(qa: QA, options: list[str]) -> str:
    chosen, _, draft = qa._most_answerable(options[0], options, (), None, None)
    assert draft.text == f"**{chosen}** [1]"  # the chosen reading's answer is the answer
    return chosen


def test_the_rules_reading_wins_unless_another_is_clearly_better(seed_qa: QA, by_hand: ByHand) -> None:
    rule, other = "When did Prigozhin announce his march?", "When did Lukashenko announce his march?"
    by_hand.scores.update({rule: 0.6, other: 0.65})
    assert choose(seed_qa, [rule, other]) == rule  # 0.05 more is not clearly better
    by_hand.scores.update({rule: 0.3, other: 0.65})
    assert choose(seed_qa, [rule, other]) == other


def test_the_rules_reading_wins_where_another_is_given_the_same_answer(seed_qa: QA, by_hand: ByHand) -> None:
    """The articles do not tell two readings answered alike apart: the rule's reading of
    the words stands, whichever the reader finds more answerable."""
    rule, other = "How old was the library?", "How old was Brennby?"
    by_hand.scores.update({rule: 0.18, other: 0.82})
    by_hand.answers.update({rule: "**140** [1]", other: "**140** [1]"})
    it = "How old was it?"
    chosen, _, draft = seed_qa._most_answerable(it, [rule, other], (), None, None)
    assert (chosen, draft.text) == (rule, "**140** [1]")
    # answered otherwise, the more answerable reading wins as before
    by_hand.answers[other] = "**1882** [1]"
    assert seed_qa._most_answerable(it, [rule, other], (), None, None)[0] == other
    # the question as asked, read first, gives way to a rewrite answered alike that says
    # what it is about ("Was Chopin born in the city too?": "... in Warsaw too?"): the
    # rule's reading stands on a same answer only where the rule rewrote the question
    asked, rewrite = "Was Chopin born in the city too?", "Was Chopin born in Warsaw too?"
    by_hand.scores.update({asked: 0.3, rewrite: 0.5})
    by_hand.answers.update(
        {asked: "He was born in Żelazowa Wola. [1]", rewrite: "He was born in Żelazowa Wola. [1]"}
    )
    assert seed_qa._most_answerable(asked, [asked, rewrite], (), None, None)[0] == rewrite
    # a refused rule's reading is no answer, whatever its text
    by_hand.answers[other] = "**140** [1]"
    by_hand.refused.add(rule)
    assert seed_qa._most_answerable(it, [rule, other], (), None, None)[0] == other


def test_an_answered_question_as_asked_shows_a_reading_answered_alike(seed_qa: QA, by_hand: ByHand) -> None:
    """A follow-up answered well as asked ("How did the crew get back to Earth?") is read
    as the rewrite that says what it is about too, which is shown where it is answered
    alike; answered otherwise, however well, the question as asked stands."""
    asked, named = "How did the crew get back to Earth?", "How did the crew of Apollo 13 get back to Earth?"
    by_hand.scores.update({asked: 0.7, named: 0.99})
    by_hand.answers.update({asked: "**the Lunar Module** [1]", named: "**the Lunar Module** [1]"})
    assert seed_qa._most_answerable(asked, [asked, named], (), None, None)[0] == named
    assert by_hand.read == [asked, named]
    by_hand.answers[named] = "**an oxygen tank** [1]"
    chosen, _, draft = seed_qa._most_answerable(asked, [asked, named], (), None, None)
    assert (chosen, draft.text) == (asked, "**the Lunar Module** [1]")
    # the words as asked put plainly name nothing more: not shown for an answer alike
    plain = "How did the crew return to Earth?"
    by_hand.answers.update({named: "**the Lunar Module** [1]", plain: "**the Lunar Module** [1]"})
    worded = {plain: asked}
    chosen, _, _ = seed_qa._most_answerable(asked, [asked, plain], (), None, None, (), None, worded)
    assert chosen == asked
    # nor does a whole earlier question attached as its topic
    attached = "How did the crew get back to Earth, regarding what prevented the landing?"
    by_hand.answers[attached] = "**the Lunar Module** [1]"
    assert seed_qa._most_answerable(asked, [asked, attached], (), None, None)[0] == asked


def test_a_reading_in_plain_words_is_read_beside_another_referent(seed_qa: QA, by_hand: ByHand) -> None:
    """The rule's reading in plain words ("When did Holm resign?") is read besides the
    likeliest reading of another referent, not in its place; the same reading with a topic
    attached is no other referent and is not read."""
    rule, plain = "When did Holm step down?", "When did Holm resign?"
    topical = "When did Holm resign, regarding Vestkraft?"
    other = "When did Olsen resign?"
    worded = {
        plain: rule,
        topical: "When did Holm step down, regarding Vestkraft?",
        other: "When did Olsen step down?",
    }
    by_hand.scores.update({rule: 0.2, plain: 0.1, topical: 0.3, other: 0.45})
    options = [rule, plain, topical, other]
    chosen, _, _ = seed_qa._most_answerable(rule, options, (), None, None, (), None, worded)
    assert plain in by_hand.read and other in by_hand.read and topical not in by_hand.read
    assert chosen == other  # clearly better than the rule's reading


def test_a_reading_the_reader_refuses_loses_to_one_it_answers(seed_qa: QA, by_hand: ByHand) -> None:
    """A refused reading's answerability ("How many people had to leave their homes?", its
    best sentence about 17 houses) does not beat the topic's reading that is answered."""
    rule, topical = "How many people left?", "How many people left, regarding Prigozhin?"
    by_hand.scores.update({rule: 0.3, topical: 0.25})
    by_hand.refused.add(rule)
    assert choose(seed_qa, [rule, topical]) == topical
    # any answer beats the rule's refusal, however little more answerable
    by_hand.scores.update({rule: 0.3, topical: 0.07})
    assert choose(seed_qa, [rule, topical]) == topical
    # an answered rule's reading stands unless another is clearly better
    by_hand.refused.clear()
    by_hand.scores.update({rule: 0.3, topical: 0.35})
    assert choose(seed_qa, [rule, topical]) == rule
    by_hand.refused.clear()
    assert choose(seed_qa, [rule, topical]) == rule


def test_of_several_other_readings_the_one_the_passages_match_best_is_read(
    seed_qa: QA, by_hand: ByHand
) -> None:
    rule = "When did Shoigu march on Moscow?"
    others = ["When did the weather march on Moscow?", "When did Prigozhin march on Moscow?"]
    assert choose(seed_qa, [rule, *others]) == rule  # nothing answers better
    assert by_hand.read == [rule, others[1]]  # two readings at most: the articles pick the second


def test_a_title_after_a_possessive_is_one_phrase_and_never_him() -> None:
    question = "Was Cam Newton named the league's Most Valuable Player?"
    assert definite_phrases(question) == ["the league's Most Valuable Player"]
    assert definite_phrases("Who won the Super Bowl in 2016?") == ["the Super Bowl"]
    turns = history(
        ("Who was the Panthers' quarterback?", "**Cam Newton**. Panthers quarterback Cam Newton passed. [1]"),
        ("Was he named the league's Most Valuable Player?", "Cam Newton was named the NFL MVP. [1]"),
    )
    readings = condense_alternatives("How many times did Denver's defense sack him?", turns)
    assert readings[0] == "How many times did Denver's defense sack Cam Newton?"
    assert not any("Most Valuable Player" in r for r in readings)


def test_a_subject_pronoun_means_the_last_questions_subject_before_a_name_said_often() -> None:
    turns = history(
        (
            "Through which port city was the plague first introduced to Europe?",
            "**Kaffa**. Plague was first introduced to Europe at the port city of Kaffa. [1]",
        ),
        (
            "What did the Mongol army do during the siege of Kaffa?",
            "**catapulted the infected corpses**. The army catapulted the infected corpses over "
            "the city walls of Kaffa to infect the inhabitants. [1]",
        ),
    )
    assert condense_by_rule("Why did it do that?", turns) == "Why did the Mongol army do that?"
    # an answer that may be meant comes first still
    product = history(("What product did Bank of America launch?", "**BankAmericard**. It launched it. [1]"))
    assert condense_by_rule("What is it known as today?", product) == "What is BankAmericard known as today?"


def test_them_after_a_question_about_one_person_answered_by_another_is_both() -> None:
    turns = history(
        ("Who led the Norse raiders who gave Normandy its name?", "**Rollo**. Under their leader Rollo. [1]"),
        ("To which king did he swear fealty?", "**Charles III of West Francia**. He swore fealty. [1]"),
    )
    readings = condense_alternatives("What was the treaty between them called?", turns)
    assert readings[0] == "What was the treaty between Rollo and Charles III of West Francia called?"
    # so where the articles call each "he" (one man is never "they"; two are "them")
    told = Conversation.from_history(turns).with_articles(
        [
            "Rollo swore fealty to Charles III of West Francia. He was given Normandy. "
            "Charles III of West Francia made peace, and he kept it."
        ]
    )
    readings = condense_alternatives("What was the treaty between them called?", told)
    assert readings[0] == "What was the treaty between Rollo and Charles III of West Francia called?"
    # a group asked about first is still "they"
    fishermen = history(("How much compensation are the fishermen seeking?", "**NOK 40 million**. x [1]"))
    assert condense_by_rule("Why are they suing?", fishermen) == "Why are the fishermen suing?"


def test_it_is_never_someone_a_turn_showed_to_be_a_person() -> None:
    engine = history(
        (
            "Who invented the steam engine?",
            "**Thomas Newcomen**. The engine was invented by Thomas Newcomen. [1]",
        ),
        ("When did he build it?", "**1712**. Thomas Newcomen built the engine in 1712. [1]"),
    )
    # "he" was Newcomen and "it" the engine: the engine did not become a person
    readings = condense_alternatives("What was it used for?", engine)
    assert readings == ["What was the steam engine used for?"]
    bridge = history(
        (
            "Who designed the Halden bridge?",
            "**Ingrid Haugen**. The bridge was designed by Ingrid Haugen. [1]",
        ),
        ("How much did it cost?", "**180 million euros**. The bridge cost 180 million euros. [1]"),
    )
    assert condense_alternatives("Why was it delayed?", bridge) == ["Why was the Halden bridge delayed?"]


def test_the_answer_to_which_thing_or_to_what_it_is_called_is_meant_next() -> None:
    turns = history(
        (
            "Which football club plays in Newcastle?",
            "**Newcastle United football club**. Its icons include it. [1]",
        ),
    )
    assert condense_by_rule("What is their stadium called?", turns) == (
        "What is Newcastle United football club's stadium called?"
    )
    named = history(
        (
            "What is the stadium of Newcastle United called?",
            "**St. James' Park**. The club plays at St. James' Park. [1]",
        ),
    )
    assert (
        condense_by_rule("How many people does it hold?", named)
        == "How many people does St. James' Park hold?"
    )


def test_they_is_plural_where_something_plural_was_named() -> None:
    turns = history(("What do geologists study?", "**the study of rocks**. Geologists study rocks. [1]"))
    assert condense_alternatives("How do they date rocks?", turns) == ["How do geologists date rocks?"]


def test_then_after_a_decade() -> None:
    turns = history(
        ("When did the gold rush in Victoria start?", "**1850s**. The gold rush of the 1850s. [1]")
    )
    assert condense_by_rule("What happened to the population then?", turns) == (
        "What happened to the population in the 1850s?"
    )


def test_a_description_said_in_its_referent_is_the_referent() -> None:
    turns = history(
        (
            "What did Lavoisier call oxygen?",
            "**The name oxygen**. The name oxygen was coined by Lavoisier. [1]",
        ),
    )
    assert "Why the name oxygen?" in condense_alternatives("Why that name?", turns)


def test_a_follow_up_that_names_nothing_is_also_read_about_the_conversations_topic() -> None:
    refused = "The articles don't say. Nothing in them answers this question."
    apollo = history(("When did Apollo 11 land on the Moon?", refused))
    assert condense_alternatives("Who was on board?", apollo) == [
        "Who was on board?",  # as asked first: the articles may answer it so
        "Who was on board, regarding Apollo 11?",
    ]
    plague = history(("What caused the Black Death?", "**bubonic plague**. It was bubonic plague. [1]"))
    # one that names no thing, or says "the" something, is most likely about the topic: so first
    assert condense_alternatives("Which cities were hit first?", plague) == [
        "Which cities were hit first, regarding the Black Death?",
        "Which cities were hit first?",
    ]
    landing = history(("What prevented the Apollo 13 landing?", "**an explosion**. An explosion did. [1]"))
    assert condense_alternatives("Where did the astronauts splash down?", landing)[0] == (
        "Where did the astronauts splash down, regarding Apollo 13?"
    )
    # "the astronauts" with a verb after it ("land": no noun of the phrase) is a bare
    # description, as "the game" of "Where was the game played?": as asked, then of the topic
    assert condense_alternatives("Where did the astronauts land?", landing) == [
        "Where did the astronauts land?",
        "Where did the astronauts land, regarding Apollo 13?",
    ]
    # "anyone" is no thing it names (the tagger's noun): it leans on the topic too
    assert condense_alternatives("Was anyone killed?", landing) == [
        "Was anyone killed, regarding Apollo 13?",
        "Was anyone killed?",
    ]
    # a follow-up that names something has its own topic
    assert condense_alternatives("Who was on board Apollo 12?", apollo) == ["Who was on board Apollo 12?"]


def test_a_description_nothing_named_is_read_as_asked_then_of_the_topic() -> None:
    told = Conversation.from_history(
        history(
            (
                "What was stolen from the museum in Ravensburg?",
                "**A gold brooch**. A gold brooch was taken. [1]",
            )
        )
    ).with_articles(
        [
            "Thieves broke into the Ravensburg City Museum early on Sunday. The break-in took less than six minutes."
        ]
    )
    # "the break-in" is nothing the conversation named: as asked (the articles may answer
    # it so), then of what the conversation is about, read where that is answered poorly
    assert condense_alternatives("When did the break-in happen?", told) == [
        "When did the break-in happen?",
        "When did the break-in happen, regarding Ravensburg?",
    ]
    # one that names something of its own has no topic put in
    assert condense_alternatives("When did the break-in at the Louvre happen?", told) == [
        "When did the break-in at the Louvre happen?"
    ]


def test_which_one_it_was_after_an_answer_that_said_only_a_kind_asks_the_last_question_again() -> None:
    occupied = history(
        ("Who commands the Wagner mercenaries?", "**Yevgeny Prigozhin**. He does. [1]"),
        ("What did they occupy on June 24?", "**a town**. On June 24 they occupied a town. [1]"),
    )
    assert condense_by_rule("Which town was it?", occupied) == (
        "Which town did the Wagner mercenaries occupy on June 24?"
    )
    assert condense_alternatives("Which town was it?", occupied) == [
        "Which town did the Wagner mercenaries occupy on June 24?"
    ]
    found = history(("What did police find in the car?", "**a loaded gun**. Police found a loaded gun. [1]"))
    assert (
        condense_by_rule("What kind of gun was it?", found) == "What kind of gun did police find in the car?"
    )
    assert "find" not in condense_by_rule("What type of battery was it?", found)  # a gun is no battery
    installed = history(("What did they install?", "**a lithium battery**. They installed one. [1]"))
    assert (
        condense_by_rule("What type of battery was it?", installed)
        == "What type of battery did they install?"
    )
    # the last question's topic stays
    taxed = history(("What did the minister announce, regarding Kenya?", "**a new tax**. A new tax. [1]"))
    assert (
        condense_by_rule("Which tax was it?", taxed)
        == "Which tax did the minister announce, regarding Kenya?"
    )
    # what was bought is a stake, not a rival
    stake = history(("What did the company buy last year?", "**a stake in a rival**. It did. [1]"))
    assert "buy" not in condense_by_rule("Which rival was it?", stake)
    # an answer that named it, or one of another kind, is no "which one" of the last question
    named = history(("What did they occupy on June 24?", "**Rostov**. They occupied Rostov. [1]"))
    assert "occupy" not in condense_by_rule("Which town was it?", named)
    assert "find" not in condense_by_rule("Which town was it?", found)


def test_a_fragment_is_asked_of_the_last_questions_own_words_its_topic_kept() -> None:
    doses = history(
        ("Who makes the vaccine?", "**Lumera Bio**. Lumera Bio makes it. [1]"),
        (
            "Where will the doses be made, regarding Lumera Bio?",
            "**Belgium**. The doses will be made in Belgium. [1]",
        ),
    )
    # asked of the last question's own words, its topic kept
    assert condense_by_rule("How many?", doses) == "How many doses will be made, regarding Lumera Bio?"
    assert condense_alternatives("How many?", doses) == ["How many doses will be made, regarding Lumera Bio?"]
    assert condense_by_rule("When?", doses) == "When will the doses be made, regarding Lumera Bio?"
    board = history(("Who was on board, regarding Apollo 11?", "**Neil Armstrong**. He was on board. [1]"))
    assert condense_by_rule("What about in 1970?", board) == "Who was on board in 1970, regarding Apollo 11?"
    assert condense_by_rule("What about the crew?", board) == "Who was on the crew, regarding Apollo 11?"
    # a name asked of may take the topic's place
    landed = history(
        ("When did Apollo 11 land on the Moon?", "**July 20, 1969**. It landed then. [1]"),
        ("Who was on board, regarding Apollo 11?", "**Neil Armstrong**. He was on board. [1]"),
    )
    assert condense_by_rule("And Apollo 12?", landed) == "Who was on board, regarding Apollo 12?"


def test_a_topic_reading_is_only_of_a_follow_up_that_names_nothing() -> None:
    refused = "The articles don't say. Nothing in them answers this question."
    apollo = history(("When did Apollo 11 land on the Moon?", refused))
    assert topic_reading("Who was on board?", apollo) == "Who was on board, regarding Apollo 11?"
    assert topic_reading("Who was on board?", []) is None  # a first question
    # one that leans on the last question is read with that question ("..., regarding who led the talks?")
    assert topic_reading("Which other officials took part?", apollo) is None
    assert topic_reading("Who else took part?", apollo) is None


def test_the_topic_is_the_story_the_conversation_is_on_now() -> None:
    """A conversation that moved to another story attaches that story's topic, the first
    name asked about that its latest article says, not the first question's."""
    from qa.answering.chat import Conversation

    turns = history(
        ("When did Apollo 11 land on the Moon?", "**July 20, 1969**. Apollo 11 landed on July 20, 1969. [1]"),
        ("Which ship rescued the crew of the Skarvik ferry?", "**Nordlys**. The Nordlys rescued them. [1]"),
    )
    ferry = "The Skarvik ferry sank on Monday. Its crew of 12 were rescued by the Nordlys."
    moved = Conversation.from_history(turns).with_articles([ferry])
    assert topic_reading("Was anyone hurt?", moved) == "Was anyone hurt, regarding Skarvik?"
    # on the first story still, or with no article known, the first question's topic
    stayed = Conversation.from_history(turns).with_articles(["Apollo 11 landed on July 20, 1969."])
    assert topic_reading("Was anyone hurt?", stayed) == "Was anyone hurt, regarding Apollo 11?"
    assert topic_reading("Was anyone hurt?", turns) == "Was anyone hurt, regarding Apollo 11?"


# --- found asking conversations over articles nobody wrote them for (2026-12-05) ----------


def test_they_after_a_count_are_what_was_counted() -> None:
    turns = history(
        ("Where was Alexander Graham Bell born?", "**Edinburgh**. Alexander Bell was born in Edinburgh. [1]"),
        (
            "How many brothers did he have?",
            "**two**. He had two brothers: Melville James Bell and Edward Charles Bell. [1]",
        ),
    )
    # never "Alexander Graham Bell and Alexander Bell": two names of one man are no pair
    assert (
        condense_by_rule("What did they die of?", turns)
        == "What did Alexander Graham Bell's brothers die of?"
    )
    assert condense_by_rule("Why did he want a middle name?", turns) == (
        "Why did Alexander Graham Bell want a middle name?"
    )


def test_he_is_never_a_plural_nor_the_answer_about_a_thing() -> None:
    tito = history(
        ("Where was Tito born?", "**Kumrovec**. Josip Broz was born in the village of Kumrovec. [1]"),
        (
            "Who captured him during World War I?",
            "**Imperial Russians**. He was captured by the Imperial Russians. [1]",
        ),
    )
    # "he" is Tito, asked about, before the name the answer only quoted; never the Russians
    assert condense_by_rule("Where was he sent afterwards?", tito) == "Where was Tito sent afterwards?"
    movement = history(
        ("Where was Tito born?", "**Kumrovec**. Josip Broz was born in the village of Kumrovec. [1]"),
        ("Which movement did he lead?", "**Initiative of Five**. He co-founded the Initiative of Five. [1]"),
    )
    assert condense_alternatives("When did he die?", movement) == ["When did Tito die?"]


def test_present_day_is_no_first_name() -> None:
    assert not looks_like_person("Present-day Mali")
    assert not looks_like_person("Modern Greece")
    assert looks_like_person("Jean-Paul Sartre")


def test_it_after_who_bought_is_the_buyer_unless_the_answer_is_a_person() -> None:
    bought = history(("Who bought YouTube?", "**Google**. In November 2006, it was bought by Google. [1]"))
    assert condense_by_rule("How much did it pay?", bought) == "How much did Google pay?"
    founded = history(
        (
            "Who founded the mission?",
            "**Eusebio Francisco Kino**. Jesuit missionary Eusebio Francisco Kino founded it in 1700. [1]",
        )
    )
    assert condense_by_rule("When did it open?", founded) == "When did the mission open?"


def test_called_that_is_the_name_just_given() -> None:
    nickname = history(
        ("What is Tucson's nickname?", '**The Old Pueblo**. Tucson is known as "The Old Pueblo". [1]')
    )
    assert condense_by_rule("Why is it called that?", nickname) == "Why is Tucson called The Old Pueblo?"


def test_the_answer_to_what_the_most_common_reason_is_is_it_next() -> None:
    reason = history(
        (
            "What is the most common reason for physician consultation?",
            "**Pain**. Pain is the most common reason for physician consultation. [1]",
        )
    )
    assert condense_by_rule("Who classified it in 1994?", reason) == "Who classified Pain in 1994?"


def test_after_that_after_a_time_is_after_that_time() -> None:
    superman = history(("When did Superman first appear?", "**1938**. Superman appeared in 1938. [1]"))
    assert condense_by_rule("What genre became prominent after that?", superman) == (
        "What genre became prominent after 1938?"
    )


def test_a_direction_replaces_the_last_direction() -> None:
    south = history(
        (
            "Who did the Germanic peoples encounter to the south?",
            "**Celts**. They encountered Celts to the south. [1]",
        )
    )
    assert (
        condense_by_rule("And towards the east?", south)
        == "Who did the Germanic peoples encounter towards the east?"
    )


def test_an_acronym_after_the_is_a_name_not_a_description_to_resolve() -> None:
    turns = history(
        (
            "For which matters did the European Council make specific provisions in Gibraltar?",
            "**customs**. The TEU allows the European Council to make specific provisions, as for "
            "example done for customs matters in Gibraltar. [1]",
        )
    )
    question = "Which region does the TEU specifically exclude from European Union law?"
    assert condense_alternatives(question, turns) == [question]


def test_what_it_meant_is_never_he_next() -> None:
    turns = history(
        ("Who wrote On the Origin of Species?", "**Charles Darwin**. It is a work by Charles Darwin. [1]"),
        ("When was it published?", "**24 November 1859**. It was published on 24 November 1859. [1]"),
        ("Who was it written for?", "**John Herschel**. It refers to John Herschel's letter. [1]"),
    )
    options = condense_alternatives("Where did he gather his evidence?", turns)
    assert "Where did Charles Darwin gather his evidence?" in options
    assert not any("Origin" in option for option in options)


def test_they_of_a_kind_defined_is_the_kind_in_the_plural() -> None:
    turns = history(
        (
            "What is a comprehensive school?",
            "**state school**. A comprehensive school is a state school. [1]",
        ),
    )
    assert (
        condense_by_rule("When were they introduced?", turns) == "When were comprehensive schools introduced?"
    )
    turns += history(
        (
            "When were they introduced in England and Wales?",
            "**1965**. Comprehensive schools were introduced to England and Wales in 1965. [1]",
        )
    )
    # what "they" meant stays "they", before the places named beside it
    assert condense_by_rule("Which pupils attend them now?", turns) == (
        "Which pupils attend comprehensive schools now?"
    )


def test_a_fragment_asks_the_last_question_again_with_its_question_word() -> None:
    killed = history(
        ("When was Brazelton killed?", "**August 19, 1878**. He was killed on August 19, 1878. [1]")
    )
    assert needs_context("By whom?")
    assert condense_by_rule("By whom?", killed) == "By whom was Brazelton killed?"
    # a last question without an auxiliary to put it before: the fragment about its topic
    judge = history(
        ("Which judge used the term in 1845?", "**Charles L. Woodbury**. Justice Woodbury wrote it. [1]")
    )
    assert (
        condense_by_rule("In which case?", judge)
        == "In which case, regarding which judge used the term in 1845?"
    )


def test_a_topic_reading_its_sentence_does_not_support_is_never_chosen(varnholm_qa: QA) -> None:
    # the topic finds the article, yet a sentence that says nothing of a castle's cost never
    # answers "How much did the castle cost to build?" ("NOK 40 million in compensation")
    _, castle = ask(
        varnholm_qa, "When will the tidal plant in Varnholm open?", "How much did the castle cost to build?"
    )
    assert castle.abstained and "40 million" not in castle.text
    # one it supports is chosen: "Who is suing, regarding Varnholm?"
    _, suing = ask(varnholm_qa, "When will the tidal plant in Varnholm open?", "Who is suing?")
    assert "fishermen" in suing.text


def test_the_old_one_is_one_of_the_kind_the_last_question_named() -> None:
    assert definite_phrases("Will the new bridge ever need to open?") == ["the new bridge"]  # not "... ever"
    opens = history(
        ("Will the new bridge ever need to open?", "Haugen said it will never need to open. [1]"),
    )
    assert needs_context("What happens to the old one?")
    assert condense_by_rule("What happens to the old one?", opens) == "What happens to the old bridge?"
    assert condense_by_rule("And the old one?", opens) == "Will the old bridge ever need to open?"


def test_what_it_is_called_after_something_was_introduced_is_its_name() -> None:
    formed = history(
        ("Who led the CBS Records Group until 1972?", "**Clive Davis**. It was led by Clive Davis. [1]"),
        ("When did CBS and Sony form a joint venture?", "**March 1968**. They formed it in March 1968. [1]"),
    )
    assert condense_by_rule("What was it called?", formed) == "What was the joint venture called?"
    # any other question about "it" keeps to what the conversation is about
    assert condense_by_rule("When was it dissolved?", formed) == "When was the CBS Records Group dissolved?"


def test_that_one_is_the_thing_just_given_and_its_tower_is_the_whole_owners() -> None:
    replaced = history(
        (
            "What did Halden's new bridge replace?",
            "**a narrow swing bridge**. It replaces a narrow swing bridge. [1]",
        )
    )
    assert condense_by_rule("How often did that one have to open?", replaced) == (
        "How often did the narrow swing bridge have to open?"
    )
    long = history(
        ("How long is Halden's new bridge?", "**640 metres**. The bridge is 640 metres long. [1]"),
        ("And its tower?", "**112 metres**. Its single tower rises 112 metres. [1]"),
    )
    # never "Halden's new bridge's tower bridge"
    assert (
        Conversation.from_history(long).standalone_questions()[-1]
        == "How long is Halden's new bridge's tower?"
    )
    portal = history(("Which portal reported it?", "**Meduza**. The portal Meduza reports it. [1]"))
    assert condense_by_rule("What did he say?", portal) == "What did he say?"  # a portal is no "he"


def test_why_not_keeps_the_not_and_a_fragment_after_which_noun_keeps_the_answer() -> None:
    study = history(
        ("Did Bell keep a telephone in his study?", "Bell refused to have a telephone in his study. [1]")
    )
    assert condense_by_rule("Why not?", study) == "Why did Bell not keep a telephone in his study?"
    assert condense_by_rule("Why?", study) == "Why did Bell keep a telephone in his study?"
    # a question asked in the negative: why it was not so, "not" said once
    alarms = history(("Weren't there CO alarms in the rink?", "There were no alarms in the building. [1]"))
    assert condense_by_rule("why not?", alarms) == "Why weren't there CO alarms in the rink?"
    assert (
        condense_by_rule("Why?", alarms) != "Why weren't there CO alarms in the rink?"
    )  # yes or no, as answered
    society = history(
        ("Which society did Bell serve as president?", "**National Geographic**. Bell was its president. [1]")
    )
    assert condense_by_rule("From when until when?", society) == (
        "From when until when did Bell serve as president, regarding National Geographic?"
    )
    killed = history(("When was Brazelton killed?", "**August 19, 1878**. He was killed then. [1]"))
    assert condense_by_rule("Where exactly?", killed) == "Where exactly was Brazelton killed?"


def test_what_about_x_then_a_question_of_its_own_asks_that_question_of_x() -> None:
    meet = history(
        ("Is Vestkraft willing to meet again?", "Dahl said the company was willing to meet again. [1]")
    )
    assert condense_by_rule("What about the fishermen, would they go to court?", meet) == (
        "Would the fishermen go to court?"
    )
    assert condense_alternatives("What about the fishermen, would they go to court?", meet)[0] == (
        "Would the fishermen go to court?"
    )
    # an event is no phrase of the last question to replace: the question about its topic
    phd = history(
        ("When did the school award the first Ph.D. in the United States?", "**1861**. It did in 1861. [1]")
    )
    assert condense_by_rule("What about organizing as a university?", phd) == (
        "What about organizing as a university, regarding when did the school award the first Ph.D. in the "
        "United States?"
    )


def test_a_phrase_said_first_then_asked_of_with_a_pronoun_is_put_for_the_pronoun() -> None:
    crash = history(("How many people were hurt?", "**14**. Fourteen people were hurt. [1]"))
    assert condense_by_rule("And the driver, was he ok?", crash) == "Was the driver ok?"
    assert condense_by_rule("As for the passengers, where did they go?", crash) == (
        "Where did the passengers go?"
    )
    assert condense_by_rule("And Mira Castell, how did she do?", crash) == "How did Mira Castell do?"
    # a word that only opens the question, a time or a place is no phrase said first
    for asked in (
        "Yesterday, what happened to him?",
        "So, what did he say?",
        "That night, where was she?",
        "The next day, what did he announce?",
        "On Tuesday, where was she?",
        "In Kenya, how many did they evacuate?",
        "Yikes, was anyone with him?",
        "The dam, which was built in 1990, why did it burst?",
    ):
        assert about_then_asked(asked) == asked
    # nor one of another kind than the pronoun: the driver is no "it"
    assert about_then_asked("And the driver, was it his fault?") == "And the driver, was it his fault?"
    assert about_then_asked("And the bridge, when will it open?") == "When will the bridge open?"
    assert about_then_asked("And Putin, what did he say?") == "What did Putin say?"
    # the phrase may end in a clause that says which one: its head says the kind
    assert about_then_asked("and that striker they bought, how's he getting on?") == (
        "How's that striker they bought getting on?"
    )
    assert about_then_asked("The man who was arrested, what happened to him?") == (
        "What happened to the man who was arrested?"
    )
    assert about_then_asked("And the car he stole, was she in it?") == "And the car he stole, was she in it?"
    assert about_then_asked("And the artist himself, when was he born?") == "When was the artist born?"
    # without a pronoun to put it for, nothing is moved
    assert about_then_asked("The driver, was anyone else hurt?") == "The driver, was anyone else hurt?"


def test_a_question_word_run_together_with_did_is_no_name() -> None:
    assert names("Where'd they take those two?") == []
    assert names("Who'll pay for the Halden bridge?") == ["Halden"]
    assert names("How's Mira doing?") == ["Mira"]
    taken = history(
        ("How many people were hurt?", "**14**. Fourteen people were hurt. [1]"),
        ("Where'd they take those two?", "**Göttingen**. Two were flown to Göttingen. [1]"),
    )
    # "Where'd" is no one "he" may be
    assert all("Where" not in r.text for r in Conversation.from_history(taken).referents())
    assert "Where'd" not in condense_by_rule("Was he ok?", taken)


def test_that_thing_of_an_earlier_question_is_the_thing_it_next() -> None:
    dam = history(
        (
            "What happened with that dam in western Kenya?",
            "An earthen dam above the village of Kapsoit in western Kenya burst before dawn on Tuesday. [1]",
        )
    )
    # "that dam" is the dam, asked of before the place it is in
    assert condense_by_rule("When did it go?", dam) == "When did the dam go?"
    assert demonstrative_as_the("What happened with that dam in western Kenya?") == (
        "What happened with the dam in western Kenya?"
    )
    assert demonstrative_as_the("How old is this bridge?") == "How old is the bridge?"
    # a time stays ("this year's flood"), and "this" opens no clause
    assert demonstrative_as_the("What caused this year's flood?") == "What caused this year's flood?"
    assert demonstrative_as_the("Did she say this plan was final?") == "Did she say the plan was final?"
    # a clause's "that" stays
    assert demonstrative_as_the("Did he say that prices rose?") == "Did he say that prices rose?"
    assert demonstrative_as_the("Why did that happen?") == "Why did that happen?"


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("Can you tell me what the dam was built for in the first place?", "What was the dam built for?"),
        ("Do you know who won?", "Who won?"),
        ("Could you please tell me how many people were hurt?", "How many people were hurt?"),
        ("I'd like to know where the minister is", "Where is the minister?"),
        ("Do you know if anyone was hurt?", "Was anyone hurt?"),
        ("Why is the ash such a problem for planes anyway?", "Why is the ash such a problem for planes?"),
        ("When can he race again?", "When can he race again?"),
        ("When exactly did it burst?", "When did it burst?"),
        ("Was she injured at all?", "Was she injured?"),
        ("Did anyone at all see it?", "Did anyone at all see it?"),
        ("Please, who won?", "Who won?"),
        # what it cannot put back in order, or what asks nothing else, stays as asked
        ("Do you know if they won the cup?", "Do you know if they won the cup?"),
        ("Can you tell me when the dam burst?", "Can you tell me when the dam burst?"),
        ("Can you tell me what he had for breakfast?", "Can you tell me what he had for breakfast?"),
        ("Do you know which team won?", "Which team won?"),
        ("Do we know who bought it?", "Who bought it?"),
        ("Does anyone know who bought it?", "Who bought it?"),
        ("Any idea who bought it?", "Who bought it?"),
        ("I was wondering who bought it", "Who bought it?"),
        # whether they (the investigators) know is asked of them
        ("Do they know what caused the blaze?", "Do they know what caused the blaze?"),
        ("Could you tell me who stole the painting?", "Who stole the painting?"),
        # what it cannot put in question order stays as asked
        ("Do you know which team they beat?", "Do you know which team they beat?"),
        ("Any idea which hospital she was taken to?", "Any idea which hospital she was taken to?"),
        ("What, exactly, is EPO?", "What is EPO?"),
        # a filler's word in a name is the name's
        ("What is the film Really Bad about?", "What is the film Really Bad about?"),
        ("Really?", "Really?"),
        ("Who won the final?", "Who won the final?"),
    ],
)
def test_a_request_around_a_question_and_words_of_speech_in_it_are_not_read(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("Is the council going to pay up?", "Will the council pay up?"),
        ("Is Eirik Haugland going to appeal?", "Will Eirik Haugland appeal?"),
        ("Is Westbrook Zoo going to be fined?", "Will Westbrook Zoo be fined?"),
        ("When is the ban going to take effect?", "When will the ban take effect?"),
        ("What's going to happen to him?", "What will happen to him?"),
        ("How much is it going to cost?", "How much will it cost?"),
        ("Which team is going to win?", "Which team will win?"),
        # going somewhere is no future of a verb; a past intention is no future
        ("Is he going to Paris?", "Is he going to Paris?"),
        ("Is she going to the final?", "Is she going to the final?"),
        ("Is the company going to court?", "Is the company going to court?"),
        ("Are they going ahead with it?", "Are they going ahead with it?"),
        ("Was he going to resign?", "Was he going to resign?"),
        # "going to" of another clause is that clause's
        (
            "Is it true that the council is going to ban e-scooters?",
            "Is it true that the council is going to ban e-scooters?",
        ),
        ("Is there any chance he is going to resign?", "Is there any chance he is going to resign?"),
        ("Is there going to be a vote?", "Will there be a vote?"),
        ("When is the museum going to open?", "When will the museum open?"),
        ("Is the mayor going to address the issue?", "Will the mayor address the issue?"),
        ("Is the plan going to work?", "Will the plan work?"),
    ],
)
def test_a_future_with_going_to_is_read_with_will(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


@pytest.mark.parametrize(
    ("asked", "who"),
    [
        ("Did anyone vote against the ban?", "Who voted against the ban?"),
        ("Did anyone else leave with Tomas Lindqvist?", "Who else left with Tomas Lindqvist?"),
        ("Did anybody warn about the dam beforehand?", "Who warned about the dam beforehand?"),
        ("Did someone stop the game?", "Who stopped the game?"),
        ("Did anyone plan the attack?", "Who planned the attack?"),
        ("Did anyone visit him?", "Who visited him?"),
        ("Did anyone try to help?", "Who tried to help?"),
        ("Has anyone died, regarding Sicily?", "Who has died, regarding Sicily?"),
        ("Is anybody else trying to block the bonds?", "Who else is trying to block the bonds?"),
        ("Did anyone bid for the club?", "Who bid for the club?"),
        ("Did anything occur?", None),
        ("Did anyone transfer money?", "Who transferred money?"),
        ("Will anyone be charged?", "Who will be charged?"),
        # whether anyone did is asked of no one else
        ("Did the council vote?", None),
        ("Who voted against the ban?", None),
        ("Did anyone's house burn down?", None),
        ("Did anyone not vote?", None),
        # a request to anyone asks no one
        ("Can anyone tell me what happened?", None),
        ("Would anyone know when the museum reopens?", None),
    ],
)
def test_whether_anyone_did_something_is_read_as_who_did_it(asked: str, who: str | None) -> None:
    assert who_reading(asked) == who


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("What got stolen from the museum?", "What was stolen from the museum?"),
        ("Who got arrested?", "Who was arrested?"),
        ("How many flights got scrapped?", "How many flights were scrapped?"),
        (
            "Which other towns got hit besides Halden Creek?",
            "Which other towns were hit besides Halden Creek?",
        ),
        ("What gets recycled?", "What is recycled?"),
        ("Did anyone get hurt?", "Was anyone hurt?"),
        ("Did the workers get paid?", "Were the workers paid?"),
        ("Why did he get sacked?", "Why was he sacked?"),
        ("When does the bridge get finished?", "When is the bridge finished?"),
        ("Can you tell me what got stolen?", "What was stolen?"),
        ("How much did they get paid?", "How much were they paid?"),
        # "get" after a modal or an auxiliary of the subject is no wh-subject's passive
        ("Who will get picked?", "Who will get picked?"),
        ("How many people could get evicted?", "How many people could get evicted?"),
        # "get" before anything but a past participle is no passive
        ("Has anyone got sick from it?", "Has anyone got sick from it?"),
        ("What got out of Westbrook Zoo?", "What got out of Westbrook Zoo?"),
        ("Did they get away?", "Did they get away?"),
        ("How did the thieves get in?", "How did the thieves get in?"),
        ("What did they get?", "What did they get?"),
    ],
)
def test_a_passive_said_with_get_is_read_with_be(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("Where'd they take those two?", "Where did they take those two?"),
        ("Who's behind it?", "Who is behind it?"),
        ("What's happened at Harwick City?", "What has happened at Harwick City?"),
        ("What's been done?", "What has been done?"),
        ("Who'd been there?", "Who had been there?"),
        ("Who'd won before?", "Who had won before?"),
        ("What's the total price tag?", "What is the total price tag?"),
        ("Who's taking over?", "Who is taking over?"),
        # a past participle after "'s" may be "is" or "has": left as asked
        ("What's left?", "What's left?"),
        ("What's caused the delays?", "What's caused the delays?"),
        ("Who's named the new coach?", "Who's named the new coach?"),
        ("Where's the money gone?", "Where's the money gone?"),
        # "'d" before a verb may be "would" or "did"
        ("Who'd want that?", "Who'd want that?"),
        ("Who'd benefit?", "Who'd benefit?"),
        # "did" before a subject and its plain verb, "does" after "'s"
        ("How'd investors react?", "How did investors react?"),
        ("How long'd that take?", "How long did that take?"),
        ("What's he want?", "What does he want?"),
        ("Where's she live?", "Where does she live?"),
        ("What's it cost?", "What does it cost?"),  # a plain verb the tagger reads as a noun
        ("What's he doing?", "What is he doing?"),
        ("What's he worth?", "What is he worth?"),
        # a noun of what one is, which no verb is
        ("What's he chairman of?", "What is he chairman of?"),
        ("What's it home to?", "What is it home to?"),
        # "'s" before a subject and a plain verb stays: "the rate cut this year" may be a noun
        ("What's the rate cut this year?", "What is the rate cut this year?"),
        ("What'd've happened?", "What'd've happened?"),  # would have
        # a noun compound's last word read as a verb is no plain verb after a subject
        ("What's the rate cut?", "What is the rate cut?"),
        ("Who's the team lead?", "Who is the team lead?"),
        ("Why'd the storm hit the coast?", "Why did the storm hit the coast?"),  # "hit": either form
        ("Where'd they have the meeting?", "Where did they have the meeting?"),
        ("What's the best way to get there?", "What is the best way to get there?"),
        ("What's this blood pressure drug recall about?", "What is this blood pressure drug recall about?"),
        # a noun's "'d" after "which": "had" before a past participle
        ("which country'd the kid been to?", "Which country had the kid been to?"),
        ("Who've they arrested?", "Who have they arrested?"),
        ("And what's the most valuable thing?", "And what is the most valuable thing?"),
        ("Who won?", "Who won?"),
    ],
)
def test_a_question_words_contracted_verb_is_said_in_full(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        # a yes/no question in the negative asks what the positive asks: the sentence that
        # says whether answers both ("A ventilation fan ... had also failed")
        ("wasn't there ventilation?", "Was there ventilation?"),
        ("weren't there co alarms", "Were there co alarms?"),
        ("Won't they appeal?", "Will they appeal?"),
        ("So can't they just fix it?", "So can they just fix it?"),
        ("Doesn't the council own the land?", "Does the council own the land?"),
        ("Isn’t the bridge closed?", "Is the bridge closed?"),
        # a negative after a question word is what is asked, and one with no subject
        # after it asks nothing of one
        ("Why didn't they stop?", "Why didn't they stop?"),
        ("Don't know?", "Don't know?"),
        ("Doesn't matter?", "Doesn't matter?"),
        ("Who wasn't invited?", "Who wasn't invited?"),
    ],
)
def test_a_negative_yes_no_question_is_read_in_the_positive(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("what's the story with the church in Kelbridge?", "What happened with the church in Kelbridge?"),
        (
            "What's the situation at the border?",
            "What is the situation at the border?",
        ),  # now, not what happened
        ("what's up with the trains", "What is up with the trains?"),  # "up" is left
        ("What is the story about?", "What is the story about?"),
    ],
)
def test_what_is_the_story_with_something_asks_what_happened(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


def test_how_many_after_who_did_it_counts_what_was_done_to() -> None:
    found = history(("Who found the Roman silver coins?", "**Derek Pellow**. Derek Pellow found them. [1]"))
    assert condense_by_rule("how many?", found) == "How many Roman silver coins did Derek Pellow find?"
    # "How much?" after one thing bought asks how much was paid, as before
    bought = history(("Who bought the club?", "**Jim Ratcliffe**. Ratcliffe bought it. [1]"))
    assert condense_by_rule("How much?", bought) == "How much did Jim Ratcliffe buy the club?"
    assert condense_by_rule("How?", found) == "How did Derek Pellow find the Roman silver coins?"


def test_why_after_who_did_it_asks_in_the_passive_and_his_is_a_person_who_answered_where() -> None:
    criticized = history(("Who criticized this system?", "**Clifford J. Woolf**. Woolf criticized it. [1]"))
    assert condense_by_rule("Why?", criticized) == "Why was this system criticized by Clifford J. Woolf?"
    # a verb whose past is no "-ed" form: asked with "did" ("bought": "did ... buy"), and
    # with "does" in the present ("do" for many); the answer to "what" as the verb's object
    # is asked about; an unknown past, or a sentence answer, keeps the topic
    for (asked, answer), bare, standalone in [
        (("Who bought the cards?", "**CNN**. CNN bought them. [1]"), "Why?", "Why did CNN buy the cards?"),
        (("Who won the semi-final?", "**Odda FK**. x [1]"), "How?", "How did Odda FK win the semi-final?"),
        (("Who leads the party?", "**Sofie Lund**. x [1]"), "Why?", "Why does Sofie Lund lead the party?"),
        (
            ("Who lies behind the attack?", "**Wagner**. x [1]"),
            "Why?",
            "Why does Wagner lie behind the attack?",
        ),
        (("Who leads the council?", "**the Greens**. x [1]"), "Why?", "Why do the Greens lead the council?"),
        (("Who flies the plane?", "**Ola Berg**. x [1]"), "Why?", "Why does Ola Berg fly the plane?"),
        (("Who tries the case?", "**Judge Lie**. x [1]"), "Why?", "Why does Judge Lie try the case?"),
        (
            ("What does the council leader prefer?", "**rebuilding on the same site**. x [1]"),
            "Why?",
            "Why does the council leader prefer rebuilding on the same site?",
        ),
        (
            ("What does the council leader prefer?", "The council leader prefers to rebuild. [1]"),
            "Why?",
            "Why, regarding what the council leader prefers?",
        ),
        (
            ("Who swept the floor?", "**Ana**. Ana swept it. [1]"),
            "Why?",
            "Why, regarding who swept the floor?",
        ),
    ]:
        assert condense_by_rule(bare, history((asked, answer))) == standalone
    traced = history(
        (
            "Where is the history of European comics traced to?",
            "**Rodolphe Töpffer**. It is traced to Rodolphe Töpffer's cartoon strips. [1]",
        )
    )
    assert (
        condense_by_rule("When were his strips made?", traced) == "When were Rodolphe Töpffer's strips made?"
    )


# --- regressions a review of the change found (2026-12-05) --------------------------------


def test_a_person_who_answered_which_general_or_candidate_is_he_next() -> None:
    waterloo = history(
        (
            "Which general was defeated at Waterloo?",
            "**Napoleon Bonaparte**. Napoleon Bonaparte was defeated. [1]",
        )
    )
    assert condense_by_rule("When was he born?", waterloo) == "When was Napoleon Bonaparte born?"
    votes = history(("Which candidate received the most votes?", "**Barack Obama**. Barack Obama won. [1]"))
    assert condense_by_rule("When was he born?", votes) == "When was Barack Obama born?"


def test_a_question_whose_verb_the_tagger_reads_as_a_noun_is_no_fragment() -> None:
    born = history(("When was Tesla born?", "**1856**. Tesla was born in 1856. [1]"))
    assert not needs_context("What causes tides?")
    assert condense_alternatives("What causes tides?", born)[0] == "What causes tides?"
    killed = history(("When was Brazelton killed?", "**August 19, 1878**. He was killed then. [1]"))
    # a fragment that asks of another thing is not put before the last question's verb
    assert "Whose son was" not in condense_by_rule("Whose son?", killed)
    assert "how old was" not in condense_by_rule("And how old?", killed)


def test_one_in_names_and_set_phrases_is_left_alone() -> None:
    opens = history(("Will the new bridge ever need to open?", "Haugen said it will never need to open. [1]"))
    for question in ("Who is the Chosen One in Harry Potter?", "Who won the Formula One title in 2010?"):
        assert condense_by_rule(question, opens) == question
    assert "the only bridge" not in condense_by_rule("Is it the only one in Norway?", opens)
    patent = history(("What did Bell patent?", "**the telephone**. Bell patented the telephone. [1]"))
    assert "that one of" in condense_by_rule("Was that one of his inventions?", patent)


def test_that_before_a_noun_or_after_by_is_no_time() -> None:
    swing = history(("When did swing music become popular?", "**1935**. It became popular in 1935. [1]"))
    assert condense_by_rule("What happened after that war?", swing) == "What happened after that war?"
    assert "1935" not in condense_by_rule("What did he mean by that?", swing)
    assert condense_by_rule("What happened after that?", swing) == "What happened after 1935?"


def test_that_before_a_noun_is_what_the_last_answer_named_or_the_noun() -> None:
    fault = history(
        ("What caused the fault?", '**switch**. "A faulty switch let the plate run on," she said. [1]')
    )
    # (the phrase the answer's sentence brings the switch in with)
    assert condense_by_rule("Who made that part?", fault) == "Who made the faulty switch?"
    assert condense_by_rule("Who made this switch?", fault) == "Who made the faulty switch?"
    # any other noun keeps its "that" ("that night", "that deal"); so does "that" opening a
    # clause, and "that" of a time
    assert condense_by_rule("Where are those factories?", fault) == "Where are those factories?"
    assert "that night" in condense_by_rule("What happened that night?", fault)
    assert condense_by_rule("Which paper reported that prices rose?", fault) == (
        "Which paper reported that prices rose?"
    )
    assert "during that time" in condense_by_rule("How many races were held during that time?", fault)
    # "that" opening a clause before the noun itself; a thing said with "a" made definite;
    # never as many ("those switches" are not the one switch)
    faulty = history(("What caused the fault?", "**a faulty switch**. A faulty switch caused it. [1]"))
    admitted = "Did the maker admit that switch was faulty?"
    assert condense_by_rule(admitted, faulty) == admitted
    assert condense_by_rule("Who made that switch?", faulty) == "Who made the faulty switch?"
    assert condense_by_rule("Who made those switches?", faulty) == "Who made those switches?"


def test_the_passive_needs_an_object_and_keeps_a_not() -> None:
    castle = history(("Who lived in the castle?", "**the Duke of York**. The Duke lived there. [1]"))
    assert "was in the castle lived" not in condense_by_rule("Why?", castle)
    fire = history(("Who started the fire?", "**Billy Joel**. Billy Joel did. [1]"))
    assert "Why was the fire started" not in condense_by_rule("Why not?", fire)


@pytest.mark.parametrize(
    ("asked", "answer", "standalone"),
    [
        (
            "What did Norges Bank do with the interest rate?",
            "lowered its policy rate",
            "Why did Norges Bank lower its policy rate?",
        ),
        ("What did Fjord1 do?", "cancelled all crossings", "Why did Fjord1 cancel all crossings?"),
        ("What did the company do?", "stopped production", "Why did the company stop production?"),
        ("What did the union do?", "called a strike", "Why did the union call a strike?"),
        ("What will the bank do?", "cut rates again", "Why will the bank cut rates again?"),
        ("What has the bank done?", "raised rates", "Why has the bank raised rates?"),
        ("What does the company do?", "makes kettles", "Why does the company make kettles?"),
        # an answer that opens with no verb, or a sentence, is asked with the topic
        ("What did the bank do?", "a quarter point cut", "Why, regarding what the bank did?"),
    ],
)
def test_why_after_what_someone_did_asks_why_of_the_action(asked: str, answer: str, standalone: str) -> None:
    """ "Why?" after "What did Norges Bank do with the interest rate?" answered "lowered its
    policy rate" asks why it did that, never the broken "Why did Norges Bank do with the
    interest rate?"."""
    assert condense_by_rule("Why?", history((asked, f"**{answer}**. x [1]"))) == standalone


def test_it_that_happened_is_an_event_never_a_place_or_a_thing() -> None:
    """ "When did it happen?" after "What was stolen from the Lillehammer museum?" asks when
    the theft was: never "When did the Lillehammer museum happen?"; with no event named it
    is asked with the conversation's topic, and an event named is "it"."""
    stolen = history(
        (
            "What was stolen from the Lillehammer museum?",
            "**two sketches**. Two sketches by Edvard Munch were stolen from the Lillehammer Art Museum. [1]",
        )
    )
    assert condense_by_rule("When did it happen?", stolen) == (
        "When did it happen, regarding what was stolen from the Lillehammer museum?"
    )
    assert condense_alternatives("Where did it take place?", stolen) == [
        "Where did it take place, regarding what was stolen from the Lillehammer museum?"
    ]
    assert condense_by_rule("When did it open?", stolen) == "When did the Lillehammer museum open?"
    vote = history(("Who won the Tarnby election?", "**the Green Party**. The Greens won it. [1]"))
    assert condense_by_rule("When did it take place?", vote) == "When did the Tarnby election take place?"
    # "this" that happened is the conversation's event, asked with its first question
    derailed = history(
        ("Where did the train derail?", "**south of Hamar**. A freight train derailed south of Hamar. [1]"),
        ("Who operated the train?", "**CargoNet**. The train was operated by CargoNet. [1]"),
    )
    assert condense_by_rule("Has this happened before?", derailed) == (
        "Has this happened before, regarding where the train derailed?"
    )


MUSEUM = """Thieves steal Munch sketches from Lillehammer museum in night-time raid

Published 2026-03-09

Two sketches by Edvard Munch were stolen from the Lillehammer Art Museum early on Sunday, police said, in the first theft of a Munch work in Norway since 2004.

The thieves broke a window on the ground floor at about 3.40 a.m. and were inside for less than four minutes, according to police. An alarm went off, but the first patrol arrived nine minutes later, when the thieves had already left in a dark estate car.

The stolen works are two pencil sketches for "The Sick Child" that Munch made in 1896. The museum's director, Ingrid Fosse, said they were insured for 18 million kroner together, but that their value to the museum could not be measured in money.

"These are small, fragile works. We are most worried that they will be damaged," Fosse said. She said the museum had asked the council for money to upgrade its security system last year, but had been turned down.

Police have found the car burned out near Gjøvik, 45 kilometres to the south. Investigator Per Arne Moen said that two men in their thirties were being sought, and that police were examining footage from cameras along the E6.

The museum will stay closed until Wednesday. Its collection includes about 3,000 works, mostly by Norwegian artists of the 19th and 20th centuries.
"""


@pytest.fixture(scope="module")
def museum_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("museum"), "museum.txt", MUSEUM) as qa:
        yield qa


def test_a_follow_up_is_told_nothing_more_only_where_its_answer_was_given(museum_qa: QA) -> None:
    """ "The articles say nothing more about this than the answer above" is said of a
    question whose answer was given already ("Who is the museum's director?" after "Who is
    the director of the Lillehammer museum?"), never of one the articles do not answer ("When
    will the museum reopen?" was refused so before a sentence could answer it without
    repeating the article's title)."""
    first = "Who is the director of the Lillehammer museum?"
    answer = museum_qa.answer(first)
    assert "Ingrid Fosse" in answer.text
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": answer.text}]
    again = museum_qa.answer("Who is the museum's director?", history)
    assert again.abstained and again.text.startswith("The articles say nothing more")
    unsaid = museum_qa.answer("When will the museum reopen?", history)
    assert unsaid.text.startswith("The articles don't say") or "Wednesday" in unsaid.text


def test_a_sentence_need_not_repeat_its_article_s_title(museum_qa: QA) -> None:
    """What the article's title says the story is about counts only where the sentence says
    it: "The museum will stay closed until Wednesday." holds more of "When will the
    Lillehammer museum reopen?" in an article headed "... from Lillehammer museum ..." than
    it would anywhere, by the index's own term weights."""
    from qa.answering.reader_answerer import ReaderAnswerer, plain_stems

    reader = museum_qa.extractive
    assert isinstance(reader, ReaderAnswerer)
    question = "When will the Lillehammer museum reopen?"
    sentence = "The museum will stay closed until Wednesday."
    title = "Thieves steal Munch sketches from Lillehammer museum in night-time raid"
    anywhere = reader.sentence_support(question, sentence)
    here = reader.sentence_support(question, sentence, plain_stems(title) - plain_stems(sentence))
    assert 0 < anywhere < here < 1
    # a question of the title's words alone is weighed on all of them
    assert reader.sentence_support("Which museum did the thieves raid?", sentence, plain_stems(title)) == (
        reader.sentence_support("Which museum did the thieves raid?", sentence)
    )


def test_a_follow_up_read_with_its_topic_is_not_answered_by_the_topic_alone(museum_qa: QA) -> None:
    """The topic attached to a follow-up finds the article; the sentence must still say
    something of what the follow-up asks."""
    from types import SimpleNamespace

    from qa.answering.reader_answerer import ReaderAnswerer

    reader = museum_qa.extractive
    assert isinstance(reader, ReaderAnswerer)
    text = "Lillehammer has been hit by heavy rain since March. Police arrested a man on Friday."

    def choice(sentence: str) -> Any:
        start = text.index(sentence)
        article = SimpleNamespace(text=text)
        passage = SimpleNamespace(hit=SimpleNamespace(article=article))
        return SimpleNamespace(passage=passage, sentence_start=start, sentence_end=start + len(sentence))

    rain = choice("Lillehammer has been hit by heavy rain since March.")
    arrested = choice("Police arrested a man on Friday.")
    asked = "Have the police arrested anyone, regarding Lillehammer?"
    assert reader.topic_only(asked, rain)
    assert not reader.topic_only(asked, arrested)
    # no topic attached: the other checks judge it
    assert not reader.topic_only("Have the police arrested anyone?", rain)
    # a clause of one word of its own asks what its topic says; light verbs are no words
    assert not reader.topic_only("Was that true, regarding Lillehammer?", rain)
    assert not reader.topic_only("Is he still going to get paid, regarding Lillehammer?", rain)
    # one word of its own that is what is done is asked of the follow-up, not its topic
    assert reader.topic_only("Can I still ride my own one, regarding Lillehammer?", rain)
    # a span of the kind asked may answer a question in other words: the reader judges
    assert not reader.topic_only("How many people were held, regarding Lillehammer?", rain)


def test_it_and_this_that_happened_are_the_latest_event() -> None:
    """ "When did it happen?" after "What caused the oil spill?" is of the spill; "this" of
    "Has this happened before?" is the latest event asked about ("Why did the bridge
    collapse?"), not the conversation's first question."""
    spill = history(("What caused the oil spill?", "**the grounding**. The ship ran aground. [1]"))
    assert condense_by_rule("When did it happen?", spill) == "When did the oil spill happen?"
    heat = history(
        ("Who won the election?", "**the Greens**. The Greens won. [1]"),
        ("What did the heatwave do?", "It closed schools. [1]"),
    )
    assert condense_by_rule("How long did it last?", heat) == "How long did the heatwave last?"
    bridge = history(
        ("Who won the election?", "**the Greens**. The Greens won. [1]"),
        ("Why did the bridge collapse?", "The cables failed. [1]"),
    )
    assert condense_by_rule("Has this happened before?", bridge) == (
        "Has this happened before, regarding why the bridge collapsed?"
    )


def test_it_that_last_did_something_is_no_event_and_an_event_it_stays_without_one() -> None:
    """ "When did it last blow?" is of the volcano: "last" says when it did, it is no verb
    of an event ("How long did it last?" is); "Does he think it's over?" asks of what
    happened, which no answer named: "it" stays, never the agency he heads. A people's
    adjective keeps its capital and is no referent of its own ("Where is Indonesian?")."""
    volcano = history(
        (
            "Which Indonesian volcano erupted this weekend?",
            "**Mount Kerapang**. Mount Kerapang erupted on Saturday. [1]",
        ),
    )
    assert condense_by_rule("When did it last blow?", volcano) == "When did Mount Kerapang last blow?"
    unnamed = history(
        (
            "Which Indonesian volcano erupted this weekend?",
            "Indonesia raised the alert after the volcano erupted. [1]",
        ),
    )
    referents = [r.text for r in Conversation.from_history(unnamed).referents()]
    assert "the Indonesian volcano" in referents
    assert "Indonesian" not in referents
    agency = [
        *volcano,
        *history(
            ("Who heads the volcano agency?", "**Hendra Wibisono**. Hendra Wibisono heads the agency. [1]")
        ),
    ]
    assert condense_by_rule("Does he think it's over?", agency) == "Does Hendra Wibisono think it is over?"
    assert condense_by_rule("How long did it last?", volcano) != "How long did Mount Kerapang last?"
    # a phrase said first is what "it" means; what is over may be a lockdown; over budget is
    # no end of anything
    ceasefire = history(("Who signed the ceasefire?", "**Both sides**. Both sides signed the ceasefire. [1]"))
    assert (
        condense_by_rule("And the ceasefire, how long did it last?", ceasefire)
        == "How long did the ceasefire last?"
    )
    lockdown = history(
        ("What is the latest on the Oslo lockdown?", "The Oslo lockdown was extended to Friday. [1]")
    )
    assert condense_by_rule("Is it over?", lockdown) == "Is the Oslo lockdown over?"
    stadium = history(
        ("How much did the new stadium cost?", "**2 billion**. The new stadium cost 2 billion. [1]")
    )
    assert condense_by_rule("Is it over budget?", stadium) == "Is the new stadium over budget?"
    # how bad it was is said of what happened: no train, no rain ("Why wasn't it worse?")
    rain = history(
        ("What caused the train to derail?", "**heavy rain**. Heavy rain washed mud onto the tracks. [1]")
    )
    assert "rain" not in condense_by_rule("Why wasn't it a lot worse?", rain).partition(",")[0]
    assert "train" not in condense_by_rule("Why wasn't it a lot worse?", rain).partition(",")[0]
    # what a thing is like, or a disease now, is of the thing
    drug = history(("Which drug was recalled?", "**Caldorin**. Caldorin was recalled on Monday. [1]"))
    assert condense_by_rule("Is it bad for children?", drug) == "Is Caldorin bad for children?"
    school = history(
        ("What's going on at the school?", "**measles**. Measles is spreading at the school. [1]")
    )
    assert condense_by_rule("How severe is it?", school) == "How severe is measles?"


def test_they_who_notice_are_someone_and_a_superlative_answer_keeps_its_the() -> None:
    """ "How did they notice?" is of people who may notice, never "worst outbreaks" (the
    answer to what was going on): the officials the answer's sentence opens with may be; the
    answer "worst outbreak in the district" is "the worst outbreak" next, a superlative's one
    of its kind."""
    flu = history(
        (
            "What's going on with the bird flu near Welbury?",
            "**worst outbreak in the district for more than a decade**. Officials ordered the "
            "culling of 180,000 chickens after the worst outbreak in the district. [1]",
        )
    )
    assert condense_by_rule("How did they notice?", flu) == "How did the officials notice?"
    # with no one named, "they" stays
    alone = history(
        (
            "What's going on with the bird flu near Welbury?",
            "**worst outbreak in the district for more than a decade**. The culling of 180,000 "
            "chickens was ordered after the worst outbreak in the district. [1]",
        )
    )
    assert condense_by_rule("How did they notice?", alone) == "How did they notice?"
    referents = [r.text for r in Conversation.from_history(flu).referents()]
    assert "the worst outbreak" in referents
    assert "worst outbreak" not in referents


def test_a_place_put_for_there_is_said_as_the_articles_say_it() -> None:
    """ "there" of a river the articles call "the Varra River" is "in the Varra River"; a
    town they name bare is named bare."""
    river = (
        "A mine dam failed on Tuesday, spilling waste into the Varra River. The Varra River turned orange. "
        "Fish died along the Varra River."
    )
    turns = history(
        ("Where did the waste from the mine go?", f"**Varra River**. {river.split('. ')[0]}. [1]")
    )
    conversation = Conversation.from_history(turns).with_articles([river])
    assert condense_by_rule("Why can't people drink the water there?", conversation) == (
        "Why can't people drink the water in the Varra River?"
    )
    fire = "A wildfire tore through scrubland north of Pinecrest Valley. Pinecrest Valley was evacuated."
    turns = history(("What happened near Pinecrest Valley?", f"**wildfire**. {fire.split('. ')[0]}. [1]"))
    conversation = Conversation.from_history(turns).with_articles([fire])
    assert condense_by_rule("Who lives there?", conversation) == "Who lives in Pinecrest Valley?"


@pytest.mark.parametrize(
    ("asked", "inside"),
    [
        ("will the government bail the employees out", "whether the government will bail the employees out"),
        ("how did Eirik Haugland try to defend himself", "how Eirik Haugland tried to defend himself"),
        ("what does the council leader prefer", "what the council leader prefers"),
        ("what is Boris Grislov's position", "what Boris Grislov's position is"),
        ("why wasn't Kassel a lot worse", "why Kassel wasn't a lot worse"),
        ("why didn't the judges buy that", "why the judges didn't buy that"),
        (
            "is anyone interested in taking over the site",
            "whether anyone is interested in taking over the site",
        ),
        ("why did the bridge collapse", "why the bridge collapsed"),  # "collapse" tagged a noun
        (
            "how much emergency aid did Nixon request for Israel",
            "how much emergency aid Nixon requested for Israel",
        ),
        ("has the company paid the fine", "whether the company has paid the fine"),
        ("how long will the strike last", "how long the strike will last"),
        ("where is the rest of it", "where the rest of it is"),
        (
            "why are people in Pellerby being told to boil water",
            "why people in Pellerby are being told to boil water",
        ),
        ("why does he say he can't offer more", "why he says he can't offer more"),
        ("is the bridge over the river safe", "whether the bridge over the river is safe"),
        ("did the pilot not see the plane", "whether the pilot did not see the plane"),
        ("why can't the council pay", "why the council can't pay"),
        ("can the court review the case", "whether the court can review the case"),
        ("how does the system work", "how the system works"),
        ("why wasn’t Kassel worse", "why Kassel wasn’t worse"),  # the apostrophe as typed
        ("was it arson", "whether it was arson"),
        ("when did they last check the drain", "when they last checked the drain"),
        ("has it ever happened before", "whether it has ever happened before"),
        ("why did it fail, according to the engineer", "why it failed, according to the engineer"),
        ("how much did the castle cost to build", "how much the castle cost to build"),
        ("will the ski lift firm get compensated", "whether the ski lift firm will get compensated"),
        ("what is the largest stadium in Australia", "what the largest stadium in Australia is"),
        ("why are teachers in Valmora on strike", "why teachers in Valmora are on strike"),
        ("are farmers on the shops' side", "whether farmers are on the shops' side"),
        ("how long was he at it", "how long he was at it"),
        ("was anybody else running", "whether anybody else was running"),
        # "that" or "this" alone is a subject, before a noun its determiner
        ("when was that", "when that was"),
        ("what does that mean", "what that means"),
        ("how long is that going to last", "how long that is going to last"),
        ("is that over the limit", "whether that is over the limit"),
        ("has this happened before", "whether this has happened before"),
        ("how many games did that package cover", "how many games that package covered"),
        ("has that rocket ever failed before", "whether that rocket has ever failed before"),
        # "there" of "is there"; a share of something; a pronoun after a phrase with a noun
        ("is there a vaccine for chickens", "whether there is a vaccine for chickens"),
        ("wasn't there ventilation", "whether there wasn't ventilation"),
        ("would there've been a fine", "whether there would've been a fine"),
        ("are any of the parents suing", "whether any of the parents are suing"),
        ("did any of it get into the sea", "whether any of it got into the sea"),
        ("which town was it", "which town it was"),
        ("whose land was it on", "whose land it was on"),
        ("how old was he when he chose it", "how old he was when he chose it"),
        # words the tagger reads as of another kind: "planning" a verb, "the call" a noun,
        # "back" after "will" and its subject the verb; a British "-ise" verb's past
        ("is anyone planning to replace it", "whether anyone is planning to replace it"),
        ("how long did the call last", "how long the call lasted"),
        ("will the council back her", "whether the council will back her"),
        ("what did he realise then", "what he realised then"),
        ("who is the boss of the exam board", "who the boss of the exam board is"),
        # "that" before a noun phrase that runs to the end is alone the subject; "that"
        # after "it" is "so"; "last" before no verb is the verb
        ("is that good news for him", "whether that is good news for him"),
        ("was that 2019", "whether that was 2019"),
        ("does that matter", "whether that matters"),
        ("is that bridge over the river safe", "whether that bridge over the river is safe"),
        ("is it that hard", "whether it is that hard"),
        ("who was it that called", "who it was that called"),
        ("is the flood warning the highest level", "whether the flood warning is the highest level"),
        ("did the call last long", "whether the call lasted long"),
        ("would there’ve been a fine", "whether there would’ve been a fine"),
        # the question's phrase is the subject, or "had" the verb, or a verb read as a noun
        ("which court is the highest court in the EU", "which court is the highest court in the EU"),
        ("how many of those are trucks", "how many of those are trucks"),
        ("which farm had it first", "which farm had it first"),
        ("who is footing the bill", "who is footing the bill"),
        # "has" the verb, a negative of "anyone": as asked
        ("who has the power plant", "who has the power plant"),
        ("why didn't anyone stop him", "why didn't anyone stop him"),
        # asked of its subject: as it is
        ("who led the negotiations with Prigozhin", "who led the negotiations with Prigozhin"),
        ("how many flights were scrapped", "how many flights were scrapped"),
        ("who was killed", "who was killed"),
        # a subject whose end the tags do not show, or two sentences: as asked
        ("are most ctenophore species hermaphrodites", "are most ctenophore species hermaphrodites"),
        # asked what the subject is, its clause and all is the subject's; where a
        # participle may be what is said of it after its clause, as asked
        (
            "who was the skipper of the fishing boat that helped",
            "who the skipper of the fishing boat that helped was",
        ),
        ("what was the name of the hotel the team chose", "what the name of the hotel the team chose was"),
        ("what is a teacher who teaches alone called", "what is a teacher who teaches alone called"),
        ("how old is that pipe", "how old that pipe is"),
        ("what did those boundaries cause", "what those boundaries caused"),
        ("what is Paris the capital of", "what Paris is the capital of"),
        ("how big was the crowd expected to be", "how big the crowd was expected to be"),
        ("why is that bad news", "why that is bad news"),
        ("will that change anything", "whether that will change anything"),
        ("has that changed things", "whether that has changed things"),
        ("would this plan work", "whether this plan would work"),
        ("what is the film itself about", "what is the film itself about"),
        # what is said of "this": as asked
        ("what is this about a library book", "what is this about a library book"),
        # nothing said of a subject that runs to the end
        ("were the victims of the crash children", "were the victims of the crash children"),
        ("I'm on the drug. should I stop", "I'm on the drug. should I stop"),
    ],
)
def test_a_question_attached_as_a_topic_reads_as_inside_a_sentence(asked: str, inside: str) -> None:
    """ "Which other airlines are helping, regarding whether the government will bail the
    employees out?": an earlier question attached to a follow-up is said as English says a
    question inside a sentence (subject before its verb, "whether" for yes or no), where
    the tagger reads its subject and verb; otherwise it stays as asked."""
    assert embedded(asked) == inside


WILDFIRE = """Wildfire forces evacuation near Pinecrest Valley

PINECREST VALLEY, Aug 14 - A fast-moving wildfire tore through dry scrubland north of Pinecrest Valley on Wednesday, forcing authorities to evacuate about 4,200 residents from their homes in three villages.

The blaze started shortly after 1 p.m. near an abandoned quarry on Harlan Ridge, according to the regional fire service, and had burned roughly 3,600 hectares by nightfall.

Around 350 firefighters, supported by four water-bombing aircraft, were deployed to the fire line by evening. One firefighter was taken to hospital with burns to his hands.
"""


@pytest.fixture(scope="module")
def wildfire_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("wildfire"), "wildfire.txt", WILDFIRE) as qa:
        yield qa


def test_a_follow_up_about_the_topic_in_other_words_is_answered_of_it(wildfire_qa: QA) -> None:
    """ "How many people had to leave their homes?" says neither the place nor "evacuate":
    read as asked, its best sentence is refused; read with the topic it is answered. And the
    wildfire the first answer brought in is "it" next, not the place it was asked of."""
    opening, homes = ask(
        wildfire_qa, "What's going on near Pinecrest Valley?", "How many people had to leave their homes?"
    )
    assert "wildfire" in opening.text and not opening.abstained
    assert "4,200" in homes.text and not homes.abstained
    _, start = ask(wildfire_qa, "What's going on near Pinecrest Valley?", "Where did it start?")
    # named as the story names it again ("The blaze started ..."), and what started is never
    # the place asked near ("Where did Pinecrest Valley start?" was answered "north")
    assert start.standalone_question == "Where did the wildfire start?"
    assert "Harlan Ridge" in start.text and not start.abstained
    # the dateline is a line of its own: no answer quotes its capitals
    assert "PINECREST VALLEY, Aug 14" not in opening.text


def test_a_follow_up_every_reading_of_which_is_refused_is_read_as_asked(seed_qa: QA, by_hand: ByHand) -> None:
    """ "What must happen before Gavi can buy it?" after answers that named Belgium and a
    price: every referent put in is refused ("... buy Belgium?"); the question as asked,
    read within the conversation's articles, is answered (the vaccine its article is
    about), and is the reading shown. Outside a conversation's articles it is not tried."""
    question = "What must happen before Gavi can buy it?"
    options = [
        "What must happen before Gavi can buy Belgium?",
        "What must happen before Gavi can buy the price?",
    ]
    by_hand.refused.update(options)
    by_hand.scores.update({question: 0.6})
    kept = tuple(a.id for a in seed_qa.index.articles())
    chosen, _, draft = seed_qa._most_answerable(question, options, (), None, None, kept)
    assert chosen == question and not draft.abstained
    assert by_hand.read[-1] == question and len(by_hand.read) <= 3
    by_hand.read.clear()
    chosen, _, draft = seed_qa._most_answerable(question, options, (), None, None)
    assert chosen in options and draft.abstained and question not in by_hand.read
    # nor with a pronoun of a person: refused where the sentence is about someone else, and
    # "his" unresolved fits anyone ("What is his wife's name?")
    by_hand.read.clear()
    asked, rewrite = "What is his wife's name?", "What is Henrik Dahl's wife's name?"
    by_hand.refused.add(rewrite)
    by_hand.scores.update({asked: 0.9})
    chosen, _, draft = seed_qa._most_answerable(asked, [rewrite], (), None, None, kept)
    assert chosen == rewrite and draft.abstained and by_hand.read == [rewrite]
    # nor one that leans on "there" or "then", nor a fragment: as unresolved as "his"
    from qa.pipeline import _may_be_read_as_asked

    assert _may_be_read_as_asked("Will the trust pay up?") and _may_be_read_as_asked(question)
    for leaning in ("How many people live there?", "When?", "What happened then?", "Why did she leave?"):
        assert not _may_be_read_as_asked(leaning), leaning
    by_hand.refused.clear()


def test_a_follow_up_with_one_rewrite_is_read_as_asked_where_it_is_refused(
    seed_qa: QA, by_hand: ByHand
) -> None:
    """ "Where was it signed?" has one rewrite ("... was Prigozhin signed?"); refused, the
    question as asked is read within the conversation's article and answers."""
    history = [
        {"role": "user", "content": "Who led the negotiations with Prigozhin?"},
        {
            "role": "assistant",
            # the article's own sentence: the conversation keeps to its article
            "content": "**Alexander Lukashenko**. However, these negotiations were led by the dictator in "
            "Belarus, Alexander Lukashenko, an old friend of Prigozhin. [1]",
        },
    ]
    by_hand.refused.add("Where was Prigozhin signed?")
    by_hand.scores.update({"Where was it signed?": 0.6})
    answer = seed_qa.answer("Where was it signed?", history=history)
    assert by_hand.read == ["Where was Prigozhin signed?", "Where was it signed?"]
    assert not answer.abstained and answer.standalone_question in (None, "Where was it signed?")
    by_hand.refused.clear()


@pytest.mark.parametrize(
    ("asked", "answer", "ellipsis", "expected"),
    [
        # what a "how many" counts is never put in place of by one name ...
        (
            "How many points did the Denver Broncos score in the final?",
            "**24**. The Denver Broncos scored 24 points. [1]",
            "And Carolina?",
            "How many points did Carolina score in the final?",
        ),
        # ... but by its like
        (
            "How many Democrats voted for the bill?",
            "**210**. 210 Democrats voted for it. [1]",
            "And Republicans?",
            "How many Republicans voted for the bill?",
        ),
        (
            "How much oil does Saudi Arabia produce a day?",
            "**10 million barrels**. It does. [1]",
            "And gas?",
            "How much gas does Saudi Arabia produce a day?",
        ),
        # people in place of people, never of a thing that shares their "the"
        (
            "Why can't people drink the water from the Varra River?",
            "**copper**. Tests found copper in it. [1]",
            "And the farmers?",
            "Why can't the farmers drink the water from the Varra River?",
        ),
        # a relative, a body or a country in place of the one asked about
        (
            "What did Tom Reed say about the verdict?",
            "**that he would appeal**. Tom Reed said so. [1]",
            "And his wife?",
            "What did Tom Reed's wife say about the verdict?",
        ),
        (
            "What did the farmers demand?",
            "**higher prices**. The farmers demanded higher prices. [1]",
            "And the government?",
            "What did the government demand?",
        ),
        (
            "How many hostages did Hamas release on Sunday?",
            "**three**. Hamas released three. [1]",
            "And Israel?",
            "How many hostages did Israel release on Sunday?",
        ),
    ],
)
def test_an_ellipsis_is_put_in_place_of_its_like(
    asked: str, answer: str, ellipsis: str, expected: str
) -> None:
    assert condense_by_rule(ellipsis, history((asked, answer))) == expected


def test_their_boss_is_of_a_body_or_of_people_never_of_things() -> None:
    """ "What did their boss say?" after questions about a drug whose maker an answer named:
    never "the pills' boss"; the maker is read too, though never asked about."""
    turns = history(
        ("What's this blood pressure drug recall about?", "**Caldorin**. Caldorin is being recalled. [1]"),
        ("Who makes it?", "**Alvera Pharmaceuticals**. Alvera Pharmaceuticals makes Caldorin. [1]"),
        ("How did it get into the pills?", "**a solvent**. A solvent change let it into the pills. [1]"),
    )
    readings = condense_alternatives("What did their boss say?", turns)
    assert "What did Alvera Pharmaceuticals' boss say?" in readings
    assert not any("pills" in reading for reading in readings)


def test_they_are_never_someone_and_a_thing_of_theirs() -> None:
    turns = history(
        ("Who is taking over then?", "**Sofia Ruiz**. Sofia Ruiz will take charge. [1]"),
        ("What is Tomas Lindqvist's background?", "**coach**. Lindqvist was a youth coach. [1]"),
    )
    readings = condense_alternatives("How much did they spend on players?", turns)
    assert not any("background" in reading for reading in readings)


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("anyone hurt?", "Was anyone hurt?"),
        ("any passengers injured in the crash?", "Were any passengers injured in the crash?"),
        ("any deaths?", "Were there any deaths?"),
        ("any news on the bridge?", "Any news on the bridge?"),  # no verb said: as asked
        ("anyone else?", "Anyone else?"),
        ("anyone been arrested?", "Anyone been arrested?"),  # "has" left out: as asked
        ("anyone seen the suspect?", "Anyone seen the suspect?"),
        ("how long's the closure going to last?", "How long will the closure last?"),
        ("how'd they find out?", "How did they find out?"),
    ],
)
def test_a_question_said_without_its_verb_or_with_a_contraction_is_read_whole(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


def test_a_question_typed_without_its_question_mark_has_one() -> None:
    """People leave the question mark off ("who are they accusing"); every rule reads a
    question's end by it, so the question read has it. A sentence that ends as typed stays."""
    assert plain_question("who are they accusing") == "Who are they accusing?"
    assert plain_question("how'd they find out she won") == "How did they find out she won?"
    assert plain_question("and the farmers") == "And the farmers?"
    assert plain_question("Tell me about the strike.") == "Tell me about the strike."
    # so is a history's: the question before is read as the pipeline read it
    asked = Conversation.from_history(history(("who is suing them", "Seven workers. [1]")))
    assert asked.standalone_questions() == ["Who is suing them?"]


def test_the_place_is_a_place_the_conversation_named() -> None:
    # "the place" is a general noun: the articles never call the farm so, and "the place
    # of the farm" is no question; a person named beside it is never a place
    turns = history(
        (
            "What's going on with the bird flu near Welbury?",
            "**bird flu**. Bird flu was found at a farm. [1]",
        ),
        ("Which farm had it first?", "**Hollin Farm**. Hollin Farm lost 400 hens. [1]"),
        ("Who found the hens?", "**Thomas Garrow**. Thomas Garrow found the hens. [1]"),
    )
    readings = condense_alternatives("Who owns the place?", turns)
    assert "Who owns Hollin Farm?" in readings
    assert not any("Garrow" in reading or "place of" in reading for reading in readings)
    # with no place named, "the place" is read as asked only
    people = history(("Who found the hens?", "**Thomas Garrow**. Thomas Garrow found the hens. [1]"))
    assert all("Garrow" not in reading for reading in condense_alternatives("Who owns the place?", people))


def test_he_or_she_is_never_a_place_or_a_body() -> None:
    from qa.answering.references import Referent, plausible_referents

    # "Who are they accusing?" wrongly answered "**a family bakery**": "her side" is still
    # of the woman the conversation named, never of the bakery
    bakery = Referent("a family bakery", True, someone=True)
    hebden = Referent("Lorraine Hebden", True)
    assert plausible_referents("she", [bakery, hebden]) == [hebden]
    assert plausible_referents("he", [Referent("the council", True, someone=True)]) == []
    # nor an institution an answer named ("Who got him out?" after the driver was taken to
    # Brannock General Hospital); a surname that is a place's word still may be
    hospital = Referent("Brannock General Hospital", True)
    assert plausible_referents("he", [hospital]) == []
    mill = Referent("John Stuart Mill", True)
    assert plausible_referents("he", [mill]) == [mill]
    # someone of an institution is someone
    nurse = Referent("a nurse at Brannock General Hospital", True, someone=True)
    assert plausible_referents("she", [nurse]) == [nurse]
    # a person said by what they do stays one
    driver = Referent("the driver", True, someone=True)
    assert plausible_referents("he", [driver]) == [driver]


def test_they_is_never_one_thing_an_answer_named() -> None:
    from qa.answering.references import Referent, plausible_referents

    # "What's this lottery row?" answered "**jackpot**" from "Seven workers ... have
    # launched legal action ...": "Who are they accusing?" is of the workers
    jackpot = Referent("jackpot", False, thing=True)
    workers = Referent("the seven workers", True, quoted=True)
    assert plausible_referents("they", [jackpot, workers]) == [workers]
    # a body, a plural and a kind asked about are "they" still
    council = Referent("council", False, thing=True)
    assert plausible_referents("they", [council, workers])[0] == council
    assert plausible_referents("they", [Referent("comb jellies", False, thing=True)])
