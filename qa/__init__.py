"""article-qa: ask questions of a collection of articles; every answer cites the exact
sentences it rests on.

    from qa import answer
    a = answer("Who led the negotiations with Prigozhin?")
    print(a.text, a.citations[0].quote)
"""

from qa.errors import QAError
from qa.index import AddReport, Index
from qa.pipeline import QA, StreamEvent, answer, stream_answer
from qa.types import Answer, Article, Chunk, Citation, Filters, Hit

__all__ = [
    "QA",
    "AddReport",
    "Answer",
    "Article",
    "Chunk",
    "Citation",
    "Filters",
    "Hit",
    "Index",
    "QAError",
    "StreamEvent",
    "answer",
    "stream_answer",
]
