"""Idioms and phrasal verbs of a question put in the plain words articles use, as another
reading the articles choose among (`QA._most_answerable`)."""

from __future__ import annotations

import pytest

from qa.answering.idioms import chat_words_reading, plain_words_reading
from qa.pipeline import paraphrase


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("When do the new prices kick in?", "When do the new prices take effect?"),
        ("Which sailings were held up?", "Which sailings were delayed?"),
        ("When is it supposed to cool down?", "When is it supposed to ease?"),
        ("Why did SkyLark Air go bust?", "Why did SkyLark Air collapse?"),
        ("Is he going to step down over it?", "Is he going to resign over it?"),
        ("What is the total price tag?", "What is the total cost?"),
        ("How much of that is the city on the hook for?", "How much of that is the city responsible for?"),
        ("How much did they splash out on players?", "How much did they spend on players?"),
        ("How much did it go for?", "How much did it sell for?"),
        ("Were any of them in a bad way?", "Were any of them seriously injured?"),
        ("How many homes were cleared out?", "How many homes were evacuated?"),
        ("How many flights were scrapped?", "How many flights were cancelled?"),
        ("How much did they each chip in?", "How much did they each contribute?"),
        ("How much scrap metal was stolen?", None),  # a noun
        ("Who cleared out the office?", None),  # emptied
        ("When was the ship scrapped?", None),  # for its metal
        ("Did he chip in with a goal?", None),
        # the form the question's auxiliary asks for, where forms are spelt alike
        ("When was the charity set up?", "When was the charity established?"),
        ("Who set up the company?", "Who established the company?"),
        ("When will they set up the fund?", "When will they establish the fund?"),
        ("Was the plant shut down?", "Was the plant closed?"),
        # with an object, another verb
        ("Who took over Twitter?", "Who took control of Twitter?"),
        ("Who is taking over then?", "Who is taking charge then?"),
        # a verb and its particle said apart
        ("Who handed the fine down?", "Who imposed the fine?"),
        ("Why did they call the match off?", "Why did they cancel the match?"),
        ("Did they lay 300 workers off?", "Did they cut 300 workers?"),
        # only the use the plain words say
        ("What did they go for?", None),  # a price only in a question of how much
        ("How did the economy hold up?", None),  # "held up" only as a passive
        ("Who held up the bank?", None),
        ("Did the suspect show up in court?", None),  # a crowd only in "how many"
        ("Why should residents put up with the noise?", None),
        ("Why did the ferry go under the bridge?", None),
        ("Why did the company go under?", "Why did the company collapse?"),
        ("Is the economy in a bad way?", None),  # hurt only of people
        ("Who coaches Go Ahead Eagles?", None),  # a name's words
        ("Who took over after Smith resigned?", None),  # no object: no "control of"
        ("When was the company taken over?", None),
        ("Who pushed back against the plan?", None),  # resisted
        ("Why was the vote pushed back?", "Why was the vote postponed?"),
        ("Why was he ruled out of the match?", None),  # injured
        ("When did she find out about the affair?", None),
        ("Did the pilot bail out?", None),  # jumped
        ("Who paid for the set up?", None),  # a noun
        ("Who helped set up the charity?", "Who helped establish the charity?"),
        ("Did they say who set up the fund?", "Did they say who established the fund?"),
        ("Who won the final?", None),
        # a question asking for the object has one ("Which town ..." is taken control of)
        ("Which town did the fighters take over?", "Which town did the fighters take control of?"),
        ("Which company is taking over?", "Which company is taking charge?"),
        # what a side wants is what it demands; never what it wants to do
        ("What do the hackers want?", "What do the hackers demand?"),
        ("What does the union want from the government?", "What does the union demand from the government?"),
        ("What did they want to do?", None),
        ("Why do they want it?", None),
        ("How much are the strikers asking for?", "How much are the strikers demanding?"),
        ("How much is the seller asking for?", None),  # a price, no demand
        ("What kind of car did she want?", None),  # no side of a dispute
        ("What do investors want?", None),
        # "take over" after a clause or of a time is no object asked for
        ("What has changed since she took over?", "What has changed since she took charge?"),
        ("What year did he take over?", "What year did he take charge?"),
        ("Who asked for help?", None),
        ("What has the government put on the table?", "What has the government offered?"),
        # who is behind an attack claimed it; who is behind a plan is left
        ("Who is behind the ransomware attack?", "Who claimed responsibility for the ransomware attack?"),
        ("Who was behind the bombing in Kabul?", "Who claimed responsibility for the bombing in Kabul?"),
        ("Who is behind the plan?", None),
        ("Who is behind the plan to attack Iran?", None),  # the attack is not what is behind
        ("Who is behind the robbery documentary?", None),
        # who runs, heads or leads a body is its head, whatever the articles call the post
        ("Who runs the company?", "Who is the head of the company?"),
        ("who runs Kestrel Mining?", "who is the head of Kestrel Mining?"),
        ("Who heads the union?", "Who is the head of the union?"),
        ("Who ran the club before him?", "Who was the head of the club before him?"),
        ("Who will run the bank?", "Who will be the head of the bank?"),
        ("Who's the boss of the trust?", "Who's the head of the trust?"),
        # who is in charge of something is its chief (read beside the words as asked)
        ("Who is in charge of fighting the wildfire?", "Who is the chief of fighting the wildfire?"),
        ("Who's in charge of the investigation?", "Who's the chief of the investigation?"),
        ("Who was put in charge of the team?", None),
        ("Who ran the marathon?", None),  # no body
        ("Who led the negotiations?", None),
        ("Who led the team to victory?", None),  # led somewhere
        ("Why does she run the company alone?", None),  # not who heads it
        ("Who is running the company?", None),  # "being the head of" is no plain word
        ("Did he say sorry?", "Did he apologise?"),
        ("How much could they fetch?", "How much could they sell for?"),
        ("Who fetched the water?", None),  # a price only in a question of how much
        ("How much water did they fetch?", None),  # how much of it, not what it was sold for
        # leading a table, a race, a count or prayers is no headship
        ("Who ran the London Marathon?", None),
        ("Who ran for the party's leadership?", None),
        ("Who leads the Premier League?", None),
        ("Who leads the group after two games?", None),
        ("Who led the funeral service?", None),
        ("Who led Denver in tackles?", None),
        ("Who headed Arsenal's winner?", None),
        # whole questions said another way
        ("What makes MalaVax different from the others?", "What is different about MalaVax?"),
        ("How well did the vaccine work in the trial?", "How effective was the vaccine in the trial?"),
        ("And how well does it work?", "And how effective is it?"),
        ("How well did he play?", None),
        ("What makes the tides?", None),
    ],
)
def test_an_idiom_is_put_in_plain_words(question: str, plain: str | None) -> None:
    assert plain_words_reading(question) == plain


