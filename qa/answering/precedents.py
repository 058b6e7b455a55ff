"""Whether it has happened before: the sentence of a story that tells of an earlier time.

"Has the bridge been shut before?", "Has this happened before?", "Has that rocket ever
failed?" are asked of most news stories, and a news story answers them in a paragraph of
its own history: "In 2009 it was shut for six weeks after a gravel barge struck one of its
piers", "It was the first failure in 23 flights", "The outbreak is the district's first
since 2014". The reader, trained on questions that reuse their sentence's words, reads
neither "before" nor "ever" in them: it answers with the story's lead, or refuses. So a
question that asks for a precedent is answered from the sentence of the passages read that
tells of one, of the conversation's article first, where one says what was asked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from qa.answering.answer_types import asks_yes_no
from qa.answering.dates import article_date
from qa.answering.retrieval import Passage
from qa.answering.story_sentences import (
    OPENS_WITH_A_YEAR,
    Found,
    best_sentence,
    next_in_paragraph,
    of_an_earlier_year,
)
from qa.store.keyword import stem

# "Has it been shut before?", "... before, regarding the Kessler Bridge?", "before this",
# "before now", never "before the exam" (a time of its own); "ever" after has/have/had;
# "previously", "in the past"; "Is this the first time?"
_PRECEDENT_ASKED = re.compile(
    r"\bbefore\s*(?:(?:this|that|now)(?:\s+one)?\s*)?(?:[?.!,]|$)"
    r"|^\s*(?:has|have|had)\b(?!.*\b(?:\w+est|most|best|worst)\s+(?:\w+\s+){0,2}ever\b).*\bever\b"
    r"|\bpreviously\b|^\s*(?:has|have|had)\b.*\bin\s+the\s+past\s*(?:[?.!,]|$)"
    r"|^\s*(?:is|was)\s+(?:this|it|that)\s+the\s+first\s+time\b",
    re.I,
)
# a question of what is to come: "Will it close before?"
_TO_COME = re.compile(r"^\s*(?:will|would|shall|should|can|could|may|might|must)\b", re.I)
# a sentence that tells of an earlier time: one that opens with its year ("In 2009 it was
# shut", "Back in March 2019"), and one that counts the times ("the first failure in 23
# flights", "the district's first since 2014", "the second at Corrowan in five years", "It
# is not the first leak")
_COUNTS_THE_TIMES = re.compile(
    r"\b(?:first|second|third|fourth|fifth)\s+(?:[\w'’-]+\s+){0,4}?(?:since|in\s+(?:\d+|a|an|[a-z]+)\s+"
    r"(?:years?|decades?|months?|flights?|launches|races|seasons|attempts|times))\b"
    r"|\bnot\s+the\s+first\b|\bhas\s+happened\s+before\b|\bhad\s+(?:\w+\s+){0,2}before\s*[.,;]|\bpreviously\b",
    re.I,
)
# the words a precedent question asks with, which say nothing of what happened
_PRECEDENT_WORDS = frozenset(
    stem(w)
    for w in [
        "before",
        "ever",
        "previously",
        "past",
        "first",
        "time",
        "happen",
        "happened",
        "anything",
        "anyone",
        "anybody",
        "like",
        "this",
        "there",
        "similar",
        "again",
    ]
)


def asks_precedent(question: str) -> bool:
    """Whether `question` asks, yes or no, whether something happened before."""
    asked = question.partition(", regarding ")[0]
    return asks_yes_no(asked) and not _TO_COME.match(asked) and _PRECEDENT_ASKED.search(asked) is not None


def tells_of_a_precedent(sentence: str, today: date) -> bool:
    """Whether `sentence` tells of an earlier time: it opens with a year before `today`'s
    ("In 2009 it was shut for six weeks"), or counts the times ("the first failure in 23
    flights", "first since 2014", "not the first leak")."""
    return of_an_earlier_year(sentence, today) or _COUNTS_THE_TIMES.search(sentence) is not None


def with_its_date(found: Found) -> Found:
    """`found` quoted with the sentence after it, in its paragraph and its passage, where
    `found` only counts the times and that one opens with its year ("It is not the first
    time the crossing has been shut. In 2011 it was closed for eight weeks ..."); else as
    it is."""
    article = found.passage.hit.article
    if OPENS_WITH_A_YEAR.match(article.text[found.start : found.end]) is not None:
        return found
    after = next_in_paragraph(found)
    if after is None or not of_an_earlier_year(article.text[after.start : after.end], article_date(article)):
        return found
    return replace(found, end=after.end)


def precedent(
    question: str, passages: Sequence[Passage], kept: Sequence[str] = (), today: date | None = None
) -> Found | None:
    """The sentence of `passages` that tells of a precedent of what `question` asks about
    (`best_sentence`): among several, one that opens with its year before one that only
    counts the times."""

    def weigh(sentence: str, when: date) -> float:
        if not tells_of_a_precedent(sentence, when):
            return 0.0
        return 2.0 if OPENS_WITH_A_YEAR.match(sentence) is not None else 1.0

    return best_sentence(question, passages, kept, weigh, _PRECEDENT_WORDS, today)
