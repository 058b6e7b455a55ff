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
from dataclasses import dataclass
from datetime import date

from qa.answering.answer_types import asks_yes_no
from qa.answering.dates import publication_date
from qa.answering.retrieval import Passage
from qa.ingest.sentences import split_sentences
from qa.store.keyword import content_terms, stem
from qa.types import Article

# "Has it been shut before?", "... before, regarding the Kessler Bridge?", "before this",
# "before now", never "before the exam" (a time of its own); "ever" after has/have/had;
# "previously", "in the past"; "Is this the first time?"
_PRECEDENT_ASKED = re.compile(
    r"\bbefore\s*(?:(?:this|that|now)(?:\s+one)?\s*)?(?:[?.!,]|$)"
    r"|^\s*(?:has|have|had|hasn['’]t|haven['’]t)\b.*\bever\b"
    r"|\bpreviously\b|\bin\s+the\s+past\s*(?:[?.!,]|$)"
    r"|^\s*(?:is|was)\s+(?:this|it|that)\s+the\s+first\b",
    re.I,
)
# a sentence that tells of an earlier time: one that opens with its year ("In 2009 it was
# shut", "Back in March 2019"), and one that counts the times ("the first failure in 23
# flights", "the district's first since 2014", "the second at Corrowan in five years", "It
# is not the first leak")
_OPENS_WITH_A_YEAR = re.compile(
    r"^\W*(?:back\s+)?in\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+)?(?P<year>(?:19|20)\d\d)\b", re.I
)
_COUNTS_THE_TIMES = re.compile(
    r"\b(?:first|second|third|fourth|fifth)\s+(?:[\w'’-]+\s+){0,4}?(?:since|in\s+(?:\d+|a|an|[a-z]+)\s+"
    r"(?:years?|decades?|months?|flights?|launches|races|seasons|attempts|times))\b"
    r"|\bnot\s+the\s+first\b|\bhas\s+happened\s+before\b|\bhad\s+(?:\w+\s+){0,2}before\b|\bpreviously\b",
    re.I,
)
# the words a precedent question asks with, which say nothing of what happened
_ASKING_WORDS = frozenset(
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
    return asks_yes_no(asked) and _PRECEDENT_ASKED.search(asked) is not None


@dataclass(frozen=True)
class Precedent:
    """A sentence of `passage` (offsets into its article's text) that tells of an earlier time."""

    passage: Passage
    start: int
    end: int


def tells_of_a_precedent(sentence: str, today: date) -> bool:
    """Whether `sentence` tells of an earlier time: it opens with a year before `today`'s
    ("In 2009 it was shut for six weeks"), or counts the times ("the first failure in 23
    flights", "first since 2014", "not the first leak")."""
    opening = _OPENS_WITH_A_YEAR.match(sentence)
    if opening is not None and int(opening.group("year")) < today.year:
        return True
    return _COUNTS_THE_TIMES.search(sentence) is not None


def told_on(article: Article, today: date | None = None) -> date:
    """The date an article's story is of: its publication date, else `today`."""
    return publication_date(article.published) or today or date.today()


def with_its_date(found: Precedent) -> int:
    """The end of the quote of `found`: past the sentence after it, in its paragraph and
    its passage, where `found` only counts the times and that one opens with its year ("It
    is not the first time the crossing has been shut. In 2011 it was closed for eight
    weeks ..."); else its own end."""
    article, chunk = found.passage.hit.article, found.passage.hit.chunk
    said = article.text[found.start : found.end]
    if _OPENS_WITH_A_YEAR.match(said) is not None:
        return found.end
    after = next((s for s in split_sentences(article.text, found.end, chunk.end)), None)
    if after is None or "\n" in article.text[found.end : after.start]:
        return found.end
    opening = _OPENS_WITH_A_YEAR.match(article.text[after.start : after.end])
    if opening is None or int(opening.group("year")) >= told_on(article).year:
        return found.end
    return after.end


def precedent(
    question: str, passages: Sequence[Passage], kept: Sequence[str] = (), today: date | None = None
) -> Precedent | None:
    """The sentence of `passages` that tells of a precedent of what `question` asks about:
    of the conversation's articles (`kept`) where they have one, else of an article that
    says what was asked about; among several, the one that says most of the question's
    words (itself or the sentence before it in its paragraph: "It is not the first leak to
    hit the board. In 2016 part of a chemistry paper was posted online"), then one that
    opens with its year, then the first. None where no
    sentence tells of one, or none says anything asked about outside the conversation's
    articles."""
    asked = {t for t in map(stem, content_terms(question)) if t not in _ASKING_WORDS}
    found: list[tuple[bool, int, bool, int, int, Precedent]] = []
    seen: set[tuple[str, int]] = set()
    for order, passage in enumerate(passages):
        article, chunk = passage.hit.article, passage.hit.chunk
        when = told_on(article, today)
        own = article.id in kept
        sentences = split_sentences(article.text, chunk.start, chunk.end)
        for n, sentence in enumerate(sentences):
            if (article.id, sentence.start) in seen:
                continue
            seen.add((article.id, sentence.start))
            said = article.text[sentence.start : sentence.end]
            if not tells_of_a_precedent(said, when):
                continue
            # the sentence before it, in its paragraph, may say what it is of ("It is not
            # the first leak to hit the board. In 2016 part of a chemistry paper ...")
            previous = sentences[n - 1] if n else None
            joined = previous is not None and "\n" not in article.text[previous.end : sentence.start]
            before = article.text[previous.start : previous.end] if previous is not None and joined else ""
            shared = len(asked & {stem(t) for t in content_terms(f"{before} {said}")})
            if not (shared or own):
                continue  # another story's history, of nothing asked
            # one that says when ("In 2019 Meridian was fined") before one that only counts
            dated = _OPENS_WITH_A_YEAR.match(said) is not None
            found.append(
                (
                    own,
                    shared,
                    dated,
                    -order,
                    -sentence.start,
                    Precedent(passage, sentence.start, sentence.end),
                )
            )
    if not found:
        return None
    if any(item[0] for item in found):
        found = [item for item in found if item[0]]
    return max(found, key=lambda item: item[:5])[5]
