"""A question about names and numbers that the retrieved articles never mention is refused
before the reader picks its likeliest span."""

from __future__ import annotations

import numpy as np

from qa.answering.reader_answerer import (
    folded_articles,
    missing_names,
    missing_words,
    names_and_numbers,
    off_collection,
)
from qa.answering.retrieval import Passage
from tests.factories import make_hit

STORY = (
    "On June 24, Wagner boss Yevgeny Prigozhin occupied a town and announced a march on Moscow. "
    "The weekly Der Stürmer was printed in Nuremberg. Setanta Sports planned a new channel. "
    "Victoria had 489 Catholic schools in 2010. Left untreated, 80 percent die within eight days."
)


def passages(text: str = STORY) -> list[Passage]:
    return [Passage(make_hit("story", text), (), np.zeros((0, 384), np.float32), 0.5)]


def test_names_and_numbers_skip_the_first_word_and_i() -> None:
    assert names_and_numbers("When did I say Prigozhin marched on Moscow in 2023?") == [
        "Prigozhin",
        "Moscow",
        "2023",
    ]
    assert names_and_numbers("Who led the negotiations?") == []
    # nor the first word of a second sentence; an abbreviation's full stop ends none
    question = "In the layered model of the Earth, the mantle has two layers below it. What are they?"
    assert names_and_numbers(question) == ["Earth"]
    assert names_and_numbers("Who is the mayor of Brennby? And of St. Paul?") == ["Brennby", "St", "Paul"]
    assert names_and_numbers("What did the U.S. Army do in 1944?") == ["U", "Army", "1944"]
    assert names_and_numbers("Who won Brann vs. Molde in 2024?") == ["Brann", "Molde", "2024"]


def test_names_are_found_by_their_start_and_without_accents() -> None:
    titles, texts = folded_articles(passages())

    def missing(question: str) -> list[str]:
        return missing_names(names_and_numbers(question), f"{titles}\n{texts}")

    assert missing("How many Victorians are Catholic?") == []  # Victoria
    assert missing("How did Der Sturmer describe it?") == []  # Stürmer
    assert missing("What happened on June 24?") == []
    assert missing("What happened on June 2?") == ["2"]  # a number is matched whole
    assert missing("What share of the untreated die within 8 days?") == []  # "eight days"
    assert missing("What share of the untreated die within 9 days?") == ["9"]


def test_a_question_about_what_the_articles_never_mention_is_off_the_collection() -> None:
    found = passages()
    assert off_collection("Who won the 2022 FIFA World Cup?", found)
    assert off_collection("What does the acronym CSM stand for?", found)
    assert not off_collection("When did Prigozhin march on Moscow?", found)
    assert not off_collection(
        "Who coached the Denver Broncos?", passages("The Broncos were coached by Kubiak.")
    )
    # one name of two missing may be a misspelling, and is left to the reader
    assert not off_collection("What platform was Sentanta Sports planning on launching on?", found)


def test_a_question_whose_words_are_nowhere_in_the_articles_is_off_the_collection() -> None:
    found = passages()
    assert off_collection("How long should I bake sourdough bread?", found)
    assert off_collection("What is the airspeed of an unladen swallow?", found)
    # a paraphrase keeps enough of its words: "occupied", "town", "announced" are in the story
    assert not off_collection("Which town was occupied before the march was announced?", found)
    # "anyone" and the word a follow-up's topic comes with are nothing an article must say
    assert not off_collection("Was anyone hurt?", passages("Nobody was hurt in the fire."))
    assert not off_collection("Was anyone hurt, regarding Kettla?", passages("Nobody at Kettla was hurt."))
    # an irregular verb is said in any of its forms: "leave" by "left", "went" by "go"
    evacuated = passages("Around 180 residents left their homes. Most will go to a sports hall.")
    assert not off_collection("How many people had to leave?", evacuated)
    assert not off_collection("Where did the residents go?", evacuated)
    assert missing_words(["leave", "went", "people"], "180 residents left to go home") == ["people"]
    # another form counts whole: "sat" is no start of "saturday", "won" none of "wonderful"
    assert missing_words(["sit", "win"], "on saturday a wonderful day") == ["sit", "win"]


def test_a_sentence_says_a_question_s_irregular_verb_in_any_form() -> None:
    from qa.answering.reader_answerer import plain_stems

    assert plain_stems("How many people had to leave?") & plain_stems("180 residents left.") == {"leav"}
    assert plain_stems("Who won?") == plain_stems("Who wins?")


def test_an_acronym_is_found_spelled_out_in_capitals() -> None:
    text = "Regulators in the European Union approved the vaccine. The World Health Organization waits."
    assert not off_collection("Which company's vaccine did the EU approve?", passages(text))
    assert not off_collection("When will the WHO decide on the vaccine?", passages(text))
    # words that merely start with its letters are no spelling of it ("each unit")
    assert missing_names(["EU"], "each unit", "each unit") == ["EU"]
    assert off_collection("When did NATO approve the vaccine?", passages(text))
    # an acronym is said in capitals, never as the word it spells ("WHO", "US"), with or
    # without full stops
    assert missing_names(["WHO", "US"], "who told us", "Who told us") == ["WHO", "US"]
    assert missing_names(["US"], "the u.s. army", "the U.S. Army") == []
    # an acronym of four letters or more may be written as a name ("Nato"); "Who" never is "WHO"
    assert missing_names(["NATO"], "nato allies met", "Nato allies met") == []
    assert missing_names(["WHO"], "who said so", "Who said so") == ["WHO"]


def test_an_article_is_folded_again_when_its_text_changes() -> None:
    from dataclasses import replace

    from qa.answering.reader_answerer import folded_article

    first = make_hit("story", STORY).article
    assert folded_article(first)[1].startswith("on june 24, wagner")
    hashed = replace(first, content_hash="a")
    assert folded_article(hashed) is folded_article(replace(hashed))  # kept, by its hash
    changed = replace(first, text=STORY.replace("Moscow", "Moskva"))  # the same length, no hash
    assert "moskva" in folded_article(changed)[1]
    assert folded_article(replace(hashed, content_hash="b", text="Brennby"))[1] == "brennby"


def test_a_follow_up_is_never_off_the_collection_by_its_words_alone() -> None:
    search = passages("Police said 40 officers, a helicopter and a drone unit had joined the search.")
    # asked first, "cops" and "looking" are nothing the articles say; asked in a conversation
    # about the search, they are its words for "officers" searching, which the reader judges
    assert off_collection("How many cops were out looking?", search)
    assert not off_collection("How many cops were out looking?", search, follow_up=True)
    # a name the articles never say still rules a follow-up out, as do three words or more
    # none of which they say
    assert off_collection("Were any paintings by Picasso stolen?", search, follow_up=True)
    assert off_collection("How long should I bake sourdough bread?", search, follow_up=True)


def test_words_of_speech_are_nothing_an_article_must_say() -> None:
    ash = passages("Volcanic ash is dangerous for aircraft because the particles melt in jet engines.")
    # ash is said; "problem" and "planes" are not; "anyway" would have made it three of four
    assert not off_collection("Why is the ash such a problem for planes anyway?", ash)
    epo = passages("EPO increases the production of red blood cells and improves endurance.")
    assert not off_collection("What does the drug actually do?", epo)
    assert off_collection("What does the drug do to the heart?", epo)
