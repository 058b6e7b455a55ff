"""The reader's windows: what serving cuts from a long passage is pinned (token ids, offsets,
which tokens may start or end an answer, their sentences), and training cuts the same ones."""

from __future__ import annotations

import hashlib
import itertools
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from qa.answering.reader import DEFAULT_READER, PassageInput, Reader

ROOT = Path(__file__).resolve().parent.parent

HEADING = "Harbour news\n\n"
BODY = " ".join(
    f"On day {i} the Øresund bridge carried {i * 37:,} cars, according to Müller's count ({i % 7} lanes open)."
    for i in range(1, 61)
)
LONG = HEADING + BODY
SHORT = "The council approved a budget of 310 million euros on Friday."
QUESTION = "How many cars did the bridge carry on day 12?"
LONG_QUESTION = " ".join(["why"] * 80) + " bridge?"


def passages() -> list[PassageInput]:
    """A long passage (a heading that may not be cited, then 60 sentences) and a short one."""
    body = tuple(
        (len(HEADING) + m.start(), len(HEADING) + m.end()) for m in re.finditer(r"[^ .][^.]*\.", BODY)
    )
    return [PassageInput(LONG, body), PassageInput(SHORT, ((0, len(SHORT)),))]


def digest(windows: Sequence[Any]) -> str:
    h = hashlib.sha256()
    for w in windows:
        h.update(str(w.passage).encode())
        for a in (w.ids, w.types, w.offsets, w.segments):
            h.update(np.asarray(a, dtype=np.int64).tobytes())
        h.update(np.asarray(w.allowed, dtype=bool).tobytes())
    return h.hexdigest()


def test_serving_windows_are_unchanged() -> None:
    reader = Reader(DEFAULT_READER)
    windows = reader.windows(QUESTION, passages())
    assert [w.passage for w in windows] == [0] * 8 + [1]
    assert [len(w.ids) for w in windows] == [320] * 7 + [308, 26]
    assert digest(windows) == "36c5a86ed7fd7ad88d8556470463d5907f3e8db6f13bbb46e416651fba53c0e1"
    long_question = reader.windows(LONG_QUESTION, passages())
    assert [len(w.ids) for w in long_question] == [320] * 11 + [232, 79]
    assert digest(long_question) == "4eff0f6948502246afe4c6ec591cacc5aabdbe2423e961b40040d8279a21521b"


def test_windows_overlap_by_the_stride_and_never_answer_from_the_heading() -> None:
    reader = Reader(DEFAULT_READER)
    windows = [w for w in reader.windows(QUESTION, passages()) if w.passage == 0]
    stride = reader.config.stride
    for before, after in itertools.pairwise(windows):
        head = int(np.flatnonzero(before.types)[0])
        assert before.ids[0] == reader.cls_id and before.ids[head - 1] == reader.sep_id
        tail = before.ids[-1 - stride : -1]
        assert np.array_equal(tail, after.ids[head : head + stride])
    first = windows[0]
    heading_tokens = (first.offsets[:, 1] <= len(HEADING)) & (first.types == 1)
    assert heading_tokens[:-1].any() and not (first.allowed & heading_tokens).any()
    starts = first.offsets[first.allowed, 0]
    assert LONG[starts[0] :].startswith("On day 1 ")


def test_training_cuts_the_windows_serving_cuts() -> None:
    """Stage 1's featurization windows a question and its paragraph exactly as the serving
    reader windows that paragraph (all of it citable), and its targets point at the answer."""
    sys.path[:0] = [str(ROOT / "train")]
    import features
    import squad

    answer = f"{12 * 37:,} cars"
    example = squad.Example(QUESTION, LONG, [answer], LONG.index(answer), "gold")
    got = features.featurize(features.encoder_tokenizer(), [example])
    serving = Reader(DEFAULT_READER).windows(QUESTION, [PassageInput(LONG, ((0, len(LONG)),))])
    assert len(got["ids"]) == len(serving) > 1
    for ids, types, window in zip(got["ids"], got["types"], serving, strict=True):
        assert np.array_equal(ids, window.ids) and np.array_equal(types, window.types)
    targets = [(k, s, e) for k, (s, e) in enumerate(zip(got["start"], got["end"], strict=True)) if s]
    assert targets and got["has"] == [int(s > 0) for s in got["start"]]
    for k, s, e in targets:
        offsets = serving[k].offsets
        assert LONG[offsets[s][0] : offsets[e][1]] == answer


def test_each_passage_may_be_read_for_a_question_of_its_own() -> None:
    """`asked` gives each passage its question: the windows of each are those of its own
    question, at its own place, in the passages' order (though the passages of one question
    are cut together: the first and the third here)."""
    reader = Reader(DEFAULT_READER)
    other = "How much did the council approve?"
    long, short = passages()
    mixed = reader.windows(QUESTION, [short, long, short], [other, QUESTION, other])
    assert [w.passage for w in mixed] == [0] + [1] * 8 + [2]
    alone_short = [list(w.ids) for w in reader.windows(other, [short])]
    assert [list(w.ids) for w in mixed if w.passage in (0, 2)] == alone_short * 2
    assert digest([replace(w, passage=0) for w in mixed if w.passage == 1]) == digest(
        reader.windows(QUESTION, [long])
    )
