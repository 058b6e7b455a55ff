"""The same story, many times: syndicated copies of a news story (one wire text run by
several outlets, each with a small edit, another trailer or headline) are near-duplicates.
Each article gets a MinHash signature of its word shingles (Broder 1997); locality-sensitive
hashing of the signature's bands finds the earlier articles that may be copies, and the
estimated Jaccard similarity of their shingles decides. Copies share a story id, so that
retrieval reads one passage per story and says who else reported it. Nothing is deleted.

The signature and its band keys are computed here; the docstore stores them and looks
the bands up (`Docstore.story_candidates`).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from functools import lru_cache

import numpy as np

SHINGLE_WORDS = 4  # words per shingle
PERMUTATIONS = 128  # MinHash values per signature
BAND_ROWS = 4  # values per LSH band: 32 bands find pairs of Jaccard 0.6 with p = 0.99
SAME_STORY = 0.6  # estimated shingle Jaccard from which two articles are one story
MIN_SHINGLES = 12  # a text shorter than this has too few shingles to be matched

_WORD = re.compile(r"\w+")
_PRIME = 4_294_967_291  # the largest prime below 2**32: a * x + b stays below 2**64
_rng = np.random.default_rng(20230623)  # fixed: signatures must agree across runs and machines
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)


def shingles(text: str) -> np.ndarray:
    """The text's distinct word shingles (case-folded), as 32-bit hashes."""
    grams = {" ".join(gram) for gram in word_shingles(text)}
    return np.array(
        sorted(int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams),
        dtype=np.uint64,
    )


def signature(text: str) -> np.ndarray | None:
    """The text's MinHash signature (`PERMUTATIONS` uint32), None when too short to match."""
    hashed = shingles(text)
    if len(hashed) < MIN_SHINGLES:
        return None
    best = np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    for start in range(0, len(hashed), 4096):  # bounded memory for a very long article
        block = hashed[None, start : start + 4096]
        values = (_A[:, None] * block + _B[:, None]) % np.uint64(_PRIME)  # universal hashing
        best = np.minimum(best, values.min(axis=1))
    return best.astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One key per band of `BAND_ROWS` values (a signed 63-bit integer, for SQLite)."""
    keys = []
    for band, start in enumerate(range(0, PERMUTATIONS, BAND_ROWS)):
        digest = hashlib.blake2b(sig[start : start + BAND_ROWS].tobytes(), digest_size=8, salt=bytes([band]))
        keys.append(int.from_bytes(digest.digest(), "little") >> 1)
    return keys


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+")  # numbers whole ("1,304"), as _NUMBER cuts them


def states_other_facts(passage: str, original: str, outlet: str | None = None) -> bool:
    """Whether a copy's passage states a number, or a name, that the story's other copy
    (`original`, its whole text) never does, or never beside the words it stands beside
    here: a wrong figure in one outlet's copy ("450 trucks" where the other copy has "300
    trucks" and "450 cars"), where the sources differ. A number or name is told the same
    when the other copy has it after the same word or before the same one (a dateline put
    before a sentence changes one side only). The copy's own outlet name is no fact, nor
    what stands beside it (its dateline, its "Source: ..." trailer)."""
    own = {word.casefold() for word in _WORD.findall(outlet or "")}
    told = _neighbours(original)
    tokens = _TOKEN.findall(passage)
    for i, token in enumerate(tokens):
        is_fact = _NUMBER.fullmatch(token) is not None or (token[:1].isupper() and not token[:1].isdigit())
        if not is_fact or token.casefold() in own:
            continue
        before = tokens[i - 1].casefold() if i else ""
        after = tokens[i + 1].casefold() if i + 1 < len(tokens) else ""
        key = token.casefold()
        if before in own or after in own:
            continue  # beside the copy's dateline or trailer ("Source: Reuters")
        if (before, key) not in told and (key, after) not in told:
            return True
    return False


@lru_cache(maxsize=64)  # a story's copies are compared with the same few article texts
def _neighbours(text: str) -> frozenset[tuple[str, str]]:
    """The text's pairs of neighbouring tokens (case-folded), and each first and last token
    beside "" (the edge of a passage cut from the copy)."""
    tokens = [""] + [token.casefold() for token in _TOKEN.findall(text)] + [""]
    return frozenset(itertools.pairwise(tokens))


def word_shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The text's distinct word shingles (case-folded), as words: for comparing passages."""
    words = _WORD.findall(text.casefold())
    return frozenset(zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))


def repeats_passage(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Whether one passage repeats most of the other, given their `word_shingles`: at least
    `SAME_STORY` of the shorter one's are the other's too (a paragraph copied into another
    article, the two cut at other places)."""
    shorter = min(len(a), len(b))
    return shorter >= MIN_SHINGLES and len(a & b) >= SAME_STORY * shorter


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures' shingle sets."""
    return float(np.mean(a == b))
