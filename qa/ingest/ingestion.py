"""What the two ways of indexing share (this process, or Ray workers feeding this process's
writer): the one embedding step (`embed_articles`: each chunk under its article's title),
what a worker hands the writer (`Embedded`, `Unchanged`), progress and the run's report.
The writer itself (plan against the stored articles, commit) is `qa.store.writer`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from qa.ingest.chunking import ChunkPlan
from qa.ingest.embedding import Embedder, PassageVectors
from qa.ingest.files import display_name
from qa.types import Article, Skipped

# progress(chunks embedded so far, total or None when not known)
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Stages:
    """Progress of `Index.add` stage by stage: `reading(files read, files)` (the files are
    listed first), then `embedding(chunks embedded, chunks to embed)`. A plain `Progress`
    given instead sees the embedding only."""

    reading: Callable[[int, int], None]
    embedding: Progress


@dataclass
class EmbeddingProgress:
    """The chunks a run has embedded against those it has to embed (counted ahead)."""

    progress: Progress | None
    done: int = 0
    total: int = 0

    def start(self) -> None:
        if self.progress is not None and self.total > self.done:
            self.progress(self.done, self.total)

    def advance(self, chunks: int) -> None:
        self.done += chunks
        if self.progress is not None and chunks:
            self.progress(self.done, self.total)

    def committed(self, chunks: int) -> None:
        """Chunks embedded elsewhere (Ray workers) and committed here: no total known."""
        if self.progress is not None:
            self.progress(chunks, None)


@dataclass
class AddReport:
    """What one `Index.add` run did, article by article."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id): re-keyed, not re-embedded
    skipped: list[Skipped] = field(default_factory=list)
    boilerplate: int = 0  # of the skipped: boilerplate, not articles (see qa.ingest.boilerplate)
    hidden: int = 0  # hidden files and folders passed over
    chunks: int = 0
    commits: int = 0
    seconds: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)  # article id -> file it came from
    notes: list[str] = field(default_factory=list)  # e.g. how a rebuild resumed

    def lines(self) -> list[str]:
        """The report as printed: its notes, a line per skipped input (`skipped NAME: reason`, the
        name quoted and escaped where it holds a line break, an escape sequence or any other
        unprintable character, so no name can forge a line), then `summary()`."""
        skipped = [f"skipped {display_name(s.path)}: {one_line(s.reason)}" for s in self.skipped]
        return [one_line(note) for note in self.notes] + skipped + [self.summary()]

    def summary(self) -> str:
        hidden = (
            f", {self.hidden} hidden file{'s' if self.hidden != 1 else ''} ignored" if self.hidden else ""
        )
        moved = f", {len(self.moved)} moved" if self.moved else ""
        junk = f" ({self.boilerplate} boilerplate)" if self.boilerplate else ""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged{moved}, "
            f"{len(self.skipped)} skipped{junk}{hidden}; {self.chunks} chunks embedded in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class Embedded:
    """An article chunked and embedded elsewhere (a Ray worker), ready to commit."""

    article: Article
    plans: list[ChunkPlan]
    vectors: PassageVectors


@dataclass(frozen=True)
class Unchanged:
    """An article a worker found already indexed with the same content."""

    id: str
    path: str


def embed_articles(
    embedder: Embedder, items: Sequence[tuple[Article, Sequence[ChunkPlan]]]
) -> list[PassageVectors]:
    """The passage and sentence vectors of each article's chunks, all embedded together:
    each chunk is read under its article's title (the title and a line break before it),
    its sentences pooled from it (late chunking). One `PassageVectors` per article."""
    plans = [plan for _, article_plans in items for plan in article_plans]
    if not plans:
        return [PassageVectors(np.zeros((0, 0), np.float32), []) for _ in items]
    vectors = embedder.encode_passages(
        [p.chunk.text for p in plans],
        [[(s.start - p.chunk.start, s.end - p.chunk.start) for s in p.sentences] for p in plans],
        [article.title + "\n" for article, article_plans in items for _ in article_plans],
    )
    result = []
    offset = 0
    for _, article_plans in items:
        end = offset + len(article_plans)
        result.append(PassageVectors(vectors.passages[offset:end], vectors.sentences[offset:end]))
        offset = end
    return result


def one_line(text: str) -> str:
    """`text` as one printable line: unprintable characters escaped."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode() for c in text
    )