def test_a_question_in_plain_words_is_one_reading_with_its_reaction_asked_as_speech() -> None:
    assert paraphrase("How did the minister react?") == "What did the minister say?"
    assert paraphrase("When do the new prices kick in?") == "When do the new prices take effect?"
    assert (
        paraphrase("How did the union react to the lay-off plan?")
        == "What did the union say about the lay-off plan?"
    )
    assert paraphrase("Who won the final?") is None
    # a passive with "get" the plain words make is said with "be"
    assert paraphrase("Why did he get the boot?") == "Why was he sacked?"
    assert paraphrase("Who will foot the bill?") == "Who will pay?"
    # whether anyone did something is asked as who did it
    assert paraphrase("Did anyone vote against the ban?") == "Who voted against the ban?"
    assert paraphrase("Did anyone get sacked?") == "Who was sacked?"
    # never whether anyone was hurt: the sentence that tells of it answers ("Three people
    # were taken to hospital with minor injuries", not "No one" of "No one was seriously hurt")
    assert paraphrase("Was anyone hurt?") is None
    assert paraphrase("Has anyone died, regarding Sicily?") is None


FERRY = """Islanders protest at 18% ferry fare rise

OBAN, Feb 3 -
About 600 people gathered at the pier in Oban on Saturday to protest against an 18% rise in \
ferry fares to the islands of Mull and Lismore.

The fare increase, announced last month by the operator Western Isles Ferries, will take \
effect on 1 April.

The operator said fuel costs had risen by 40 percent in two years.
"""


def test_the_articles_answer_an_idiom_in_their_own_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import seeds_and_article

    with seeds_and_article(tmp_path, "oban-ferry.txt", FERRY) as qa:
        question = "When does the fare rise kick in?"
        # the reader alone refuses the question as asked: no sentence says "kick in"
        assert qa.extractive.answer(question, qa._retrieve(question, None, None, (), None)).abstained
        answer = qa.answer(question)
        assert answer.standalone_question == "When does the fare rise take effect?"  # shown as searched for
        assert not answer.abstained and "1 April" in answer.text


