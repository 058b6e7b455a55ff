"""Follow-ups whose words say what kind of thing they mean (issue 19): "the company" is the
company the story named, "they" may be a company, "other airlines" are never besides a
minister, "And the farmers?" with nothing to put it in place of asks what the articles say
of them, and "And the last one?" after "And the second one?" goes on through the same list."""

from __future__ import annotations

import re

from conftest import seeds_and_article
from test_follow_up_readings import history

from qa.answering.chat import (
    Conversation,
    about_reading,
    condense_alternatives,
    condense_by_rule,
    topic_reading,
)
from qa.answering.references import Referent, is_company, plausible_referents

LEAK = (
    "**Mirrin and Westby**. About 18,000 people live in Halden Creek and the two neighbouring towns "
    "of Mirrin and Westby. [1]"
)
FIRST = (
    "**turning stretches of the water a rusty orange**. A tailings dam at Kestrel Mining's Corrowan "
    "copper mine leaked an estimated 1.2 million cubic metres of waste into the Varra River on "
    "Tuesday night. [1]"
)


def test_a_company_is_known_by_its_name_or_by_what_the_articles_say_of_it() -> None:
    text = "Shares in Kestrel Mining fell. Kestrel's chief executive, Martin Olsen, apologised."
    assert is_company("Kestrel Mining")  # a company's last word
    assert is_company("Nordvik Bank")
    assert is_company("Lumera", "Lumera's chief executive said the plant would close.")
    assert is_company("Caldor", "Shares in Caldor fell 4%.")
    # a river, a town, a person, a phrase ending in a company's word: no company
    assert not is_company("Varra River", text)
    assert not is_company("Halden Creek", text)
    assert not is_company("Martin Olsen", text)
    assert not is_company("the fine against Nordvik Bank")
    # what a person or a country has is no company's
    assert not is_company("Elon Musk", "Elon Musk's shares in Tesla rose.")
    assert not is_company("Helen Price", "Helen Price's chief executive said.")
    assert not is_company("Australia", "Australia's chief executive officer of mines said.")
    assert not is_company("West Bank")


def test_the_company_is_each_company_the_conversation_named() -> None:
    turns = history(
        ("what's going on with this mining leak?", FIRST),
        ("which other towns got hit besides Halden Creek?", LEAK),
    )
    readings = condense_alternatives("who runs the company?", turns)
    assert readings[0] == "who runs the company?"  # as asked first: the article may say it
    assert "Who runs Kestrel Mining?" in readings
    assert not any("Halden Creek" in r for r in readings)  # never "the company of Halden Creek"


def test_they_may_be_a_company_asked_about_beside_what_is_many() -> None:
    asked = [
        Referent("the shares", False),
        Referent("the previous bosses", False),
        Referent("Nordvik Bank", False),
    ]
    assert [r.text for r in plausible_referents("they", asked)][:2] == ["the shares", "Nordvik Bank"]
    # nothing many asked about: a thing is "they" as before
    assert [r.text for r in plausible_referents("they", [Referent("Nordvik Bank", False)])] == [
        "Nordvik Bank"
    ]


def test_other_bodies_are_never_besides_a_person() -> None:
    turns = history(
        ("Why did SkyLark Air collapse?", "SkyLark Air filed for insolvency on Tuesday. [1]"),
        ("Who said that?", "**Helena Castanheira**. Portugal's minister, Helena Castanheira, said so. [1]"),
    )
    readings = condense_alternatives("Are any other airlines helping out stranded people?", turns)
    assert readings and not any("Castanheira" in r for r in readings)
    # other airlines are besides the airline the conversation is about, and its topic of
    # whom is said no more
    assert "Are any other airlines helping out stranded people besides SkyLark Air?" in readings
    # other people are still besides the one named, a body's people too
    for asked in ("Which other officials said so?", "Which other company executives said so?"):
        assert any("besides Helena Castanheira" in r for r in condense_alternatives(asked, turns)), asked


