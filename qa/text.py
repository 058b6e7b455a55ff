"""Text helpers shared by the answerers and the evaluation: SQuAD's answer normalisation."""

from __future__ import annotations

import re
import string
import unicodedata

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation) | set("“”‘’")
_WORD_SEPARATORS = str.maketrans(dict.fromkeys("–—…", " "))  # dashes and ellipses part words


_HOST = re.compile(r"^[a-z]+://(?:www\.)?([^/:?#]+)", re.IGNORECASE)


def url_host(url: str | None) -> str | None:
    """The web site of a URL without "www." ("https://www.cnn.com/x" -> "cnn.com")."""
    found = _HOST.match(url or "")
    return found.group(1) if found else None


def fold(text: str) -> str:
    """Case-folded without accents, for matching names: "Stürmer" is found as "sturmer"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, no punctuation, no a/an/the, single spaces."""
    text = "".join(ch for ch in text.lower().translate(_WORD_SEPARATORS) if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())
