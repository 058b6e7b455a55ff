"""A question of what is going on with a story is answered by the story's lead sentence
where the reader finds no span or answers from another sentence: a news story's first
sentence says what happened."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import seeds_and_article

from qa.answering.reader_answerer import ReaderAnswerer, overview_topic
from qa.pipeline import QA

STORY = """Harwick City sack manager Tomas Lindqvist after seventh straight defeat

HARWICK, Oct 2 -
Harwick City sacked manager Tomas Lindqvist on Sunday after a 3-0 home defeat to Brayford \
Athletic stretched the club's losing run to seven league matches.

Under-21 coach Sofia Ruiz will take charge of the first team on an interim basis, starting \
with Wednesday's cup tie.

The club spent a club-record 42 million pounds on players in the summer.
"""
LEAD = "Harwick City sacked manager Tomas Lindqvist on Sunday"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What's going on at Harwick City?", "Harwick City"),
        ("What is going on with the Kestrel mine?", "the Kestrel mine"),
        ("What happened to the Skywatch-2 launch?", "the Skywatch-2 launch"),
        ("What has happened at Harwick City?", "Harwick City"),
        ("What's this blood pressure drug recall about?", "blood pressure drug recall"),
        ("Tell me about the dam", "the dam"),
        ("What is the latest on the strike?", "the strike"),
        ("What's the deal with the stadium?", "the stadium"),
        # the latest of a thing asked is no story
        ("What is the latest cost of the Elm bridge repairs?", None),
        ("Who sacked the manager?", None),
        # a time or what came next is no story
        ("What happened next?", None),
        ("What happened on Monday?", None),
        ("What happened in the second half?", None),
        ("What happened after the vote?", None),
        ("What has happened since, regarding Harwick City?", None),
        # a time word in a name is the name's
        ("What happened to Theresa May?", "Theresa May"),
        ("What happened to the Sunday Times?", "the Sunday Times"),
        ("What did the club spend?", None),
    ],
)
def test_what_a_question_of_what_is_going_on_asks_about(question: str, topic: str | None) -> None:
    assert overview_topic(question) == topic


@pytest.fixture(scope="module")
def club_qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QA]:
    with seeds_and_article(tmp_path_factory.mktemp("club"), "harwick-city.txt", STORY) as qa:
        yield qa


def test_the_lead_sentence_says_what_is_going_on(club_qa: QA) -> None:
    reader = club_qa.extractive
    assert isinstance(reader, ReaderAnswerer)
    question = "What is going on at Harwick City?"
    passages = club_qa._retrieve(question, None, None, (), None).passages
    lead = reader.lead_answer(question, passages)
    assert lead is not None and not lead.abstained
    quote = lead.citations[0].quote
    assert quote.startswith(LEAD) and lead.text.startswith(LEAD)
    # the citation's passage is one the index holds, and it holds the quote
    cited = lead.citations[0]
    assert any(p.hit.chunk.id == cited.chunk_id and quote in p.hit.chunk.text for p in passages)
    # a lead already given is not given again ("What is going on at Harwick City?" asked twice)
    assert reader.lead_answer(question, passages, avoid=(lead.text,)) is None
    # through the product, asked as a person asks it
    answer = club_qa.answer("What's going on at Harwick City?")
    assert not answer.abstained and "Tomas Lindqvist" in answer.citations[0].quote
    # never a story its title and lead do not say, nor another question
    assert reader.lead_answer("What is going on with the Mars rover?", passages) is None
    assert reader.lead_answer("Who is the interim coach?", passages) is None


def test_the_lead_says_what_is_going_on_where_the_reader_answers_from_another_sentence(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from conftest import ROOT

    from qa.index import Index

    with Index.open(tmp_path_factory.mktemp("stories") / "index") as index:
        # four stories, one on an e-scooter ban; and a marathon
        index.add([ROOT / "eval" / "stories-2", ROOT / "eval" / "news" / "marathon.txt"])
        qa = QA(index)
        reader = qa.extractive
        assert isinstance(reader, ReaderAnswerer)
        question = "What is happening with e-scooters in Port Allard?"
        retrieval = qa._retrieve(question, None, None, (), None)
        # the reader alone answers from the second sentence, a count of scooters
        read = reader._read(question, retrieval, ())
        assert not read.abstained and "voted on Monday night" not in read.citations[0].quote
        # "scooters" said as the story says them, or not: the same
        for asked in (
            "what's happening with e-scooters in Port Allard?",
            "What's happening with scooters in Port Allard?",
        ):
            answer = qa.answer(asked)
            assert not answer.abstained
            assert answer.citations[0].quote.startswith(
                "Port Allard city council voted on Monday night to ban"
            )
        # a sentence that says what was asked about is kept: the lead is about Chebet,
        # not about her training partner
        partner = qa.answer("What happened to Kenya's Faith Chebet's training partner?")
        assert "dropped out" in partner.citations[0].quote
        # a lead the reader itself answers from keeps its short answer
        club = qa.answer("What has happened at Harwick City?")
        assert club.text.startswith("**") and "sacked manager Tomas Lindqvist" in club.citations[0].quote


PIER = """Torvik ferry pier shut after storm tears away part of its deck

TORVIK, Jan 4 -
Engineers closed the Torvik ferry pier to all passengers on Monday after storm waves tore \
away part of its deck, leaving about 3,000 island commuters a day without their usual crossing.

"The pier is not about to collapse, but we are not willing to take any chances with people's \
lives," said harbour master Ola Brekke. "We will open it again when it is safe."

Ferries will dock at the old fishing harbour until repairs are done, the operator said.
"""


def test_a_sentence_that_says_less_of_what_was_asked_about_than_the_lead_gives_way_to_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The reader answers "What is happening with the Torvik ferry pier?" from a quotation
    that says "the pier" alone; the lead names the Torvik ferry pier and says what happened."""
    with seeds_and_article(tmp_path_factory.mktemp("pier"), "pier.txt", PIER) as qa:
        question = "What is happening with the Torvik ferry pier?"
        reader = qa.extractive
        assert isinstance(reader, ReaderAnswerer)
        read = reader._read(question, qa._retrieve(question, None, None, (), None), ())
        assert not read.abstained and "not about to collapse" in read.citations[0].quote
        answer = qa.answer(question)
        assert answer.citations[0].quote.startswith("Engineers closed the Torvik ferry pier")


STRIKER = """Harwick City striker Marco Rossi banned for eight matches

HARWICK, Oct 9 -
Harwick City striker Marco Rossi was banned for eight matches on Tuesday for elbowing an \
opponent in last week's derby, the league said.

The club said it would terminate his contract at the end of the month, two years before it \
was due to run out, and would not appeal the ban.

Rossi joined Harwick from Brayford Athletic in 2022 and has scored 31 goals for the club.
"""


def test_a_sentence_that_says_what_was_asked_about_stands_over_a_lead_that_never_says_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "What happened to the striker's contract?": the lead names the striker and says
    nothing of a contract; the sentence that does is the answer."""
    with seeds_and_article(tmp_path_factory.mktemp("striker"), "striker.txt", STRIKER) as qa:
        for question in ("What happened to the striker's contract?", "What happened to Rossi's contract?"):
            answer = qa.answer(question)
            assert answer.citations[0].quote.startswith("The club said it would terminate his contract")
        lead = qa.answer("What's going on with Marco Rossi?")
        assert lead.citations[0].quote.startswith("Harwick City striker Marco Rossi was banned")
