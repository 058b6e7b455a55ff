"""Small builders of domain objects for tests that need no index."""

from __future__ import annotations

from qa.types import Article, Chunk, Hit


def make_hit(article_id: str, text: str, rank: int = 1) -> Hit:
    """A hit whose passage is the whole of a one-passage article."""
    article = Article(id=article_id, title=article_id.title(), text=text)
    chunk = Chunk(id=f"{article_id}-0", article_id=article_id, ordinal=0, text=text, start=0, end=len(text))
    return Hit(chunk=chunk, article=article, score=1.0 / rank, rank=rank)
