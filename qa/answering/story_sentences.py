"""The sentence of a story that tells what a kind of news question asks, where the reader
misses it: whether it happened before (`qa.answering.precedents`), whether anyone was hurt
(`qa.answering.casualties`).

People ask these of almost every news story, in words the story rarely uses ("Has the
bridge been shut before?" of "In 2009 it was shut for six weeks"; "Was anyone hurt?" of
"Eleven people were taken to hospital with breathing difficulties"). The reader, trained on
questions that reuse their sentence's words, refuses them or answers from the lead. A news
story answers each in a sentence of a known shape; this module finds it among the passages
read, of the conversation's article first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from qa.answering.dates import article_date
from qa.answering.retrieval import Passage
from qa.ingest.sentences import split_sentences
from qa.store.keyword import content_terms, stem
from qa.types import Sentence

# a sentence that opens with its year ("In 2009 it was shut", "Back in March 2019, ..."):
# it tells of the time it names
# (a month may come between; never a count: "In total 2000 people", "In 2000 homes", nor
# "In the 2019 election")
OPENS_WITH_A_YEAR = re.compile(
    r"^\W*(?:[Bb]ack\s+in|[Ii]n)\s+(?:(?:early|late|mid-?)\s*)?"
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b"
    r"(?!\s+(?:people|men|women|children|(?!(?:this|was|has|its|his|is|as|us|thus|across)\b)[a-z]+s)\b)"
)


def of_an_earlier_year(sentence: str, today: date) -> bool:
    """Whether `sentence` opens with a year before `today`'s ("In 2009 it was shut")."""
    opening = OPENS_WITH_A_YEAR.match(sentence)
    return opening is not None and int(opening.group("year")) < today.year


# a year named anywhere ("between 2015 and 2018")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def says_an_earlier_year(sentence: str, today: date) -> bool:
    """Whether `sentence` names a year before `today`'s anywhere ("He played for Chelsea
    between 2015 and 2018")."""
    return any(int(year) < today.year for year in YEAR.findall(sentence))


@dataclass(frozen=True)
class Found:
    """A sentence of `passage`: offsets into its article's text."""

    passage: Passage
    start: int
    end: int


def _one_paragraph(text: str, end: int, start: int) -> bool:
    """Whether nothing but a paragraph's own spacing lies between `end` (of one sentence)
    and `start` (of the next) in `text`."""
    return "\n" not in text[end:start]


def next_in_paragraph(found: Found) -> Sentence | None:
    """The sentence after `found` in its paragraph and its passage, or None."""
    article, chunk = found.passage.hit.article, found.passage.hit.chunk
    after = next(iter(split_sentences(article.text, found.end, chunk.end)), None)
    if after is None or not _one_paragraph(article.text, found.end, after.start):
        return None
    return after


def previous_in_paragraph(found: Found) -> Sentence | None:
    """The sentence before `found` in its paragraph and its passage, or None."""
    article, chunk = found.passage.hit.article, found.passage.hit.chunk
    before = [s for s in split_sentences(article.text, chunk.start, found.start) if s.end <= found.start]
    if not before or not _one_paragraph(article.text, before[-1].end, found.start):
        return None
    return before[-1]


def _stems(text: str) -> set[str]:
    return {stem(t) for t in content_terms(text)}


# a name of a question ("the Kessler Bridge", "Pinecrest Valley"): a word with a capital
# after its first
_NAME_WORD = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’-]+")


def best_sentence(
    question: str,
    passages: Sequence[Passage],
    kept: Sequence[str],
    weigh: Callable[[str, date], float],
    asking: frozenset[str],
    today: date | None = None,
) -> Found | None:
    """The sentence of `passages` that `weigh` (of the sentence and its story's date) finds
    to tell what `question` asks (a weight above 0): of the conversation's articles (`kept`)
    where they have one, else of an article that says every name of the question and
    whose sentence says a word of it other than the `asking` words (stems); among several,
    the one that says most of the words it asks about (itself or the sentence
    before it in its paragraph: "It is not the first leak to hit the board. In 2016 part of
    a chemistry paper was posted online"), then the weightiest, then the first. None where
    no sentence tells it."""
    every = _stems(question) - asking
    # the words it asks about less an attached topic (", regarding Pinecrest Valley" is the
    # conversation's, which its article says throughout)
    about = _stems(question.partition(", regarding ")[0]) - asking
    named = [w.lower() for w in _NAME_WORD.findall(question.strip())]
    found: list[tuple[bool, int, float, int, int, Found]] = []
    seen: set[tuple[str, int]] = set()
    for order, passage in enumerate(passages):
        article, chunk = passage.hit.article, passage.hit.chunk
        when = article_date(article, today)
        own = article.id in kept
        if not own and not all(name in article.text.lower() for name in named):
            continue  # another story's ("the bridge over the Wey" for the Kessler Bridge)
        sentences = split_sentences(article.text, chunk.start, chunk.end)
        for n, sentence in enumerate(sentences):
            if (article.id, sentence.start) in seen:
                continue
            seen.add((article.id, sentence.start))
            weight = weigh(article.text[sentence.start : sentence.end], when)
            if weight <= 0:
                continue
            previous = sentences[n - 1] if n else None
            joined = previous is not None and _one_paragraph(article.text, previous.end, sentence.start)
            before = article.text[previous.start : previous.end] if previous is not None and joined else ""
            said = _stems(f"{before} {article.text[sentence.start : sentence.end]}")
            if not own and not every & said:
                continue  # another story's, of nothing asked
            shared = len(about & said)
            at = Found(passage, sentence.start, sentence.end)
            found.append((own, shared, weight, -order, -sentence.start, at))
    if not found:
        return None
    if any(item[0] for item in found):
        found = [item for item in found if item[0]]
    return max(found, key=lambda item: item[:5])[5]
