"""Stage 2's groups: a question read with the passages the product retrieves for it, cut
into windows by the reader's own windowing; the answer's occurrences as targets, or none for
the answer-removed and swapped-question negatives (`negatives.py`). Written as one npz, read
back in padded batches with flat targets for the shared softmax.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import negatives
import numpy as np

from qa.answering.reader_answerer import passage_inputs
from qa.answering.windows import PassageInput

GROUPS_PER_BATCH = 8  # about 24 windows
# what `prepare` makes, each an option (a later stage asks other questions, with more negatives)
PASSAGES = 3  # passages per question: of the product's top five, the first three (speed)
REMOVED_SHARE = 0.4  # answerable questions also made into an answer-removed group
SWAPPED_SHARE = 0.2  # ... and into a swapped-question group


class GroupWriter:
    """Windows and targets of groups, appended as they are made, saved as one npz."""

    def __init__(self) -> None:
        self.ids: list[np.ndarray] = []
        self.types: list[np.ndarray] = []
        self.allowed: list[np.ndarray] = []
        self.group_first: list[int] = []
        self.group_size: list[int] = []
        self.group_kind: list[int] = []  # 0 answerable, 1 answer removed, 2 swapped question
        self.targets: list[tuple[int, int, int]] = []  # (window, start token, end token)
        self.meta: list[dict[str, Any]] = []

    def add(
        self, windows: Sequence[Any], targets: Sequence[tuple[int, int, int]], kind: int, meta: dict[str, Any]
    ) -> None:
        first = len(self.ids)
        for w in windows:
            self.ids.append(w.ids.astype(np.uint16))  # a BERT vocabulary fits; half the bytes to carry
            self.types.append(w.types.astype(np.int8))
            self.allowed.append(w.allowed.astype(np.int8))
        self.group_first.append(first)
        self.group_size.append(len(windows))
        self.group_kind.append(kind)
        self.targets += [(first + w, s, e) for w, s, e in targets]
        self.meta.append(meta)

    def save(self, path: Path) -> None:
        targets = np.array(self.targets, dtype=np.int32).reshape(-1, 3)
        np.savez(
            path,
            ids=np.concatenate(self.ids),
            types=np.concatenate(self.types),
            allowed=np.concatenate(self.allowed),
            lengths=np.array([len(x) for x in self.ids], dtype=np.int32),
            group_first=np.array(self.group_first, dtype=np.int32),
            group_size=np.array(self.group_size, dtype=np.int32),
            group_kind=np.array(self.group_kind, dtype=np.int8),
            target_window=targets[:, 0],
            target_start=targets[:, 1],
            target_end=targets[:, 2],
        )
        path.with_suffix(".json").write_text(json.dumps(self.meta), encoding="utf-8")


def answer_targets(
    windows: Sequence[Any], passages: Sequence[Any], answer: str
) -> list[tuple[int, int, int]]:
    """(window, start token, end token) of every occurrence of `answer` that lies inside one
    citable sentence of a window."""
    found = []
    for k, window in enumerate(windows):
        text = passages[window.passage].text
        at = text.find(answer)
        while at >= 0 and answer:
            a_end = at + len(answer)
            inside = np.flatnonzero(
                window.allowed & (window.offsets[:, 1] > at) & (window.offsets[:, 0] < a_end)
            )
            if (
                len(inside)
                and window.segments[inside[0]] == window.segments[inside[-1]]
                and window.offsets[inside[0]][0] >= at - 1
                and window.offsets[inside[-1]][1] <= a_end + 1
            ):
                found.append((k, int(inside[0]), int(inside[-1])))
            at = text.find(answer, at + 1)
    return found


def make_groups(
    index: Any,
    cutter: Any,
    questions: list[dict[str, Any]],
    articles: dict[str, str],
    rng: random.Random,
    out: GroupWriter,
    passages_per_question: int = PASSAGES,
    removed_share: float = REMOVED_SHARE,
    swapped_share: float = SWAPPED_SHARE,
) -> dict[str, int]:
    from tqdm import tqdm

    counts = {"asked": 0, "answerable": 0, "paraphrased": 0, "removed": 0, "swapped": 0, "missed": 0}
    for item in tqdm(questions, desc="groups", mininterval=10):
        counts["asked"] += 1
        # a paraphrased question (`paraphrase.py`) is asked, retrieved and read in its own words
        original, answers = item["question"], item["answers"]
        question = item.get("asked") or original
        passages = index.retrieve(question, k=6).passages[:passages_per_question]
        inputs = passage_inputs(passages)
        windows = cutter(question, inputs)
        targets = answer_targets(windows, inputs, answers[0])
        if not targets:
            counts["missed"] += 1  # retrieval missed it: nothing to learn the span from
            continue
        # the question read, and the one SQuAD asked where it was put in other words
        meta = {"q": question, "answers": answers, **({"original": original} if question != original else {})}
        out.add(windows, targets, 0, meta)
        counts["answerable"] += 1
        counts["paraphrased"] += question != original
        plain = [negatives.Passage(p.text, p.segments) for p in inputs]
        if rng.random() < removed_share:
            cut = negatives.without_answer(plain, answers)
            if cut is not None:
                windows = cutter(question, [PassageInput(p.text, p.segments) for p in cut])
                out.add(windows, [], 1, meta)
                counts["removed"] += 1
        if rng.random() < swapped_share:
            edited = negatives.swapped(original, plain, articles[item["article"]], rng)
            if edited is not None:
                out.add(
                    cutter(edited, inputs), [], 2, {"q": edited, "original": original, "answers": answers}
                )
                counts["swapped"] += 1
    return counts


def questions_of(data: list[dict[str, Any]], id_of: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "question": qa["question"],
            "answers": [a["text"] for a in qa["answers"]],
            "article": id_of[a["title"]],
            "context": p["context"],
            "answer_start": qa["answers"][0]["answer_start"],
        }
        for a in data
        for p in a["paragraphs"]
        for qa in p["qas"]
    ]


class Groups:
    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.lengths = data["lengths"]
        bounds = np.concatenate([[0], np.cumsum(self.lengths)])[1:-1]
        self.ids = np.split(data["ids"], bounds)
        self.types = np.split(data["types"], bounds)
        self.allowed = np.split(data["allowed"], bounds)
        self.first, self.size, self.kind = data["group_first"], data["group_size"], data["group_kind"]
        self.targets: dict[int, list[tuple[int, int, int]]] = {}
        for w, s, e in zip(data["target_window"], data["target_start"], data["target_end"], strict=True):
            self.targets.setdefault(int(w), []).append((int(w), int(s), int(e)))
        self.meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))

    def __len__(self) -> int:
        return len(self.first)

    def windows(self, group: int) -> range:
        return range(int(self.first[group]), int(self.first[group] + self.size[group]))

    def batch(self, groups: Sequence[int]) -> dict[str, Any]:
        """Padded windows of `groups` and, per group, its window rows and flat targets."""
        import torch

        rows = [w for g in groups for w in self.windows(g)]
        width = -(-int(max(self.lengths[r] for r in rows)) // 16) * 16
        ids = np.zeros((len(rows), width), dtype=np.int64)
        types = np.zeros_like(ids)
        allowed = np.zeros((len(rows), width), dtype=bool)
        for k, r in enumerate(rows):
            n = self.lengths[r]
            ids[k, :n], types[k, :n], allowed[k, :n] = self.ids[r], self.types[r], self.allowed[r] > 0
        allowed[:, 0] = True  # the first token: no answer
        has = np.zeros(len(rows), dtype=np.float32)
        spans, position = [], 0
        for g in groups:
            local = {w: i for i, w in enumerate(self.windows(g))}
            starts, ends = [], []
            for w in self.windows(g):
                for _, s, e in self.targets.get(w, []):
                    starts.append(local[w] * width + s)
                    ends.append(local[w] * width + e)
                    has[position + local[w]] = 1.0
            if not starts:  # unanswerable: every window's first token
                starts = ends = [i * width for i in range(len(local))]
            spans.append((position, len(local), starts, ends))
            position += len(local)
        return {
            "input_ids": torch.from_numpy(ids),
            "attention_mask": torch.from_numpy((ids != 0).astype(np.int64)),
            "token_type_ids": torch.from_numpy(types),
            "allowed": torch.from_numpy(allowed),
            "has": torch.from_numpy(has),
            "groups": spans,
        }
