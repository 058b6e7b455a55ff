"""Questions about an article itself (issue 20, item 5): who wrote it, where and when it
was published are answered from its metadata (the byline lifted out of its text), cited to
the article; questions about the story are left to the reader."""

from __future__ import annotations

from typing import Any

import pytest

from qa.answering.metadata import metadata_question


@pytest.mark.parametrize(
    ("question", "kind", "topic"),
    [
        ("Who wrote the article?", "author", None),
        ("Who wrote the article about the harbour bridge?", "author", "the harbour bridge"),
        ("Who's the author of this story?", "author", None),
        ("And who is the reporter?", "author", None),
        ("When was the story about the coral reef published?", "date", "the coral reef"),
        ("What is the publication date of this story?", "date", None),
        ("Which newspaper published the story about the library budget?", "source", "the library budget"),
        ("Where was this article published?", "source", None),
    ],
)
def test_questions_about_an_article_are_recognised(question: str, kind: str, topic: str | None) -> None:
    asked = metadata_question(question)
    assert asked is not None and (asked.kind, asked.topic) == (kind, topic)


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote the letter?",
        "Who wrote it?",  # "it" may be a letter or a report of the story
        "Who is the author of the new law?",
        "Who reported the fire?",
        "Who is the article about?",
        "What does the article say about taxes?",
        "When was the bridge opened?",
    ],
)
def test_questions_about_the_story_are_not(question: str) -> None:
    assert metadata_question(question) is None


def test_the_byline_answers_who_wrote_the_article(seed_qa: Any) -> None:
    answer = seed_qa.answer("Who wrote the article about the harbour bridge?")
    assert answer.short_answer == "Maria Okafor" and not answer.abstained
    assert answer.text.startswith("**Maria Okafor** wrote “Harbour bridge reopens after two-year repair”")
    assert "Coastal Herald, 14 March 2024" in answer.text
    (citation,) = answer.citations
    article = seed_qa.index.get_article(citation.article_id)
    assert article.title == "Harbour bridge reopens after two-year repair"
    assert citation.quote == article.text[citation.start : citation.end] and citation.start < 200


def test_source_and_date_answers(seed_qa: Any) -> None:
    date = seed_qa.answer("When was the story about the coral reef published?")
    assert (
        date.short_answer == "20 November 2023"
        and date.citations[0].title == "Researchers map deep-sea coral reef"
    )
    outlet = seed_qa.answer("Which outlet published the article about the chess champion?")
    assert outlet.short_answer == "Example Wire" and outlet.citations[0].article_id == "wire-002"


def test_an_article_without_a_byline_says_so(seed_qa: Any) -> None:
    answer = seed_qa.answer("Who wrote the article about the chess champion?")
    assert answer.abstained and answer.short_answer is None
    assert "does not name its author" in answer.text and answer.citations[0].article_id == "wire-002"


def test_the_article_of_the_conversation_is_the_one_meant(seed_qa: Any) -> None:
    first = seed_qa.answer("How many trucks were stranded by the storm?")
    assert first.citations[0].article_id == "wire-001"
    answer = seed_qa.answer(
        "Who wrote this article?", [("How many trucks were stranded by the storm?", first.text)]
    )
    assert answer.short_answer == "Lena Park" and answer.citations[0].article_id == "wire-001"
    alone = seed_qa.answer("Who wrote the article?")  # six articles and nothing before: which one?
    assert alone.abstained and alone.text.startswith("Which article do you mean?") and not alone.citations
