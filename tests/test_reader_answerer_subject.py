"""An answer is not the question's own subject (issue 19): "Who does the chief executive
blame?" is not answered by the chief executive, whether the passage puts his name in
apposition with his title or makes him the one who blames; a question that asks for its
subject ("Who is the chief executive?") still gets the name."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from conftest import seeds_and_article

from qa.answering.answer_types import is_own_subject
from qa.answering.phrases import question_subject
from qa.answering.reader import ReaderSpan, Reading
from qa.answering.reader_answerer import choose_span, passage_inputs
from qa.answering.retrieval import Passage
from qa.ingest.sentences import Sentence
from qa.pipeline import QA
from qa.types import Article, Chunk, Hit

DAHL = "Nordtide's chief executive, Henrik Dahl, blames the warmer sea for the smaller catches."


@pytest.mark.parametrize(
    ("question", "parsed"),
    [
        ("Who does the chief executive blame?", ("the chief executive", "blame")),
        ("What did Prigozhin announce on June 24?", ("Prigozhin", "announce")),
        ("Which team did the Broncos beat?", ("the Broncos", "beat")),
        ("Who is the chief executive?", None),  # asks for its subject
        ("Who appoints the Commissioners?", None),  # the subject is what it asks
        ("What does he blame for the smaller catches?", None),  # a pronoun: the rewrite names it
        # after "has" a participle after a noun is the verb; before one, part of the subject
        ("Why has the company paid workers less?", ("the company", "paid")),
        ("Who has the striking union blamed?", ("the striking union", "blamed")),
        ("Where did the first working steam locomotive run?", ("the first working steam locomotive", "run")),
    ],
)
def test_the_subject_of_a_question_that_asks_for_something_else(
    question: str, parsed: tuple[str, str] | None
) -> None:
    assert question_subject(question) == parsed


def own(question: str, text: str, words: str) -> bool:
    start = text.index(words)
    return is_own_subject(question, text, start, start + len(words))


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        (DAHL, "Henrik Dahl", True),  # apposition after the title
        (DAHL, "the warmer sea", False),
        ("Henrik Dahl, the chief executive of Nordtide, blames the sea.", "Henrik Dahl", True),
        ("Chief executive Henrik Dahl blames the sea.", "Henrik Dahl", True),
        ("Dahl blames the warmer sea.", "Dahl", True),  # the one who blames
        ("The mayor blames Henrik Dahl, not the weather.", "Henrik Dahl", False),
    ],
)
def test_a_span_that_is_the_chief_executive_is_his_own(text: str, words: str, expected: bool) -> None:
    assert own("Who does the chief executive blame?", text, words) is expected


def test_the_thing_a_who_question_is_about_is_not_who_did_it() -> None:
    firm = "The bridge was designed by the engineering firm Nord Struktur, led by the engineer Ingrid Haugen."
    question = "Who led the firm that designed the Halden bridge?"
    assert own(question, firm, "Nord Struktur") and not own(question, firm, "Ingrid Haugen")
    # "Who is the X?" is answered by what stands beside X
    assert not own("Who is the engineering firm?", firm, "Nord Struktur")


def test_other_questions_keep_names_beside_their_words() -> None:
    assert not own("Who is the chief executive?", DAHL, "Henrik Dahl")
    # "the wife of Luther" is not Luther; whom someone married did the marrying too
    assert not own("Who did Luther marry?", "The wife of Luther, Katharina von Bora, was 26.", "Katharina")
    assert not own("Who did Luther marry?", "Katharina von Bora married Luther in 1525.", "Katharina")
    assert not own("Who did Prigozhin negotiate with?", "Lukashenko negotiated with Prigozhin.", "Lukashenko")
    # a thing in apposition may be what is asked; a clause after a comma is no apposition
    assert not own("What does CBD stand for?", "Central business districts (CBD) grew.", "Central business")
    assert not own("Whom did Tesla meet?", "In Graz, Tesla met his teachers.", "Graz")
    assert not own("When did Tesla go to Karlovac?", "In 1870, Tesla moved to Karlovac.", "1870")


def passage(text: str) -> Passage:
    """A one-passage article whose sentences may all answer."""
    article = Article(id="a", title="A", text=text)
    chunk = Chunk(id="a-0", article_id="a", ordinal=0, text=text, start=0, end=len(text))
    sentences = tuple(Sentence(m.start(), m.end()) for m in re.finditer(r"[^ ][^.]*\.", text))
    return Passage(Hit(chunk, article, 1.0, 1), sentences, np.zeros((len(sentences), 1), np.float32), 1.0)


def spans(text: str, words: Sequence[str]) -> Reading:
    """Reader spans over `words` of the passage's first sentence, best first."""
    made = []
    for rank, phrase in enumerate(words):
        start = text.index(phrase)
        made.append(ReaderSpan(0, 0, start, start + len(phrase), -float(rank), 0.9))
    return Reading(tuple(made), (0.9,))


