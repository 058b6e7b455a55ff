"""The sentence judge: how likely a sentence answers a question, read as a pair.

The reader answers a plausible question whose answer is not in the collection from a
neighbouring sentence of the same topic and names; the judge (trained by `train/judge.py`
on each SQuAD question with the sentence holding its answer and the most alike sentences of
its paragraph that do not) reads the question with the one sentence the answer would cite.
It lives in the reader's folder (`judge/`): it shares the reader's embeddings and
tokenizer. At query time it runs as an ONNX graph exported once into the cache folder (int8, or
fp32 where the reader runs in fp32), like the reader. The answerer refuses when the
reader's answerability log-odds plus the judge's logit fall under `refuse_below`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.answering.windows import WEIGHTS, load_tokenizer, padded

log = logging.getLogger(__name__)

JUDGE_FOLDER = "judge"
MAX_TOKENS = 128  # as trained (`qa.answering.judge_net.MAX_TOKENS`)


def has_judge(reader_folder: Path) -> bool:
    """Whether the reader in `reader_folder` has a sentence judge beside it."""
    return (reader_folder / JUDGE_FOLDER / "judge.json").exists()


def weights_digest(path: Path) -> str:
    """The SHA-256 of a weights file's bytes (a clone or copy keeps it; mtimes do not)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def trained_on(reader_folder: Path) -> str | None:
    """The fingerprint of the reader weights the judge beside `reader_folder` was trained on."""
    meta = json.loads((reader_folder / JUDGE_FOLDER / "judge.json").read_text(encoding="utf-8"))
    return meta.get("reader_weights")


def fits(reader_folder: Path) -> bool:
    """Whether the judge beside `reader_folder` was trained on these reader weights (it
    reads the reader's embeddings: on another reader its logits mean nothing)."""
    return trained_on(reader_folder) == weights_digest(reader_folder / WEIGHTS)


def usable(reader_folder: Path, cache_dir: Path, int8: bool = True) -> bool:
    """Whether the reader in `reader_folder` has a judge that fits it. A judge already
    exported into `cache_dir` was checked then (its file name carries both weights); one
    that does not fit is skipped with a warning, so that a reader retrained without its
    judge still answers (without the judge's refusals)."""
    if not has_judge(reader_folder):
        return False
    from qa.answering.reader_onnx import judge_target

    if judge_target(reader_folder, cache_dir, int8).exists() or fits(reader_folder):
        return True
    log.warning(
        "the sentence judge in %s was trained on other reader weights than %s: it is not used "
        "(retrain it with `make judge`)",
        reader_folder / JUDGE_FOLDER,
        reader_folder / WEIGHTS,
    )
    return False


class Judge:
    """Scores (question, sentence) pairs with the judge in `reader_folder / "judge"`."""

    def __init__(self, reader_folder: Path, cache_dir: Path, int8: bool = True) -> None:
        self.reader_folder = reader_folder
        self.folder = reader_folder / JUDGE_FOLDER
        self.cache_dir = cache_dir
        self.int8 = int8
        self.meta = json.loads((self.folder / "judge.json").read_text(encoding="utf-8"))
        # the logit under which the reader's chosen sentence is taken not to answer
        self.refuse_below: float | None = self.meta.get("refuse_below")
        self.tokenizer = load_tokenizer(reader_folder / "tokenizer.json")
        self.tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
        self._session: Any = None
        self._lock = threading.Lock()

    @classmethod
    def beside(cls, reader_folder: Path, cache_dir: Path, int8: bool = True) -> Judge | None:
        """The judge shipped with the reader in `reader_folder`, or None where it has none
        or has one trained on another reader (`usable`)."""
        if not usable(reader_folder, cache_dir, int8):
            return None
        return cls(reader_folder, cache_dir, int8)

    def warm_up(self) -> None:
        self._runner()

    def _runner(self) -> Any:
        with self._lock:
            if self._session is None:
                from qa.answering.reader_onnx import judge_session

                self._session = judge_session(self.reader_folder, self.cache_dir, self.int8)
            return self._session

    def logits(self, question: str, sentences: Sequence[str]) -> list[float]:
        """The judge's logit for each of `sentences` answering `question`."""
        if not sentences:
            return []
        with self._lock:
            encoded = self.tokenizer.encode_batch([(question, s) for s in sentences])
        ids, types, mask = padded([(e.ids, e.type_ids) for e in encoded])
        session = self._runner()
        with self._lock:
            (out,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        return [float(x) for x in out]

    def probabilities(self, question: str, sentences: Sequence[str]) -> list[float]:
        """How likely each of `sentences` answers `question`."""
        return [1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0))) for x in self.logits(question, sentences)]