def test_other_countries_are_besides_the_country_the_last_question_named() -> None:
    turns = history(
        (
            "How much emergency aid did Nixon request for Israel in October 1973?",
            "**$2.2 billion**. On October 12 Nixon requested $2.2 billion in emergency aid to Israel. [1]",
        ),
        (
            "What did Libya announce in response?",
            "**it would embargo oil shipments**. Libya announced it would embargo oil shipments. [1]",
        ),
    )
    readings = condense_alternatives("Which other states joined the embargo?", turns)
    # besides Libya, not Israel of the question before; a topic that names only Libya goes
    assert "Which other states joined the embargo besides Libya?" in readings
    assert not any("Israel" in r for r in readings)
    # a country is never besides whom other people spoke, nor other airlines besides one
    assert not any("besides Libya" in r for r in condense_alternatives("Which other officials spoke?", turns))
    assert not any(
        "besides" in r for r in condense_alternatives("Which other airlines helped?", turns)
    )  # no airline named
    # two countries said with "and" are each put besides; "Jordan" may be someone
    both = history(("Did Libya and Saudi Arabia cut exports?", "Both cut exports in October. [1]"))
    assert "Did any other countries cut exports besides Libya and Saudi Arabia?" in condense_alternatives(
        "Did any other countries cut exports?", both
    )
    jordan = history(("What did Jordan say?", "**no**. Jordan said no. [1]"))
    assert not any("besides" in r for r in condense_alternatives("Which other countries said so?", jordan))


def test_a_topic_that_names_only_those_put_besides_stays_where_the_question_leans_on_it() -> None:
    turns = history(("Did Boris Grislov attend the summit?", "Boris Grislov attended the summit. [1]"))
    readings = condense_alternatives("Who else was there?", turns)
    besides = [r for r in readings if "besides Boris Grislov" in r]
    # "there" is the summit: the topic that says so stays
    assert besides and all("regarding whether Boris Grislov attended the summit" in r for r in besides)


def test_an_ellipsis_with_nothing_to_take_the_place_of_asks_what_is_said_of_it() -> None:
    assert about_reading("And the farmers?") == "What about the farmers?"
    assert about_reading("What about the fans?") == "What about the fans?"
    # one that leans on the conversation is no such question
    assert about_reading("And the second one?") is None
    assert about_reading("And after the impact?") is None
    assert about_reading("And his mother?") is None
    assert about_reading("And then?") is None
    for leaning in (
        "And the next day?",
        "And the others?",
        "And the rest?",
        "And the second?",
        "And yesterday?",
    ):
        assert about_reading(leaning) is None, leaning
    assert about_reading("Who runs the company?") is None
    turns = history(("How long is that going to last?", "**10 days**. The ban would stay for 10 days. [1]"))
    assert condense_by_rule("And the farmers?", turns) == "What about the farmers?"


def test_someone_asked_of_takes_no_things_place() -> None:
    # "Was the mayor close?" asks nothing: what the articles say of the mayor is read
    turns = history(("Was the vote close?", "Councillors voted 11 to 4 to end the trial. [1]"))
    assert condense_alternatives("And the mayor?", turns) == ["What about the mayor?"]
    # in place of a body that says things, someone is asked of as it was
    turns = history(("What did the Kremlin say?", "It said nothing. [1]"))
    assert condense_alternatives("And the mayor?", turns) == ["What did the mayor say?"]
    # someone takes the place of someone's body, and a surname the conversation named is someone
    turns = history(("Where was the body found?", "**in a garden**. The body was found in a garden. [1]"))
    assert condense_alternatives("And the suspect?", turns) == ["Where was the suspect found?"]
    turns = history(
        (
            "Who proposed the ban?",
            "**Daniel Fenwick**. Mayor Daniel Fenwick proposed it; Aisha Rahman did not. [1]",
        ),
        ("Was the vote close?", "Councillors voted 11 to 4. [1]"),
    )
    assert condense_alternatives("And Rahman?", turns) == ["What about Rahman?"]
    # a thing still takes a thing's place
    turns = history(("How long is the new bridge?", "**900 metres**. The new bridge is 900 metres long. [1]"))
    assert "How long is the old tunnel?" in condense_alternatives("And the old tunnel?", turns)