def test_choose_span_skips_the_subject_for_the_next_span() -> None:
    passages = [passage(DAHL)]
    reading = spans(DAHL, ["Henrik Dahl", "the warmer sea"])
    inputs = passage_inputs(passages)
    for question, expected in [
        ("Who does the chief executive blame?", "the warmer sea"),
        ("Who is Nordtide's chief executive?", "Henrik Dahl"),
    ]:
        choice = choose_span(reading, passages, inputs, question=question)
        assert choice is not None and DAHL[choice.span.start : choice.span.end] == expected


HEBDEN = (
    "The group says Lorraine Hebden, 47, bought the ticket with the syndicate's money at a petrol "
    "station in Harlow Mead."
)


def test_a_span_of_the_names_the_question_says_is_not_its_answer() -> None:
    passages = [passage(HEBDEN)]
    reading = spans(HEBDEN, ["Lorraine Hebden, 47", "a petrol station in Harlow Mead"])
    inputs = passage_inputs(passages)
    for question, expected in [
        # whom the question is about, in full and with her age, is not where she was
        ("Where does Hebden say she got the ticket?", "a petrol station in Harlow Mead"),
        ("Who bought the ticket?", "Lorraine Hebden, 47"),
        # asked how old she is, her age is the answer
        ("How old is Hebden?", "Lorraine Hebden, 47"),
        # one of a name's own may share the name ("Who is Tesla's father?": "Milutin Tesla")
        ("Where does Hebden's sister live?", "Lorraine Hebden, 47"),
        ("Where do the Hebden sisters live?", "Lorraine Hebden, 47"),
    ]:
        choice = choose_span(reading, passages, inputs, question=question)
        assert choice is not None and HEBDEN[choice.span.start : choice.span.end] == expected


VARNHOLM = """Tidal plant in Varnholm delayed as fishermen sue

The tidal plant that Nordtide Energy is building in the harbour town of Varnholm will open in 2026, a year later than planned.

Nordtide's chief executive, Henrik Dahl, blames the warmer sea for the smaller catches. The company has offered to fund a study of the fjord instead.
"""


@pytest.fixture(scope="module")
def varnholm_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("dahl"), "varnholm.txt", VARNHOLM) as qa:
        yield qa


def test_the_chief_executive_is_not_whom_he_blames(varnholm_qa: QA) -> None:
    answer = varnholm_qa.answer("Who does the chief executive blame?")
    assert "Henrik Dahl" not in (answer.short_answer or "")
    assert answer.abstained or "warmer sea" in (answer.short_answer or "")
    asked = varnholm_qa.answer("Who is Nordtide's chief executive?")
    assert asked.short_answer == "Henrik Dahl"


