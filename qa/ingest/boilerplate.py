"""Boilerplate posing as articles: a short text that several articles of different titles
share word for word. A scraper that misses the story keeps what the page has instead (an
ad-feedback form, a cookie notice, a paywall stub), so ten "articles" titled "Ford
recall", "Sprite green bottle", ... hold the same 35 words. They are not news: answering
from them, or showing them as the closest passages, misleads. `Index.add` skips them
with the reason, and removes copies indexed earlier once the text is seen often enough.

Syndicated copies of a story are not caught: they are long, or share their title.
"""

from __future__ import annotations

import re
from collections import defaultdict

MAX_WORDS = 120  # longer texts are taken as written for their article
MAX_CHARS = 2_000  # no text of MAX_WORDS words or fewer is longer (the docstore's shortlist)
MIN_TITLES = 3  # the same text under this many different titles is boilerplate

_WORD = re.compile(r"\w+")


def text_key(text: str) -> str | None:
    """The text's words, case-folded, when it is short enough to be boilerplate."""
    if len(text) > 8 * MAX_CHARS:
        return None
    words = _WORD.findall(text.casefold())
    if not words or len(words) > MAX_WORDS:
        return None
    return " ".join(words)


def _title_key(title: str) -> str:
    return " ".join(_WORD.findall(title.casefold()))


class Boilerplate:
    """Short texts seen so far (stored and in this run), grouped by their words."""

    def __init__(self) -> None:
        self._ids: dict[str, set[str]] = defaultdict(set)  # text key -> article ids
        self._title_of: dict[str, str] = {}  # article id -> title key
        self._key_of: dict[str, str] = {}
        self._paths: dict[str, str] = {}

    def add(self, article_id: str, title: str, text: str, path: str | None = None) -> None:
        """Note an article (again: a changed article leaves its old group), and where it
        came from when it is stored."""
        if path:
            self._paths[article_id] = path
        old = self._key_of.pop(article_id, None)
        if old is not None:
            self._ids[old].discard(article_id)
        key = text_key(text)
        if key is not None:
            self._key_of[article_id] = key
            self._ids[key].add(article_id)
            self._title_of[article_id] = _title_key(title)

    def path(self, article_id: str) -> str:
        return self._paths.get(article_id, article_id)

    def reason(self, article_id: str) -> str | None:
        """Why the article is boilerplate, or None when it is not."""
        key = self._key_of.get(article_id)
        if key is None or not self._is_boilerplate(key):
            return None
        others = len(self._ids[key]) - 1
        return (
            f"boilerplate, not an article: its text ({len(key.split())} words) is word for word "
            f"that of {others} other article{'s' if others != 1 else ''} under other titles"
        )

    def junk(self) -> set[str]:
        """Every article id found to be boilerplate."""
        return {i for key, ids in self._ids.items() if self._is_boilerplate(key) for i in ids}

    def _is_boilerplate(self, key: str) -> bool:
        return len({self._title_of[i] for i in self._ids[key]}) >= MIN_TITLES
