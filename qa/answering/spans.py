"""Span decoding for the reader: pure numpy functions over one window's logits.

As in Hugging Face's question-answering pipeline: every (start, end) pair of allowed
tokens with start <= end < start + max_tokens is scored start_logit + end_logit; pairs that
cross a segment boundary (a sentence the span was not in) are excluded; offsets map the
tokens back to characters of the text the window was cut from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NEG = -1e9


@dataclass(frozen=True)
class TokenSpan:
    """A span of tokens `[start, end]` (inclusive) and its score."""

    score: float
    start: int
    end: int
    fallback: bool = False  # the best of a sentence, not among the window's best (`top_spans`)


def log_softmax(logits: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """log p over the `allowed` positions of a 1-d array; -inf-like elsewhere."""
    masked = np.where(allowed, logits.astype(np.float64), -np.inf)
    top = masked.max()
    if not np.isfinite(top):
        return np.full(len(logits), NEG)
    result = masked - (top + np.log(np.exp(masked - top).sum()))
    return np.where(allowed, result, NEG)


def top_spans(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    allowed: np.ndarray,
    max_tokens: int = 30,
    segments: np.ndarray | None = None,
    n: int = 5,
    each_segment: bool = False,
) -> list[TokenSpan]:
    """The `n` best spans of one window, best first; with `each_segment`, then the best span
    of every other sentence (`fallback`): where the best are all ruled out ("Bekele's time"
    for Chebet's time), another sentence's answer is still there to take.

    `allowed[i]` says token i may start or end an answer (a passage token, not the
    question, a separator or padding). `segments[i]` is the sentence token i belongs to;
    a span must start and end in the same one.
    """
    positions = np.flatnonzero(allowed)
    if len(positions) == 0:
        return []
    starts = start_logits[positions].astype(np.float64)
    ends = end_logits[positions].astype(np.float64)
    scores = starts[:, None] + ends[None, :]
    gap = positions[None, :] - positions[:, None]
    valid = (gap >= 0) & (gap < max_tokens)
    if segments is not None:
        seg = segments[positions]
        valid &= seg[:, None] == seg[None, :]
    scores = np.where(valid, scores, -np.inf)
    flat = [int(index) for index in np.argsort(-scores, axis=None, kind="stable")[:n]]
    extra = []
    if each_segment and segments is not None:
        best = np.argmax(scores, axis=1)  # each start's best end: its sentence's, if any
        rows = scores[np.arange(len(positions)), best]
        for segment in np.unique(seg):
            inside = np.flatnonzero(seg == segment)
            i = int(inside[np.argmax(rows[inside])])
            index = i * len(positions) + int(best[i])
            if index not in flat:
                extra.append(index)
        extra.sort(key=lambda index: -scores.flat[index])
    result = []
    for k, index in enumerate(flat + extra):
        i, j = divmod(index, len(positions))
        if np.isfinite(scores[i, j]):
            result.append(
                TokenSpan(float(scores[i, j]), int(positions[i]), int(positions[j]), k >= len(flat))
            )
    return result


def char_span(offsets: Sequence[tuple[int, int]] | np.ndarray, span: TokenSpan) -> tuple[int, int]:
    """Character offsets `[start, end)` of a token span, from the tokenizer's offsets."""
    return int(offsets[span.start][0]), int(offsets[span.end][1])


def token_segments(offsets: np.ndarray, allowed: np.ndarray, bounds: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each token, the index of the `bounds` (character ranges) holding it, else -1.

    Tokens outside every range (white space between sentences never has tokens, but a
    heading that may not be cited does) get -1 and are also removed from `allowed` by
    the caller.
    """
    segments = np.full(len(offsets), -1, dtype=np.int64)
    for k, (start, end) in enumerate(bounds):
        inside = allowed & (offsets[:, 0] >= start) & (offsets[:, 1] <= end)
        segments[inside] = k
    return segments
