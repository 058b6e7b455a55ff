"""Keyword side of retrieval: terms of a question and the SQLite FTS5 (BM25) query for them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom whose why will with would you
    your yours yourself yourselves s t don also did does many much one ones get got said
    says say tell whether
    """.split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits), apostrophe forms kept whole."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def content_terms(text: str) -> list[str]:
    """Tokens of `text` that carry meaning: no stopwords, in order, without repeats."""
    seen: dict[str, None] = {}
    for token in tokenize(text):
        base = token.split("'")[0]
        if base not in STOPWORDS and token not in STOPWORDS:
            seen.setdefault(base, None)
    return list(seen)


MAX_MATCH_TERMS = 6
COMMON_SHARE = 0.05  # a term in more than this share of the chunks does not narrow a search
# a name the question asks about ("Who wrote On the Origin of Species?") is kept up to this
# share where nothing else narrows the search: in a collection about it, it is common
NAME_SHARE = 0.25
_CAPITALISED = re.compile(r"(?<=\s)[\"“‘'(]?([A-Z][^\W_]*)")


def keyword_terms(text: str, frequencies: dict[str, int] | None = None, documents: int = 0) -> list[str]:
    """The question's content terms that a keyword search ORs.

    With `frequencies` (chunks per stem) and `documents` (chunks in all), only the rarest
    terms are kept: at most six, none in more than 5% of the chunks unless nothing rarer is
    left. Rare terms carry nearly all of BM25's weight, and FTS5 ranks every chunk that
    matches, so a common term would make its search cost grow with the collection.
    """
    terms = content_terms(text)
    if frequencies is not None and documents and terms:
        named = {m.group(1).lower() for m in _CAPITALISED.finditer(text)}  # not the first word
        terms = select_terms(terms, frequencies, documents, named)
    return terms


def fts_query(terms: list[str]) -> str | None:
    """An FTS5 MATCH expression ORing `terms` (quoted: FTS5 always parses it), or None."""
    if not terms:
        return None
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def select_terms(
    terms: list[str], frequencies: dict[str, int], documents: int, named: Iterable[str] = ()
) -> list[str]:
    """The rarest of `terms` (see `keyword_terms`), in their original order; where that
    leaves fewer than two, the `named` ones (capitalised in the question) too, up to
    `NAME_SHARE` of the chunks. A name common in the collection adds nothing to a search that
    has two rarer terms ("recorded settlement" in the Newcastle article: every chunk of it
    says "Newcastle"), but a search for "wrote" alone finds any writer."""
    rarity = sorted(terms, key=lambda t: frequencies.get(stem(t), 0))
    names = set(named)
    kept = [t for t in rarity if frequencies.get(stem(t), 0) <= COMMON_SHARE * documents][:MAX_MATCH_TERMS]
    if len(kept) < 2:
        kept += [
            t
            for t in rarity
            if t in names and t not in kept and frequencies.get(stem(t), 0) <= NAME_SHARE * documents
        ]
    return [t for t in terms if t in (kept or rarity[:1])]


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Porter stem of a lower-case token, as SQLite's FTS5 `porter` tokenizer makes it."""
    return _porter().stemWord(token)


@lru_cache(maxsize=1)
def _porter() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


def content_stems(text: str) -> set[str]:
    """Stems of the content terms of `text`."""
    return {stem(term) for term in content_terms(text)}


def bm25_idf(document_frequency: int, documents: int) -> float:
    """BM25's inverse document frequency, never negative."""
    return math.log(1.0 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def idf_weights(stems: Iterable[str], frequencies: dict[str, int], documents: int) -> dict[str, float]:
    """IDF per stem; a stem the index has never seen counts as the rarest."""
    return {s: bm25_idf(frequencies.get(s, 0), max(documents, 1)) for s in stems}