@pytest.mark.parametrize(
    ("question", "sentence", "span", "another"),
    [
        # the role beside the name is not the role asked: no answer
        (
            "Who is the chief executive of Lumera Bio?",
            "Lumera's chief scientist, Dr. Ines Okafor, began work on the vaccine in 2014.",
            "Dr. Ines Okafor",
            True,
        ),
        (
            "Who is the president of Nordtide?",
            "Henrik Dahl, the chief executive of Nordtide, said so.",
            "Henrik Dahl",
            True,
        ),
        # the role at the start of the sentence, or after a time
        (
            "Who is the chief executive of Lumera Bio?",
            "The company's chief scientist, Dr. Ines Okafor, began work on the vaccine.",
            "Dr. Ines Okafor",
            True,
        ),
        (
            "Who is the chief executive of Lumera Bio?",
            "In March the chief scientist, Dr. Ines Okafor, began work on the vaccine.",
            "Dr. Ines Okafor",
            True,
        ),
        # the role asked, before or after the name; a role the question does not ask about
        (
            "Who is the chief executive of Lumera Bio?",
            "But its chief executive, Mark de Vries, said no.",
            "Mark de Vries",
            False,
        ),
        ("Who is Nordtide's chief executive?", DAHL, "Henrik Dahl", False),
        (
            "Who is the chief executive?",
            "Henrik Dahl, the chief executive of Nordtide, said so.",
            "Henrik Dahl",
            False,
        ),
        ("Who blames the warmer sea?", DAHL, "Henrik Dahl", False),
        # a name beside words that are no role ("the fjord")
        ("Who is the chief executive?", "In the fjord, Henrik Dahl sailed.", "Henrik Dahl", False),
        # people met before the name are not its role; the role asked said after it wins
        (
            "Who is the chief executive?",
            "After meeting the workers, Henrik Dahl, the chief executive, said so.",
            "Henrik Dahl",
            False,
        ),
        (
            "Who is the chief executive?",
            "After meeting the mayor, Henrik Dahl said so.",
            "Henrik Dahl",
            False,
        ),
        # the same role said longer or shorter, or in the plural
        (
            "Who is the chief executive officer of Nordtide?",
            "Henrik Dahl, the chief executive of Nordtide, said so.",
            "Henrik Dahl",
            False,
        ),
        (
            "Who are the owners of Nordtide?",
            "Its owner, Henrik Dahl, said so.",
            "Henrik Dahl",
            False,
        ),
        # a role said after a verb of saying is beside the name
        (
            "Who is the mayor of Skarvik?",
            "The strike will go on, said the spokeswoman, Liv Haugen.",
            "Liv Haugen",
            True,
        ),
    ],
)
def test_a_person_whose_sentence_gives_another_role_does_not_answer_who_holds_one(
    question: str, sentence: str, span: str, another: bool
) -> None:
    from qa.answering.answer_types import fits_the_question, holds_another_role

    start = sentence.index(span)
    assert holds_another_role(question, sentence, start, start + len(span), 0, len(sentence)) is another
    if another:
        assert not fits_the_question(question, sentence, start, start + len(span), 0, len(sentence))


def test_the_roles_said_beside_a_name() -> None:
    from qa.answering.answer_types import role_words, roles_beside, same_role

    def roles(sentence: str, name: str) -> list[tuple[str, ...]]:
        at = sentence.index(name)
        return roles_beside(sentence, at, at + len(name), 0, len(sentence))

    assert roles("The outgoing mayor, Per Holm, conceded defeat.", "Per Holm") == [("outgoing", "mayor")]
    assert roles("Per Holm, the former mayors of Tarnby, conceded.", "Per Holm") == [("former", "mayor")]
    # a role of someone else in the sentence is not his
    assert roles("Per Holm, who criticised the mayor, said he lost.", "Per Holm") == []
    assert roles("After meeting the mayor, Per Holm said he lost.", "Per Holm") == []

    def loosely(sentence: str) -> list[tuple[str, ...]]:
        at = sentence.index("Per Holm")
        return roles_beside(sentence, at, at + 8, 0, len(sentence), loosely=True)

    # said loosely, a role tells who holds it (the conversation's "he"), not that he holds
    # no other: only the strict reading rules out an answer
    assert loosely("Outgoing mayor Per Holm conceded.") == [("outgoing", "mayor")]
    assert loosely("Per Holm, a former mayor, conceded.") == [("former", "mayor")]
    assert loosely("Per Holm, mayor since 2015, conceded.") == [("mayor",)]
    assert roles("Per Holm, a former mayor, conceded.", "Per Holm") == []
    assert loosely("Per Holm, who criticised the mayor, said he lost.") == []
    assert loosely("After meeting the mayor, Per Holm said he lost.") == []
    # a verb before the role is no part of it
    assert loosely("The minister criticised mayor Per Holm on Friday.") == [("mayor",)]
    assert role_words("the chief executives of Nordtide") == ("chief", "executive")
    assert same_role(("chief", "executive", "officer"), ("chief", "executive"))
    assert not same_role(("chief", "scientist"), ("chief", "executive"))


_LIVE = (
    "Professional skateboarder Tony Hawk, professional surfers Rob Machado and Tim Curran, "
    "and professional snowboarder Shaun White live in southern California."
)


