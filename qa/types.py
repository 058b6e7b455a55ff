"""Domain types shared by every room of article-qa: frozen dataclasses, no behaviour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Article:
    """One cleaned article. `text` is the main text; `id` is stable across re-indexing."""

    id: str
    title: str
    text: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = None
    path: str | None = None
    content_hash: str = ""
    origin: str | None = None  # the file's place in its collection, e.g. "seeds/story.txt"


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, as character offsets into `Article.text`."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A passage of an article: `text == article.text[start:end]`."""

    id: str
    article_id: str
    ordinal: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its article, fused score and 1-based rank."""

    chunk: Chunk
    article: Article
    score: float
    rank: int
    also_reported_by: tuple[str, ...] = ()  # other outlets of the same story (read here only)


@dataclass(frozen=True)
class Citation:
    """A source behind an `[n]` marker: `quote == article.text[start:end]`."""

    number: int
    chunk_id: str
    article_id: str
    title: str
    url: str | None
    source: str | None
    published: str | None
    quote: str
    start: int
    end: int
    supported: bool = True
    answer_start: int | None = None  # the short answer inside the quote, as article offsets
    answer_end: int | None = None
    also_reported_by: tuple[str, ...] = ()  # other outlets of the same story


@dataclass(frozen=True)
class Alternative:
    """One of the answers the sources give when they differ: the short answer and the
    numbers of the citations that state it."""

    answer: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Answer:
    """An answer whose `[n]` markers resolve to `citations[n-1]`."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    hits: tuple[Hit, ...] = ()
    abstained: bool = False
    model: str = "extractive"
    timings: dict[str, float] = field(default_factory=dict)
    notice: str | None = None
    standalone_question: str | None = None
    score: float = 0.0
    unsupported: tuple[str, ...] = ()
    short_answer: str | None = None  # the reader's span; it lies in citations[0] at its answer offsets
    alternatives: tuple[Alternative, ...] = ()  # when sources differ: every answer, best supported first

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the answer, its citations and its hits."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("citations", "hits")}
        data["timings"] = dict(self.timings)
        data["unsupported"] = list(self.unsupported)
        data["alternatives"] = [asdict(a) for a in self.alternatives]
        data["citations"] = [asdict(c) for c in self.citations]
        data["hits"] = [
            {
                "rank": h.rank,
                "score": h.score,
                "chunk_id": h.chunk.id,
                "article_id": h.article.id,
                "title": h.article.title,
                "text": h.chunk.text,
            }
            for h in self.hits
        ]
        return data


@dataclass(frozen=True)
class TitleEntry:
    """An article as lists show it: no text."""

    id: str
    title: str
    source: str | None
    published: str | None
    url: str | None
    origin: str | None = None
    added_at: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A file (or a line of one) that was not indexed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Ignored:
    """A hidden file or folder passed over while reading a folder (counted, not an error)."""

    path: str


@dataclass(frozen=True)
class Filters:
    """Restrictions on retrieval: sources, a published date range (ISO), article ids."""

    sources: tuple[str, ...] = ()
    published_from: str | None = None
    published_to: str | None = None
    article_ids: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.sources or self.published_from or self.published_to or self.article_ids)


@dataclass(frozen=True)
class Request:
    """One question as asked: its conversation so far (questions, (question, answer) pairs
    or chat messages), the answerer's name or litellm model id (None: the default), the
    passages to retrieve (None: `QA_TOP_K`) and the filters."""

    question: str
    history: Sequence[Any] | None = None
    model: str | None = None
    k: int | None = None
    filters: Filters | None = None
