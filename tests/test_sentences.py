"""Sentences and the quotations they are part of (`qa.ingest.sentences`): an answer cites the
whole thing said, never the tail of a quotation without its start or its speaker."""

from __future__ import annotations

import pytest
from conftest import seeds_and_article

from qa.ingest.sentences import QUOTATION_WORDS, split_sentences, whole_quotation

DAM = (
    "Village elder Samuel Rotich said a petition signed by 200 people was delivered to the "
    "sub-county office but received no reply. "
    '"We told them this wall was weeping water. Nobody came," he said.\n'
    "Kosgei said an investigation would establish who failed."
)
UNION = (
    '"Our members have not taken this decision lightly. Nobody becomes a teacher to stand '
    'outside a school in the cold," said Isabel Marchetti, president of the union. '
    '"But we cannot keep teaching 35 children in a room designed for 25."\n'
    '"We are punishing thousands of responsible riders," Rahman said. Not everyone agreed.'
)


def widened(text: str, fragment: str) -> str:
    """The text `whole_quotation` cites for the sentence holding `fragment`."""
    at = text.index(fragment)
    sentence = next(s for s in split_sentences(text) if s.start <= at < s.end)
    start, end = whole_quotation(text, sentence.start, sentence.end)
    return text[start:end]


def test_a_quotation_of_several_sentences_is_cited_whole() -> None:
    whole = '"We told them this wall was weeping water. Nobody came," he said.'
    assert widened(DAM, "Nobody came") == whole  # its tail goes back to where it opens
    assert widened(DAM, "We told them") == whole  # its start goes on to its speaker
    # speech reported goes on to the quotation "he" then said: one speaker's words
    assert widened(DAM, "Village elder") == DAM.split("\n")[0]
    # a sentence outside any quotation stays as it is, and a paragraph ends a quotation
    assert widened(DAM, "Kosgei") == "Kosgei said an investigation would establish who failed."


def test_the_same_speakers_next_quoted_sentence_goes_with_the_attribution() -> None:
    whole = UNION.split("\n")[0]
    assert widened(UNION, "Nobody becomes") == whole
    # a quoted sentence alone goes back to the sentence that names who said it
    assert widened(UNION, "35 children") == whole
    # an attributed quotation of one sentence, followed by no quotation, stays as it is
    assert (
        widened(UNION, "We are punishing")
        == '"We are punishing thousands of responsible riders," Rahman said.'
    )


def test_speech_reported_then_quoted_by_he_or_she_is_one_speakers() -> None:
    text = (
        "Its regional leader, Astrid Mellum, said the crews had worked fourteen-hour shifts. "
        '"Tired crews make mistakes," she said. Talks resume on Monday.'
    )
    assert widened(text, "Astrid Mellum") == text.removesuffix(" Talks resume on Monday.")
    # a quotation another names its speaker for is another's
    other = 'The minister said the plan was sound. "It will work," said the mayor.'
    assert widened(other, "The minister") == "The minister said the plan was sound."
    # "he" may be another named after "said", or no one of many
    two = (
        "Planning chief Alan Smith said the plan was sound, but finance chair Peter Jones disagreed. "
        '"It will fail," he said.'
    )
    assert widened(two, "Alan Smith").endswith("Peter Jones disagreed.")
    many = 'Officials said the bridge was safe. "We inspected it twice," he said.'
    assert widened(many, "Officials") == "Officials said the bridge was safe."


def test_curly_quotation_marks_are_quotation_marks() -> None:
    text = "“We gave this a fair chance. But too many people were hurt,” Fenwick said. “No convenience is worth that.”"
    assert widened(text, "No convenience") == text
    assert widened(text, "But too many") == text


def test_a_quotation_of_several_sentences_after_its_speaker_is_the_same_speakers() -> None:
    text = '"We are done," said the mayor. "We will rebuild. We always do." The council met later.'
    whole = '"We are done," said the mayor. "We will rebuild. We always do."'
    assert widened(text, "We always do") == whole
    assert widened(text, "We are done") == whole
    assert widened(text, "The council") == "The council met later."


def test_an_attribution_after_a_question_or_an_exclamation_is_the_quotations() -> None:
    # the splitter ends a sentence at '!"': "she said." goes on it in lower case
    text = '"Why should we pay? We did nothing wrong!" she said. "Not a penny." Others disagreed.'
    whole = '"Why should we pay? We did nothing wrong!" she said. "Not a penny."'
    assert widened(text, "Why should") == whole
    assert widened(text, "Not a penny") == whole
    assert widened(text, "Others") == "Others disagreed."


def test_a_quoted_name_ending_in_a_figure_closes_its_quotation() -> None:
    text = 'Engineers call the rocket "Prime 2" internally. It lifted off at 06:14. It broke apart.'
    assert widened(text, "It lifted off") == "It lifted off at 06:14."
    assert widened(text, "Engineers") == 'Engineers call the rocket "Prime 2" internally.'


@pytest.mark.parametrize(
    "text",
    [
        # an inch mark neither opens nor closes a quotation
        'The point lies at exactly 37° 9\' 58.23" latitude, 11 miles south. It is in a valley. "It is," he said.',
        # a quoted word inside a sentence is no quotation of several sentences
        'He criticised the word "alone" in the text. He replied in part. The text was clear.',
    ],
)
def test_marks_that_open_no_quotation_widen_nothing(text: str) -> None:
    first = split_sentences(text)[0]
    assert whole_quotation(text, first.start, first.end) == (first.start, first.end)
    second = split_sentences(text)[1]
    assert whole_quotation(text, second.start, second.end) == (second.start, second.end)


def test_a_quotation_too_long_to_cite_whole_is_cited_by_its_sentence() -> None:
    long = " ".join(["We waited for help that never came."] * (QUOTATION_WORDS // 6))
    text = f'"{long} Nobody came," he said.'
    tail = split_sentences(text)[-1]
    assert whole_quotation(text, tail.start, tail.end) == (tail.start, tail.end)


STRIKE = (
    "Teachers strike across Valmora\n\n"
    "Around 14,000 teachers in the province of Valmora went on strike on Monday, closing 380 "
    "public schools.\n\n"
    '"Our members have not taken this decision lightly. Nobody becomes a teacher to stand '
    'outside a school in the cold," said Isabel Marchetti, president of the Valmora Teachers '
    'Union. "But we cannot keep teaching 35 children in a room designed for 25."\n\n'
    "The provincial government has offered 4.5 percent over three years.\n"
)


def test_an_answer_from_a_quoted_sentence_cites_the_quotation_and_its_speaker(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with seeds_and_article(tmp_path_factory.mktemp("strike"), "strike.txt", STRIKE) as qa:
        answer = qa.answer("How many children are teachers in Valmora teaching in a room designed for 25?")
    assert not answer.abstained and answer.short_answer == "35"
    citation = answer.citations[0]
    said = STRIKE.split("\n\n")[2]
    assert citation.quote == said  # the speaker named, the quotation whole
    assert answer.text.endswith(f"{said} [1]")
    assert (
        citation.quote[citation.answer_start - citation.start : citation.answer_end - citation.start] == "35"
    )
