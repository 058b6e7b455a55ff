"""Sentence splitting with character offsets, shared by chunking and the extractive answerer."""

from __future__ import annotations

import re

from qa.types import Sentence

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of `text[start:end]` as offsets into `text`.

    Line breaks are hard boundaries (headings, list items and paragraphs end there); inside
    a line, blingfire's sentence model decides. Offsets never include surrounding white space.
    """
    import blingfire

    end = len(text) if end is None else end
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text, start, end):
        line_text = line.group()
        if not line_text.strip():
            continue
        _, offsets = blingfire.text_to_sentences_and_offsets(line_text)
        for s, e in offsets:
            s, e = _strip_span(line_text, s, e)
            if e > s:
                sentences.append(Sentence(line.start() + s, line.start() + e))
    return sentences


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def count_words(text: str) -> int:
    """Number of white-space separated words."""
    return len(_WORD.findall(text))


def paragraph_starts(text: str) -> set[int]:
    """Offsets where a paragraph (a line after a line break) begins."""
    starts = {0}
    for match in re.finditer(r"\n+", text):
        starts.add(match.end())
    return starts


HEADING_MAX_WORDS = 12
_FINAL_PUNCTUATION = tuple(".!?:;…\"'”’)]")


def is_heading(text: str, start: int, end: int) -> bool:
    """True when `text[start:end]` is a heading: a whole line of at most 12 words that
    ends without final punctuation ("Lukashenko led the negotiating group"). Headings stay
    in the article and in passages, but are never quoted as an answer."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False
    sentence = text[start:end].rstrip()
    return (
        bool(sentence)
        and not sentence.endswith(_FINAL_PUNCTUATION)
        and count_words(sentence) <= HEADING_MAX_WORDS
    )
