"""The reader's windows: a question and its passages cut into model inputs.

Each window is `[CLS] question [SEP] piece of one passage [SEP]`, at most `max_length` tokens;
a long passage is cut into pieces that share `stride` tokens with the piece before. Only
passage tokens inside one of the passage's segments (its citable sentences) may start or end
an answer. Serving (`qa.answering.reader`) and training (`train/features.py` for stage 1,
`train/groups.py` for stage 2) call this one function, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.answering.spans import token_segments

WEIGHTS = "model.safetensors"  # the weights file of a reader folder, and of its judge's

MAX_QUESTION_TOKENS = 64  # a longer question is cut here, so every window keeps room for passage


@dataclass(frozen=True)
class PassageInput:
    """A passage to read: its text and the character ranges an answer may come from
    (its sentences, headings left out); a span never crosses two ranges."""

    text: str
    segments: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Window:
    """One model input: token ids and types, and per token its character offsets into the
    passage text ((0, 0) for question and special tokens), whether it may start or end an
    answer, and the passage segment holding it (-1 for none)."""

    passage: int
    ids: np.ndarray
    types: np.ndarray
    offsets: np.ndarray
    allowed: np.ndarray
    segments: np.ndarray


def load_tokenizer(path: Path) -> Any:
    """The `tokenizers` tokenizer in a `tokenizer.json`, with its own truncation and padding
    turned off: `cut_windows` decides where windows end."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def cut_windows(
    tokenizer: Any, question: str, passages: Sequence[PassageInput], max_length: int, stride: int
) -> list[Window]:
    """The windows of `question` over every passage, passage by passage, in order.

    `tokenizer` is one from `load_tokenizer` (a BERT word-piece vocabulary with [CLS] and
    [SEP]); the question is cut to `MAX_QUESTION_TOKENS` tokens."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    q_ids = tokenizer.encode(question, add_special_tokens=False).ids[:MAX_QUESTION_TOKENS]
    budget = max_length - len(q_ids) - 3
    step = max(budget - stride, 1)
    encodings = tokenizer.encode_batch([p.text for p in passages], add_special_tokens=False)
    head = [cls_id, *q_ids, sep_id]
    windows = []
    for index, (passage, encoding) in enumerate(zip(passages, encodings, strict=True)):
        p_ids = np.asarray(encoding.ids, dtype=np.int64)
        p_offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        first = 0
        while True:
            piece = slice(first, min(first + budget, len(p_ids)))
            n = piece.stop - piece.start
            ids = np.concatenate([head, p_ids[piece], [sep_id]]).astype(np.int64)
            types = np.concatenate([np.zeros(len(head)), np.ones(n + 1)]).astype(np.int64)
            offsets = np.zeros((len(ids), 2), dtype=np.int64)
            offsets[len(head) : len(head) + n] = p_offsets[piece]
            allowed = np.zeros(len(ids), dtype=bool)
            allowed[len(head) : len(head) + n] = True
            segments = token_segments(offsets, allowed, passage.segments)
            allowed &= segments >= 0
            windows.append(Window(index, ids, types, offsets, allowed, segments))
            if piece.stop >= len(p_ids):
                break
            first += step
    return windows


def padded(rows: Sequence[tuple[Any, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, token types and the attention mask of (ids, types) rows (sequences or
    arrays of ints), zero-padded to
    the longest row: one batch for the reader's or the judge's graph."""
    width = max(len(row_ids) for row_ids, _ in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for k, (row_ids, row_types) in enumerate(rows):
        ids[k, : len(row_ids)] = row_ids
        types[k, : len(row_ids)] = row_types
        mask[k, : len(row_ids)] = 1
    return ids, types, mask
