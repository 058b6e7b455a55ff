"""Plausible-but-unanswerable questions made from SQuAD v1.1 (no SQuAD 2.0 copy can be had here).

Two generators, each returning None where it cannot make a sure negative:
- `without_answer`: the passages a question retrieved, minus every sentence that holds its
  answer (same topic, same names, no answer): the "the article never says" case.
- `swapped`: the question with one of its numbers, years or names replaced by another of
  the same kind that none of the passages mentions ("in 1952" -> "in 1962", "Beyoncé" ->
  "Kelly Rowland"): a question about something the passages do not cover.
Negation and antonym edits ("did not", "largest" -> "smallest") are not generated: without a
parser too many of them stay answerable (the passage states both), so they would teach noise.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.eval.metrics import contains_answer

_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,]\d)")
# a run of capitalised words after a lower-case word (a name, not a sentence's first word)
_NAME = re.compile(r"(?<=[a-z,;] )((?:[A-Z][\w'’-]+)(?: (?:of |de |the )?[A-Z][\w'’-]+){0,3})")
_NUMBER_WORDS = {"One", "Two", "Three", "The", "A", "An", "In", "On", "At", "Of", "For", "And"}


@dataclass(frozen=True)
class Passage:
    """A passage as the reader reads it: text and its citable sentence ranges."""

    text: str
    segments: tuple[tuple[int, int], ...]


def without_answer(passages: Sequence[Passage], answers: Sequence[str]) -> list[Passage] | None:
    """Each passage with the sentences holding an answer cut out; None when an answer is
    still there afterwards (it spanned two sentences) or no passage held one."""
    result, removed = [], 0
    for passage in passages:
        keep = [(s, e) for s, e in passage.segments if not contains_answer(passage.text[s:e], answers)]
        removed += len(passage.segments) - len(keep)
        if len(keep) == len(passage.segments):
            result.append(passage)
            continue
        pieces, segments, length = [], [], 0
        for s, e in keep:  # the kept sentences, one space apart
            start = length + (1 if pieces else 0)
            pieces.append(passage.text[s:e])
            segments.append((start, start + e - s))
            length = start + e - s
        text = " ".join(pieces)
        if not segments:
            return None
        result.append(Passage(text, tuple(segments)))
    if not removed or any(contains_answer(p.text, answers) for p in result):
        return None
    return result


def _mentioned(token: str, texts: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(token.lower()) + r"(?!\w)", texts) is not None


def swapped(question: str, passages: Sequence[Passage], article: str, rng: random.Random) -> str | None:
    """`question` with a year, number or name replaced by one the passages never mention:
    another of the article's where it has one, else a nearby year or number."""
    texts = "\n".join(p.text for p in passages).lower()
    kinds = [("year", m) for m in _YEAR.finditer(question)]
    kinds += [("number", m) for m in _NUMBER.finditer(question) if not _YEAR.fullmatch(m.group())]
    kinds += [("name", m) for m in _NAME.finditer(question) if m.group() not in _NUMBER_WORDS]
    kinds = [(kind, m) for kind, m in kinds if _mentioned(m.group(), texts)]
    if not kinds:
        return None
    kind, match = rng.choice(kinds)
    old = match.group()
    if kind == "year":
        pool = {y for y in _YEAR.findall(article) if y != old}
        pool |= {str(int(old) + d) for d in (-10, -3, -2, -1, 1, 2, 3, 10)}
    elif kind == "number":
        value = float(old.replace(",", ""))
        pool = {_format_like(old, value * f) for f in (0.5, 2, 3, 1.5)} | {_format_like(old, value + 7)}
    else:
        # names of the article said at least twice, of as many words as the old one: a rough
        # "same kind" (a one-word place for a one-word place, a full name for a full name)
        seen: dict[str, int] = {}
        for m in _NAME.finditer(article):
            seen[m.group()] = seen.get(m.group(), 0) + 1
        pool = {
            p
            for p, n in seen.items()
            if n >= 2
            and p != old
            and p.count(" ") == old.count(" ")
            and p not in _NUMBER_WORDS
            and p.lower() not in question.lower()
        }
    choices = sorted(p for p in pool if not _mentioned(p, texts))
    if not choices:
        return None
    return question[: match.start()] + rng.choice(choices) + question[match.end() :]


def _format_like(old: str, value: float) -> str:
    if "." in old:
        return f"{value:.{len(old.split('.')[1])}f}"
    number = round(value)
    return f"{number:,}" if "," in old else str(number)