ZOO = """Jaguar recaptured after escape from Hollins Park Zoo

A female jaguar that escaped from Hollins Park Zoo on Thursday was found hiding in a garden \
shed and safely tranquilised after a nine-hour search, the zoo said.

Hollins Park Zoo, which opened in 1964, said it would carry out an internal review of its \
enclosures.
"""


def test_an_idiom_read_literally_gives_way_to_its_plain_words_however_well_answered(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import seeds_and_article

    from qa.pipeline import ANSWERED_WELL

    with seeds_and_article(tmp_path, "zoo.txt", ZOO) as qa:
        question = "What got out of Hollins Park Zoo?"
        # read literally, a wrong answer the reader is sure of
        literal = qa.extractive.answer(question, qa._retrieve(question, None, None, (), None))
        assert not literal.abstained and literal.confidence >= ANSWERED_WELL
        assert "jaguar" not in literal.text.split(".")[0]
        answer = qa.answer(question)
        assert answer.standalone_question == "What escaped from Hollins Park Zoo?"
        assert not answer.abstained and "jaguar" in answer.text.split(".")[0]


def test_a_yes_no_question_in_plain_words_is_settled_only_by_a_sentence_that_says_them() -> None:
    from qa.pipeline import _says_plain_words

    asked, plain = "Is Olsen going to step down over it?", "Is Olsen going to resign over it?"
    assert not _says_plain_words(plain, asked, "Olsen said the company had set aside $25 million.")
    assert _says_plain_words(plain, asked, "Olsen said he would not resign.")


def test_it_of_turn_it_round_is_how_things_go() -> None:
    from qa.answering.references import pronouns

    assert pronouns("Did he think he could still turn it round?") == ["he", "he"]
    assert pronouns("Can they turn it around?") == ["they"]


def test_whether_anyone_did_something_is_answered_by_who_did(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import ROOT

    from qa.index import Index
    from qa.pipeline import QA

    with Index.open(tmp_path / "index") as index:
        index.add([ROOT / "eval" / "stories-2"])  # four stories, one on an e-scooter ban
        qa = QA(index)
        question = "Did anyone vote against the ban?"
        # read as asked, the teaser before the answer settles it ("Not everyone welcomed
        # the decision.")
        asked = qa.extractive.answer(question, qa._retrieve(question, None, None, (), None))
        assert "Aisha Rahman" not in asked.text
        answer = qa.answer(question)
        assert answer.standalone_question == "Who voted against the ban?"  # shown as searched for
        assert not answer.abstained and "Aisha Rahman" in answer.text.split(".")[0]


def test_who_did_it_is_the_one_the_sentence_says_did_it_not_who_said_so() -> None:
    from qa.pipeline import _says_what_was_done

    voted = "Councillor Aisha Rahman, who voted against the ban, said the council should have waited."
    assert _says_what_was_done("Who voted against the ban?", voted, "Councillor Aisha Rahman")
    left = "Assistant manager Kevin Doyle and first-team coach Ray Atkins also left the club."
    assert _says_what_was_done(
        "Who else left with Tomas Lindqvist?", left, "Kevin Doyle and first-team coach Ray Atkins"
    )
    died = "Two people died during the evacuation, said Yosef Bataona, head of the disaster agency."
    assert not _says_what_was_done("Who died during the evacuation?", died, "Yosef Bataona")
    # a sentence that does not say it was done answers no one
    hurt = '"We made the decision to evacuate early," said Marta Kessler.'
    assert not _says_what_was_done("Who was hurt?", hurt, "Marta Kessler")


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("Which jab hadn't the kids had?", "Which vaccine hadn't the children had?"),
        ("who is guy ritchie?", None),  # a name typed in lower case: plurals only
        ("Was it a jab at the minister?", None),
        ("Did the cops confirm it?", "Did the police confirm it?"),
        ("How many ppl were on it?", "How many people were on it?"),
        ("Who is Kid Creole?", None),  # a name
        ("How many people stuck?", "How many people stranded?"),
        ("Who stuck to the plan?", None),  # words of other senses are left
        ("What is the quid pro quo?", None),
    ],
)
def test_a_chats_words_are_read_in_a_storys(asked: str, plain: str | None) -> None:
    assert chat_words_reading(asked) == plain