@pytest.mark.parametrize(
    ("question", "span", "otherwise"),
    [
        # the sentence titles another name with the noun asked
        ("Which professional skateboarder lives in southern California?", "Shaun White", True),
        ("Which professional skateboarder lives in southern California?", "Rob Machado", True),
        ("Which professional skateboarder lives in southern California?", "Tony Hawk", False),
        # a plural asked: the names it titles are all held so, and so is a name of its list
        ("Which professional surfers live in southern California?", "Rob Machado", False),
        ("Which professional surfers live in southern California?", "Tim Curran", False),
        ("Which professional surfers live in southern California?", "Tony Hawk", True),
        # no name titled as asked: the sentence says nothing against the span
        ("Which athlete lives in southern California?", "Shaun White", False),
        ("Who lives in southern California?", "Shaun White", False),
        # a people's adjective is no title asked ("Which Californian snowboarder ...?")
        ("Which Professional skier lives in southern California?", "Shaun White", False),
    ],
)
def test_a_name_titled_otherwise_does_not_answer_which_one_holds_the_title(
    question: str, span: str, otherwise: bool
) -> None:
    from qa.answering.answer_types import fits_the_question, titled_otherwise

    start = _LIVE.index(span)
    end = start + len(span)
    assert titled_otherwise(question, _LIVE, start, end, 0, len(_LIVE)) is otherwise
    assert fits_the_question(question, _LIVE, start, end, 0, len(_LIVE)) is not otherwise
    # a title of two nouns holds the one asked ("Luftwaffe General and fighter ace Adolf Galland")
    both = "Skateboarder Tony Hawk and skateboarder and snowboarder Shaun White live there."
    at = both.index("Shaun White")
    assert not titled_otherwise(question, both, at, at + 11, 0, len(both))
    # a name after a verb or a preposition is titled by nothing
    met = "The coach met Shaun White after skateboarder Tony Hawk left."
    at = met.index("Shaun White")
    assert not titled_otherwise("Which skateboarder did the coach meet?", met, at, at + 11, 0, len(met))


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        # a title in another clause, after "the", "his" or "rival", or before a day says
        # nothing against a name titled by a narrower noun
        (
            "Which bank agreed to buy Credit Suisse?",
            "Swiss lender UBS agreed to buy rival bank Credit Suisse.",
            "UBS",
        ),
        (
            "Which club did Ronaldo join?",
            "Ronaldo joined Saudi side Al-Nassr after leaving his former club Manchester United.",
            "Al-Nassr",
        ),
        (
            "Which party won the election?",
            "The opposition Tisza won the election, defeating the ruling party Fidesz.",
            "Tisza",
        ),
        (
            "Which company bought Activision?",
            "Tech giant Microsoft completed its purchase of video game company Activision Blizzard.",
            "Microsoft",
        ),
        (
            "Which actor won the Oscar?",
            "Oppenheimer star Robert Downey Jr. took home the Best Supporting Actor Oscar.",
            "Robert Downey Jr.",
        ),
        (
            "Which company agreed to buy Acme?",
            "Private equity firm Blackstone agreed to buy the software company Tuesday.",
            "Blackstone",
        ),
    ],
)
def test_a_title_outside_a_list_of_titled_names_rules_out_nothing(
    question: str, sentence: str, span: str
) -> None:
    from qa.answering.answer_types import fits_the_question, titled_otherwise

    start = sentence.index(span)
    assert not titled_otherwise(question, sentence, start, start + len(span), 0, len(sentence))
    assert fits_the_question(question, sentence, start, start + len(span), 0, len(sentence))


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        # the thing said "a" of right after the span is the span itself
        (
            "What company did Microsoft buy?",
            "Microsoft bought Activision, a video game company, for $69 billion.",
            "Activision",
        ),
        (
            "Which town did they occupy?",
            "They occupied Rostov-on-Don, a town of one million people.",
            "Rostov-on-Don",
        ),
        (
            "What role did Pattinson play?",
            "Pattinson played Batman, a role previously held by Christian Bale.",
            "Batman",
        ),
        # a span inside "a Mediterranean climate" is of it
        (
            "What kind of climate does southern California maintain?",
            "It has a Mediterranean climate.",
            "Mediterranean",
        ),
        # a date is "a day" or "a year" of something else
        (
            "What day did the Fed raise rates?",
            "It raised rates on Wednesday, a day after the data came out.",
            "Wednesday",
        ),
        ("What year did he die?", "He died in 2004, a year after his wife.", "2004"),
        # "a country" said of another than what the question's verb acted on
        (
            "Which country did Russia invade?",
            "Russia, a country of 144 million people, invaded Ukraine.",
            "Ukraine",
        ),
        (
            "Which bank did UBS buy?",
            "UBS, a Swiss bank, agreed to buy Credit Suisse in March.",
            "Credit Suisse",
        ),
        (
            "What song did she perform?",
            "She performed 'Shake It Off', a song from her album.",
            "Shake It Off",
        ),
    ],
)
def test_a_thing_said_a_of_beside_the_span_is_the_span(question: str, sentence: str, span: str) -> None:
    from qa.answering.answer_types import leaves_it_unnamed

    start = sentence.index(span)
    assert not leaves_it_unnamed(question, sentence, start, start + len(span), 0, len(sentence))


