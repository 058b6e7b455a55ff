"""Questions about an article rather than about its story: who wrote it, where and when it
was published. The byline, source and date were lifted out of the text at indexing (they
are metadata, not sentences), so the reader cannot find them and would answer "Who wrote
the article?" with a person quoted in it. Such a question is answered from the article's
metadata, cited to the article (its first sentence, so the citation opens it).

Only questions that name the article ("the article", "this story", "the piece about the
harbour") or ask for "the author" outright: "Who wrote the letter?" asks about the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qa.answering.answerer import Draft
from qa.answering.citations import article_citation
from qa.answering.dates import format_date, publication_date
from qa.ingest.chunking import chunk_id
from qa.ingest.sentences import split_sentences
from qa.text import url_host
from qa.types import Article, Citation

Kind = Literal["author", "source", "date"]

_THE = r"(?:the|this|that|your)"
_ARTICLE = r"(?:article|story|piece|news\s+(?:item|story|report)|text|post|report(?=\s+(?:about|on)\b))"
_WHICH_ARTICLE = rf"(?:{_THE}\s+{_ARTICLE}|this)"  # never "it": "Who wrote it?" may mean a letter
_TOPIC = r"(?:\s+(?:about|on|concerning|regarding|of)\s+(?P<topic>.+?))?"
_END = r"\s*[?.!]*\s*$"
_OUTLET = r"(?:newspaper|paper|outlet|publication|site|website|magazine|news\s+agency|agency|source|media|broadcaster)"
_SOURCES: tuple[tuple[Kind, str], ...] = (
    ("author", rf"who\s+(?:wrote|authored|penned)\s+{_WHICH_ARTICLE}{_TOPIC}"),
    (
        "author",
        rf"who(?:\s+is|'s|\s+was)\s+(?:the\s+)?(?:author|writer|reporter|journalist)"
        rf"(?:\s+(?:of|behind)\s+{_WHICH_ARTICLE}{_TOPIC})?",
    ),
    ("author", rf"who\s+(?:is|was)\s+{_WHICH_ARTICLE}{_TOPIC}\s+(?:written|authored|penned)\s+by"),
    ("author", rf"by\s+whom\s+(?:is|was)\s+{_WHICH_ARTICLE}{_TOPIC}\s+written"),
    (
        "author",
        rf"(?:what\s+is\s+)?(?:the\s+name\s+of\s+)?(?:the|its)\s+(?:author|byline)"
        rf"(?:\s+of\s+{_WHICH_ARTICLE}{_TOPIC})?",
    ),
    (
        "source",
        rf"(?:which|what)\s+{_OUTLET}\s+(?:published|ran|carried|printed|reported)\s+{_WHICH_ARTICLE}{_TOPIC}",
    ),
    ("source", rf"who\s+published\s+{_WHICH_ARTICLE}{_TOPIC}"),
    (
        "source",
        rf"where\s+(?:is|was)\s+{_WHICH_ARTICLE}{_TOPIC}\s+(?:published|from|printed)(?:\s+from)?",
    ),
    ("source", rf"(?:what|which)\s+(?:is\s+)?(?:the\s+)?{_OUTLET}\s+of\s+{_WHICH_ARTICLE}{_TOPIC}"),
    (
        "source",
        rf"(?:what|which)\s+{_OUTLET}\s+(?:is|was)\s+{_WHICH_ARTICLE}{_TOPIC}\s+(?:from|in|by)",
    ),
    (
        "date",
        rf"when\s+(?:is|was)\s+{_WHICH_ARTICLE}{_TOPIC}\s+(?:published|written|posted|released|dated)",
    ),
    (
        "date",
        rf"(?:what|which)\s+(?:is\s+)?(?:the\s+)?(?:publication\s+)?date\s+(?:of\s+)?{_WHICH_ARTICLE}{_TOPIC}",
    ),
    (
        "date",
        rf"(?:on\s+)?what\s+(?:date|day)\s+(?:is|was)\s+{_WHICH_ARTICLE}{_TOPIC}\s+(?:published|written|posted)",
    ),
)
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(r"^\s*(?:and|so|ok(?:ay)?|but)?[,\s]*" + pattern + _END, re.IGNORECASE))
    for kind, pattern in _SOURCES
)


@dataclass(frozen=True)
class MetadataQuestion:
    """What the question asks of the article, and the article's topic where it names one
    ("the article about the harbour bridge" -> "the harbour bridge")."""

    kind: Kind
    topic: str | None


def metadata_question(question: str) -> MetadataQuestion | None:
    """The question as one about an article's author, source or date; None otherwise."""
    for kind, pattern in _PATTERNS:
        found = pattern.match(question)
        if found:
            topic = (found.groupdict().get("topic") or "").strip() or None
            return MetadataQuestion(kind, topic)
    return None


def metadata_draft(asked: MetadataQuestion, article: Article) -> Draft:
    """The answer from the article's metadata, cited to its first sentence; "does not
    say" (abstained) when the article lacks the field."""
    where = _where(article)
    title = f"“{article.title}”"
    if asked.kind == "author":
        text = (
            f"**{article.author}** wrote {title}{where} [1]."
            if article.author
            else f"{title}{where} does not name its author [1]."
        )
        short = article.author
    elif asked.kind == "source":
        outlet = article.source or url_host(article.url)
        when = _date(article.published)
        text = (
            f"{title} was published by **{outlet}**{f' on {when}' if when else ''} [1]."
            if outlet
            else f"{title} does not say where it was published [1]."
        )
        short = outlet
    else:
        when = _date(article.published)
        text = (
            f"{title} was published on **{when}**{f' by {article.source}' if article.source else ''} [1]."
            if when
            else f"{title} does not give its publication date [1]."
        )
        short = when
    return Draft(
        text, (_lead_citation(article),), short is None, "metadata", 1.0 if short else 0.0, (), short
    )


def which_article_draft() -> Draft:
    """When the question does not say which article it means and nothing before does."""
    return Draft(
        "Which article do you mean? Name its topic, e.g. “Who wrote the article about the harbour bridge?”, "
        "or ask after an answer from it.",
        (),
        True,
        "metadata",
    )


def _lead_citation(article: Article) -> Citation:
    sentences = split_sentences(article.text)
    start, end = (sentences[0].start, sentences[0].end) if sentences else (0, min(len(article.text), 200))
    return article_citation(1, article, chunk_id(article.id, 0), start, end)


def _where(article: Article) -> str:
    parts = [p for p in (article.source, _date(article.published)) if p]
    return f" ({', '.join(parts)})" if parts else ""


def _date(published: str | None) -> str | None:
    """A publication date as people write it ("14 March 2024"); as stored when unparsed."""
    if not published:
        return None
    day = publication_date(published)
    return format_date(day) if day else published.strip()