RECALL = """Alvera Pharmaceuticals recalls blood pressure pills

Alvera Pharmaceuticals is recalling about 4.5 million packs of its blood-pressure drug Caldorin \
after tests found a possible cancer-causing impurity. The recall covers tablets made at Alvera's \
factory in Lindford.

Alvera's chief executive, Richard Achebe, said the impurity had been traced to a change in a \
solvent supplied by an outside contractor.
"""


def test_what_is_made_or_sold_is_never_its_maker() -> None:
    turns = history(
        (
            "who makes it?",
            "**Alvera Pharmaceuticals**. Alvera Pharmaceuticals is recalling its drug Caldorin. [1]",
        ),
        ("how did it get into the pills?", "A change in a solvent supplied by a contractor. [1]"),
        (
            "what did their boss say?",
            "**Richard Achebe**. Alvera's chief executive, Richard Achebe, said the impurity had been "
            "traced to a change in a solvent supplied by an outside contractor. [1]",
        ),
    )
    conversation = Conversation.from_history(turns).with_articles([RECALL])
    readings = condense_alternatives("is the factory still making them?", conversation)
    assert readings[0] == "Is the factory still making the pills?", readings
    assert not any("Alvera" in r or "Achebe" in r for r in readings)
    assert condense_alternatives("who sells them now?", conversation) == ["Who sells the pills now?"]
    # only what is made is a thing: "they" who sell it may be the maker
    made = Conversation.from_history(
        history(
            (
                "who makes caldorin?",
                "**Alvera Pharmaceuticals**. Alvera Pharmaceuticals recalls Caldorin. [1]",
            )
        )
    ).with_articles([RECALL])
    assert (
        condense_alternatives("did they sell it abroad?", made)[0]
        == "Did Alvera Pharmaceuticals sell caldorin abroad?"
    )
    assert (
        condense_alternatives("do they still make it?", made)[0]
        == "Do Alvera Pharmaceuticals still make caldorin?"
    )
    # a maker is still "them" where it does something, or is made to
    assert "Alvera Pharmaceuticals" in condense_alternatives("did the regulator fine them?", conversation)[0]
    assert (
        "Alvera Pharmaceuticals"
        in condense_alternatives("what would make them recall more?", conversation)[0]
    )


def test_the_last_one_after_the_second_one_is_of_the_same_list() -> None:
    turns = history(
        (
            "What are the three sources of European Union law?",
            "**primary law, secondary law and supplementary law**. The three sources of European Union "
            "law are primary law, secondary law and supplementary law. [1]",
        ),
        (
            "What are the main sources of the first one?",
            "**Treaties**. The main sources of primary law are the Treaties. [1]",
        ),
        (
            "And the second one?",
            "**regulations and directives**. Secondary sources include regulations and directives. [1]",
        ),
    )
    assert Conversation.from_history(turns).listed() == ["primary law", "secondary law", "supplementary law"]
    assert condense_by_rule("And the last one?", turns) == "What are the main sources of supplementary law?"


STORY = """Kestrel Mining dam leak turns Varra River orange

HALDEN CREEK, March 14 - A tailings dam at Kestrel Mining's Corrowan copper mine leaked an \
estimated 1.2 million cubic metres of waste into the Varra River on Tuesday night, officials said.

Kestrel's chief executive, Martin Olsen, apologised at a news conference in Darrow. "This should \
never have happened," Olsen said.

Helen Price, who runs 300 head of cattle on a property just below the mine, said she had moved \
her herd away from the river at dawn.

Farmers who draw irrigation water from the Varra were told to close their pumps.
"""