@pytest.mark.parametrize(
    ("sentence", "span", "unnamed"),
    [
        # the sentence says only "a town" of what was occupied: Moscow is another place
        ("Prigozhin occupied a town with his mercenaries and said he would move to Moscow.", "Moscow", True),
        # a name right after the town is the town
        ("They occupied a town, Rostov-on-Don, and moved on Moscow.", "Rostov-on-Don", False),
        ("They occupied a town, Rostov-on-Don, and moved on Moscow.", "Moscow", True),
        ("They occupied a small town called Rostov.", "Rostov", False),
        # a span that holds the town said so is the answer itself
        ("They occupied Kursk and a town on the river.", "Kursk and a town on the river", False),
        # no town said without its name: the sentence says nothing against the span
        ("They occupied Rostov, the largest town in the south.", "Rostov", False),
    ],
)
def test_a_sentence_that_says_only_a_town_does_not_say_which_town(
    sentence: str, span: str, unnamed: bool
) -> None:
    from qa.answering.answer_types import fits_the_question, leaves_it_unnamed

    question = "Which town did the Wagner mercenaries occupy on June 24?"
    start = sentence.index(span)
    assert leaves_it_unnamed(question, sentence, start, start + len(span), 0, len(sentence)) is unnamed
    assert fits_the_question(question, sentence, start, start + len(span), 0, len(sentence)) is not unnamed
    # a question of what the town did asks of its subject, which no "a town" rules out
    assert not leaves_it_unnamed(
        "Which town lies on the river?", sentence, start, start + len(span), 0, len(sentence)
    )


FISK = (
    "Union president Darnell Fisk said the company owed severance. Norwegian cyclist Eirik "
    "Haugland, a two-time stage winner at the Tour de France, was banned. Eirik Haugland, 28, "
    "of Bergen, denied it. The minister met council leader Kari Lund. Lund, blaming the "
    "contractor, resigned. The coach names captain Kari Lund. On Monday, three people died. "
    "Near Svalbard, two fishermen rescued the crew. At the Tour de France, a Norwegian cyclist won."
)


@pytest.mark.parametrize(
    ("question", "span", "describes"),
    [
        # a title or apposition of someone the question names says who that one is, not what
        # he is after or what his team did
        ("What is Darnell Fisk after?", "Union president", True),
        ("What did Eirik Haugland's team do?", "a two-time stage winner", True),
        ("What did Eirik Haugland's team do?", "a two-time stage winner at the Tour de France", True),
        ("What did Haugland do?", "Norwegian cyclist", True),
        # what the title's preposition brings in is another thing, and so is a name in a title
        # ("Where does he work?" may be answered by it)
        ("What did Eirik Haugland win?", "the Tour de France", False),
        ("What is Darnell Fisk after?", "Union", False),
        # the one who did something to him, or a participle's object, is no title of his
        ("Who did Kari Lund meet?", "The minister", False),
        ("Who did Kari Lund blame?", "the contractor", False),
        ("Who picked Kari Lund as captain?", "The coach", False),  # "names" read as a noun
        # a day, a place or an event is nobody's title
        ("Who died on Monday?", "three people", False),
        ("Who rescued the crew near Svalbard?", "two fishermen", False),
        ("Who won the Tour de France?", "a Norwegian cyclist", False),
        # a question of who or what he is is answered so
        ("Who is Darnell Fisk?", "Union president", False),
        ("What is Darnell Fisk's job?", "Union president", False),
        ("What does Darnell Fisk do?", "Union president", False),
        ("Where is Eirik Haugland from?", "Norwegian cyclist", False),
        ("What kind of athlete is Eirik Haugland?", "Norwegian cyclist", False),
        ("Tell me about Darnell Fisk.", "Union president", False),
        # an age and a place beside the name are no title
        ("How old is Eirik Haugland?", "28", False),
        ("Where is Eirik Haugland from?", "Bergen", False),
    ],
)
def test_a_title_beside_a_name_the_question_says_answers_only_who_that_is(
    question: str, span: str, describes: bool
) -> None:
    from qa.answering.answer_types import describes_one_asked

    start = FISK.index(span)
    assert describes_one_asked(question, FISK, start, start + len(span)) is describes


def test_choose_span_skips_a_title_of_the_one_asked_about() -> None:
    """The reader's best span for "What is Darnell Fisk after?" is his title; the next, what
    he said the company owed, answers."""
    passages = [passage(FISK)]
    reading = spans(FISK, ["Union president", "president", "severance"])
    choice = choose_span(reading, passages, passage_inputs(passages), question="What is Darnell Fisk after?")
    assert choice is not None and FISK[choice.span.start : choice.span.end] == "severance"
