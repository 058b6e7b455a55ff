"""Sentence splitting with character offsets, shared by chunking and the extractive answerer."""

from __future__ import annotations

import re
from collections.abc import Sequence

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


# a quotation's words at most: a longer one is cited sentence by sentence
QUOTATION_WORDS = 80
# "...," said Isabel Marchetti. / "...," she said. / "...," Olsen said, adding ...
# a quotation's closing mark after its last word's punctuation ('..., " she said')
_CLOSED = r"[,?!…—-]\s*[\"”]\s+"
_ATTRIBUTION = re.compile(
    rf"{_CLOSED}(?:(?:said|says|added|adds|told|asked|wrote)\b|[\w.'’ -]{{1,60}}?\s+(?:said|says|added|adds|told|asked|wrote)\b)"
)


# speech reported ("Astrid Mellum said the crews ...") and a quotation said by "he" or "she"
_REPORTED = re.compile(r"\b(?:said|says|told|added)\b")
_BY_PRONOUN = re.compile(
    rf"{_CLOSED}(?:he|she)\s+(?:said|says|added)\b|[\"”]\s*,?\s+(?:said|says|added)\s+(?:he|she)\b"
)


def _one_speaker_reported(sentence: str) -> bool:
    """Whether `sentence` reports what one named person said ("Its regional leader, Astrid
    Mellum, said the crews had worked ..."): a name before "said", none after it (never
    "Alan Smith said the plan was sound, but Peter Jones disagreed"), and not a quotation
    itself. "Officials said ..." names no one "he" may be."""
    said = _REPORTED.search(sentence)
    if said is None or sentence[:1] in '"“':
        return False
    before, after = sentence[: said.start()], sentence[said.end() :]
    named = re.search(r"\b[A-Z][\w'’-]+\s+[A-Z][\w'’-]+", before) is not None
    return named and re.search(r"\b[A-Z][a-z]", after) is None


def _quote_marks(text: str, start: int, end: int) -> list[tuple[int, bool]]:
    """The double quotation marks of `text[start:end]` that open or close a quotation, as
    (offset, opens): a straight mark opens before a word and closes after one; a mark
    that neither opens nor closes where it stands (an inch mark: 58.23" latitude) is none;
    inside a quotation a mark after a figure closes it ('"Prime 2" internally')."""
    marks: list[tuple[int, bool]] = []
    open_ = False
    for i in range(start, end):
        c = text[i]
        if c not in '"“”':
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if c == "“" or (
            c == '"' and not open_ and not after.isspace() and (before.isspace() or before in "([—-–")
        ):
            if not open_:
                marks.append((i, True))
                open_ = True
        elif open_ and not before.isspace():
            marks.append((i, False))
            open_ = False
    return marks


def whole_quotation(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence `text[start:end]` widened to the quotation it is part of, within its
    paragraph: a quotation of several sentences is one thing said ('"We told them this
    wall was weeping water. Nobody came," he said.'), and the quotations that go on after
    its attribution without one of their own are the same speaker's ('"... in the cold,"
    said Isabel Marchetti. "But we cannot keep teaching 35 children ..."'); a quotation
    alone goes back to the attributed one before it. The sentence as it is where it is no
    part of a quotation, or the whole is over `QUOTATION_WORDS`."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    sentences = split_sentences(text, line_start, line_end)
    if len(sentences) < 2:
        return start, end
    units = _said_units(text, sentences, _quote_marks(text, line_start, line_end))
    said = [text[sentences[a].start : sentences[b].end] for a, b in units]
    attributed = [_ATTRIBUTION.search(t) is not None for t in said]
    alone = [
        t[:1] in '"“' and t.rstrip()[-1:] in '"”' and not a for t, a in zip(said, attributed, strict=True)
    ]
    first = next((u for u, (a, b) in enumerate(units) if sentences[b].end > start), len(units) - 1)
    last = max(u for u, (a, b) in enumerate(units) if sentences[a].start < end or u == first)
    if alone[first] and not attributed[last]:
        back = first
        while back > 0 and alone[back - 1]:
            back -= 1
        if back > 0 and attributed[back - 1]:  # the speaker named just before
            first = back - 1
    if attributed[last] or (alone[last] and first < last):
        while last < len(units) - 1 and alone[last + 1]:  # the same speaker goes on
            last += 1
    elif (
        last < len(units) - 1
        and _one_speaker_reported(said[last])
        and _BY_PRONOUN.search(said[last + 1])
        and said[last + 1][:1] in '"“'
    ):
        # what someone said, then in their words ("Astrid Mellum said the crews had worked
        # fourteen-hour shifts. "Tired crews make mistakes," she said.")
        last += 1
    widened = (min(start, sentences[units[first][0]].start), max(end, sentences[units[last][1]].end))
    if widened != (start, end) and count_words(text[widened[0] : widened[1]]) > QUOTATION_WORDS:
        return start, end
    return widened


def _said_units(
    text: str, sentences: Sequence[Sentence], marks: Sequence[tuple[int, bool]]
) -> list[tuple[int, int]]:
    """The sentences of a paragraph grouped into what was said at once, as (first, last)
    indexes: the sentences of a quotation still open at a sentence's end, and a sentence
    that goes on the one before in lower case ('"Why pay? We did nothing wrong!" | she
    said.')."""

    def inside(offset: int) -> bool:  # within an open quotation at `offset`
        before = [opens for at, opens in marks if at < offset]
        return bool(before) and before[-1]

    units: list[tuple[int, int]] = []
    n = 0
    while n < len(sentences):
        m = n
        while m < len(sentences) - 1 and (
            inside(sentences[m].end) or text[sentences[m + 1].start : sentences[m + 1].start + 1].islower()
        ):
            m += 1
        units.append((n, m))
        n = m + 1
    return units