def test_who_runs_the_company_is_answered_of_the_company_the_story_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with seeds_and_article(tmp_path, "kestrel.txt", STORY) as qa:
        first = qa.answer("What leaked into the Varra River?")
        turns = history(("What leaked into the Varra River?", first.text))
        answer = qa.answer("who runs the company?", turns)
        assert answer.standalone_question == "Who is the head of Kestrel Mining?"
        assert not answer.abstained and "Martin Olsen" in answer.text.split(".")[0]
        # never the farmer "who runs 300 head of cattle"
        assert "Helen Price" not in answer.text
        # the name asked about keeps the role: that is what was asked
        who = qa.answer("Who is Martin Olsen?")
        assert not who.abstained and "chief executive" in who.text.split("**")[1], who.text
        # "What leaked into the farmers?" is refused: what the articles say of them is read
        farmers = qa.answer("And the farmers?", turns)
        assert farmers.standalone_question == "What about the farmers?", farmers.text
        assert not farmers.abstained and "close their pumps" in farmers.text


def test_a_topic_keeps_the_part_of_the_place_the_question_said() -> None:
    turns = history(("Which professional skateboarder lives in southern California?", "**Tony Hawk**. x [1]"))
    assert topic_reading("Which famous surf spots are there?", turns) == (
        "Which famous surf spots are there, regarding southern California?"
    )


def test_when_of_what_it_was_for_drops_the_for() -> None:
    turns = history(
        ("When did the Kapsoit dam burst?", "**Tuesday**. The Kapsoit dam burst on Tuesday. [1]"),
        (
            "What was it built for in the first place?",
            "**irrigation**. The dam was built in 1979 for irrigation. [1]",
        ),
    )
    assert condense_by_rule("When was that?", turns) == "When was the Kapsoit dam built?"
    # "Who" may stand for the object: "Who was the ship named after?"
    named = history(("What was the ship named after?", "**a queen**. The ship was named after a queen. [1]"))
    assert condense_by_rule("Who?", named) == "Who was the ship named after?"


def test_ok_is_how_someone_was_never_part_of_them() -> None:
    from qa.answering.references import definite_phrases

    assert definite_phrases("Was the driver ok?") == ["the driver"]
    turns = history(("And the driver, was he ok?", "The driver was slightly injured. [1]"))
    assert [r.text for r in Conversation.from_history(turns).referents()] == ["the driver"]


def test_who_said_that_asks_who_said_what_the_answer_says_was_said() -> None:
    minister = history(
        (
            "Is the government going to bail them out?",
            "Portugal's infrastructure minister, Helena Castanheira, said the government would not "
            "provide a rescue loan. [1]",
        )
    )
    assert condense_by_rule("Who said that?", minister) == (
        "Who said the government would not provide a rescue loan?"
    )
    quoted = history(
        (
            "What did the mayor say?",
            '**No convenience is worth that**. "No convenience is worth that," Mayor Daniel Fenwick '
            "told the council. [1]",
        )
    )
    assert condense_alternatives("who said that?", quoted)[0] == "Who said no convenience is worth that?"
    told = history(
        ("What did he say?", "Olsen told reporters that the company had set aside $25 million. [1]")
    )
    assert condense_by_rule("Who said that?", told) == "Who said the company had set aside $25 million?"
    # a sentence that says nobody's words: as before
    fact = history(
        ("How did the crew get back?", "The crew returned to Earth by using the Lunar Module. [1]")
    )
    assert "Lunar Module" not in condense_by_rule("Who said that?", fact)


def test_who_said_that_takes_only_what_was_said() -> None:
    def asked_after(sentence: str) -> str:
        return condense_by_rule("Who said that?", history(("What happened?", f"{sentence} [1]")))

    assert asked_after("“I will not resign,” the minister said.") == "Who said I will not resign?"
    # a relative clause's saying, a second attribution, other verbs and "said to be"
    assert "resigned" not in asked_after(
        "The minister, who had said that the project was safe, resigned on Friday."
    )
    assert asked_after("Smith said he would resign if the party lost, officials said.") == (
        "Who said he would resign if the party lost?"
    )
    for sentence in (
        "The president added 300 troops to the border.",
        "The union claimed victory after the vote.",
        "The storm said to be the worst in decades hit the coast on Monday.",
    ):
        assert asked_after(sentence).startswith("Who said that"), sentence  # as before


