"""Which language a question is in, offline (py3langid's bundled model). The embedding model
and the reader are English-only: a question in another language gets told so instead of a
false "the articles don't say"."""

from __future__ import annotations

import functools
import re
from typing import Any

from qa.store.keyword import STOPWORDS

NAMES = {
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish", "cs": "Czech",
    "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "ar": "Arabic", "he": "Hebrew", "fa": "Persian",
    "hi": "Hindi", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "el": "Greek", "hu": "Hungarian",
    "ro": "Romanian", "id": "Indonesian", "vi": "Vietnamese", "th": "Thai", "bg": "Bulgarian", "sr": "Serbian",
}  # fmt: skip
CONFIDENCE = 0.8  # English keyword queries score below 0.5; short German or Dutch ones above 0.8
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH_ONLY = set(STOPWORDS) | {"who", "what", "when", "where", "why", "how", "which"}


def detect_language(question: str) -> str:
    """An ISO 639-1 code; "en" unless another language is clear. English function words,
    or too few words to tell, count as English (a name alone is not German)."""
    words = [w.lower() for w in _WORD.findall(question)]
    if not words:
        return "en"
    latin = all(ord(ch) < 0x250 for word in words for ch in word)
    if sum(w in _ENGLISH_ONLY for w in words) >= 2 or (latin and len(words) < 3):
        return "en"  # "What did Зеленский say?" is English with a name in it
    code, confidence = _classify(question)
    return code if code != "en" and (confidence >= CONFIDENCE or not latin) else "en"


def language_name(code: str) -> str:
    return NAMES.get(code, code)


def _classify(text: str) -> tuple[str, float]:
    code, probability = _identifier().classify(text)
    return str(code), float(probability)


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True, langs=["en", *NAMES])