def test_the_union_is_asked_by_the_short_name_the_article_gives_it() -> None:
    article = (
        "The walkout, called by the Valmora Teachers' Union (VTU), is the first in 17 years. "
        '"We cannot keep teaching 35 children in a room," said Isabel Marchetti, president of the VTU.'
    )
    turns = history(("Why are teachers in Valmora on strike?", "Around 14,000 teachers went on strike. [1]"))
    conversation = Conversation.from_history(turns).with_articles([article])
    assert condense_alternatives("Who heads the union?", conversation) == [
        "Who heads the union?",  # as asked first
        "Who heads the VTU?",
    ]
    # no short name defined for it: none put in
    assert not any("VTU" in r for r in condense_alternatives("Who heads the union?", turns))


def test_her_coach_is_read_as_asked_where_the_article_says_her(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the pipeline: "who's her coach?" is searched as "Who is Mara Lindqvist's
    coach?" and answered from the passage that says only "Her coach, Henrik Dahl" (read as
    asked there), as in the story of eval/stories-4."""
    from pathlib import Path

    story = (Path(__file__).resolve().parent.parent / "eval" / "stories-4" / "cyclerecord.txt").read_text()
    with seeds_and_article(tmp_path, "cyclerecord.txt", story) as qa:
        # the answer as the chat gave it: a short answer, then the lead it quotes
        lead = re.search(r"Mara Lindqvist, a 39-year-old rider.*?4,200\.", story)
        assert lead is not None
        first = f"**Mara Lindqvist**. {lead.group(0)} [1]"
        coach = qa.answer("who's her coach?", history(("who broke the hour record in veldhaven?", first)))
        assert coach.standalone_question == "Who is Mara Lindqvist's coach?"
        assert not coach.abstained and "Henrik Dahl" in coach.text.split(".")[0], coach.text


def test_a_phrase_said_with_a_is_put_back_with_the() -> None:
    turns = history(
        (
            "Which painting just set an auction record in New York?",
            "**Harbour at Dusk**. A 1912 painting by Willem Oosterhuis sold for $48.6 million. [1]",
        ),
    )
    readings = condense_alternatives("Who painted it?", turns)
    assert readings[0] == "Who painted the painting?"
    assert "Who painted the auction record?" in readings  # never "painted auction record"
    # a plural, or a phrase said without "a", is put as it was said
    from qa.answering.chat import Conversation

    said = history(("Why do ctenophores glow in an aquarium?", "Light makes them glow. [1]"))
    texts = [r.text for r in Conversation.from_history(said).referents()]
    assert "ctenophores" in texts and "the ctenophores" not in texts
    assert "the aquarium" in texts and "aquarium" not in texts


def test_what_a_reading_put_in_is_what_its_quote_must_name() -> None:
    from qa.pipeline import names_the_referent

    options = ["Who painted the painting?", "Who painted the auction record?"]
    quote = "A 1912 painting by Willem Oosterhuis beat the previous auction record."
    # "painted" is the question's own word: "painting" is what the first reading put in
    assert names_the_referent(options[0], options, quote, "Who painted it?")
    assert names_the_referent(options[1], options, quote, "Who painted it?")
    assert not names_the_referent(
        options[0], options, "Oosterhuis beat the auction record.", "Who painted it?"
    )
    # nor by the question's own word in the quote: "discovered" names no "discovery"
    options = [
        "Who else discovered the gas independently?",
        "Who else discovered the discovery independently?",
    ]
    quote = "Oxygen was discovered independently by Carl Wilhelm Scheele."
    assert not names_the_referent(options[1], options, quote, "Who else discovered it independently?")
