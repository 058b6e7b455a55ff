"""The trained span reader: one forward pass per (question, passage) window, all windows of
a question in one batch; the best short answer across passages, or no answer.

The model (trained by `train/reader.py`, shipped in `qa/models/reader/`) has a start/end
head over the tokens and an answerability head on the first token. At query time it runs
as an ONNX graph under ONNX Runtime (exported once, locally, from the shipped weights; see
`qa.answering.reader_onnx`), so answering never imports torch; `QA_READER_BACKEND=torch` runs the
same weights in torch instead.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from qa.answering.judge import Judge
from qa.answering.spans import NEG, TokenSpan, log_softmax, top_spans
from qa.answering.windows import PassageInput, Window, cut_windows, load_tokenizer, padded
from qa.config import OFF_WORDS, PACKAGE_ROOT, ModelSettings, default_cache_dir
from qa.errors import ConfigError

DEFAULT_READER = PACKAGE_ROOT / "models" / "reader"
# onnx-int8 (default): ONNX Runtime with int8 weights; onnx: fp32 weights; torch: the
# training framework itself (bf16 where the CPU has it)
BACKENDS = ("onnx-int8", "onnx", "torch")
SPANS_PER_WINDOW = 3  # and the best of each other sentence


@dataclass(frozen=True)
class ReaderSpan:
    """A candidate short answer: `text[start:end]` of passage `passage`, inside `segment`."""

    passage: int
    segment: int
    start: int
    end: int
    score: float  # log p(start) + log p(end) (+ log p(answerable) per window): comparable across passages
    answerable: float  # p(answerable) of the window it came from
    # the best of its sentence but not of its window: taken only where no better span fits
    fallback: bool = False


@dataclass(frozen=True)
class Reading:
    """What the reader found for one question: spans best first, and for each passage the
    highest answerable probability of its windows."""

    spans: tuple[ReaderSpan, ...]
    answerable: tuple[float, ...]

    @property
    def best_answerable(self) -> float:
        return max(self.answerable, default=0.0)

    @property
    def ranked(self) -> tuple[ReaderSpan, ...]:
        """The spans in the order an answer takes them: the windows' best, then the best of
        each other sentence (`fallback`), each best first."""
        return tuple(s for s in self.spans if not s.fallback) + tuple(s for s in self.spans if s.fallback)

    def without_fallbacks(self) -> Reading:
        """This reading with the windows' best spans alone."""
        return Reading(tuple(s for s in self.spans if not s.fallback), self.answerable)


@dataclass(frozen=True)
class ReaderConfig:
    max_length: int = 320
    stride: int = 128
    max_answer_tokens: int = 30
    no_answer_below: float = 0.5  # refuse when the best window's p(answerable) is lower
    rank_weight: float = 0.0  # how much a passage's retrieval rank counts beside the reader's score
    shared: bool = False  # trained with shared normalisation: one softmax over all passages

    @classmethod
    def read(cls, folder: Path) -> ReaderConfig:
        data = json.loads((folder / "reader.json").read_text(encoding="utf-8"))
        known = {
            k: data[k]
            for k in ("max_length", "stride", "max_answer_tokens", "no_answer_below", "rank_weight")
            if k in data
        }
        return cls(**known, shared=data.get("normalisation") == "shared")


class Reader:
    """Finds short answers in passages. `Reader.load()` gives the shipped one (or the one
    `QA_READER` names), or None when `QA_READER=off`."""

    def __init__(
        self,
        folder: Path,
        backend: str = "onnx",
        precision: str = "auto",
        cache_dir: Path | None = None,
        judge: bool = True,
    ) -> None:
        self.folder = folder
        self.cache_dir = cache_dir or default_cache_dir()  # where the ONNX graphs are exported
        self.config = ReaderConfig.read(folder)
        self.tokenizer = load_tokenizer(folder / "tokenizer.json")
        vocab = self.tokenizer.get_vocab()
        self.cls_id, self.sep_id = vocab["[CLS]"], vocab["[SEP]"]
        self.backend_name = backend
        self.precision = precision
        self._run: Any = None
        self._lock = threading.Lock()
        # the sentence judge shipped beside the weights (None without one), int8 but where
        # the reader runs in fp32
        self.judge = Judge.beside(folder, self.cache_dir, int8=backend != "onnx") if judge else None

    @classmethod
    def load(cls, models: ModelSettings | None = None, cache_dir: Path | None = None) -> Reader | None:
        """The reader `models.reader` names (`QA_READER`): "off", a folder, or "" for the
        shipped model, run by `models.reader_backend`. Raises `ConfigError` for a folder
        that holds no reader."""
        models = models or ModelSettings()
        raw = models.reader.strip()
        if raw.lower() in OFF_WORDS:
            return None
        folder = Path(raw).expanduser() if raw else DEFAULT_READER
        if not (folder / "reader.json").exists() or not (folder / "tokenizer.json").exists():
            if not raw:
                return None  # a build without the shipped model answers with the sentence scorer
            raise ConfigError(f"QA_READER={raw!r} is not a reader folder (no reader.json / tokenizer.json)")
        chosen = models.reader_backend.strip().lower() or ModelSettings.reader_backend
        if chosen not in BACKENDS:
            raise ConfigError(f"QA_READER_BACKEND={chosen!r} must be one of {', '.join(BACKENDS)}")
        from qa.ingest.precision import precision_setting

        return cls(folder, chosen, precision_setting(requested=models.precision), cache_dir, models.judge)

    # ---- model ---------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._run is not None

    def warm_up(self) -> None:
        """Load the model now (a server does this at start), not on the first question."""
        self._runner()
        if self.judge is not None:
            self.judge.warm_up()

    def _runner(self) -> Any:
        with self._lock:
            if self._run is None:
                if self.backend_name == "torch":
                    self._run = _torch_runner(self.folder, self.precision)
                else:
                    from qa.answering.reader_onnx import reader_session

                    self._run = _onnx_runner(
                        reader_session(self.folder, self.cache_dir, int8=self.backend_name == "onnx-int8")
                    )
            return self._run

    # ---- reading -------------------------------------------------------------------
    def read(
        self, question: str, passages: Sequence[PassageInput], asked: Sequence[str] | None = None
    ) -> Reading:
        """Read every passage for `question` (or for each its own question of `asked`) in
        one batch; spans best first."""
        windows = self.windows(question, passages, asked)
        if not windows:
            return Reading((), tuple(0.0 for _ in passages))
        ids, types, mask = padded([(w.ids, w.types) for w in windows])
        run = self._runner()
        with self._lock:  # one owner: a session and a tokenizer, shared by every thread
            start, end, answerable = run(ids, mask, types)
        return decode_windows(
            windows, start, end, answerable, len(passages), self.config.max_answer_tokens, self.config.shared
        )

    def windows(
        self, question: str, passages: Sequence[PassageInput], asked: Sequence[str] | None = None
    ) -> list[Window]:
        """The windows this reader cuts for `question` over `passages`, or for each passage
        the question of `asked` at its place (training's stage 2 cuts its groups with it too)."""
        cut = self.config.max_length, self.config.stride
        with self._lock:  # the tokenizer is shared by every thread
            if asked is None:
                return cut_windows(self.tokenizer, question, passages, *cut)
            windows: list[Window] = []
            for one in dict.fromkeys(asked):
                places = [n for n, q in enumerate(asked) if q == one]
                cuts = cut_windows(self.tokenizer, one, [passages[n] for n in places], *cut)
                windows += [replace(w, passage=places[w.passage]) for w in cuts]
            return sorted(windows, key=lambda w: w.passage)  # stable: a passage's windows in order


def decode_windows(
    windows: Sequence[Window],
    start: np.ndarray,
    end: np.ndarray,
    answerable: np.ndarray,
    passages: int,
    max_answer_tokens: int,
    shared: bool = False,
) -> Reading:
    """Spans of every window, best first. Per window (`shared` False, the stage-1 model):
    log p(answerable) + log p(start) + log p(end), the start and end distributions over one
    window including its first token (no answer). Shared (a model trained with shared
    normalisation): log p(start) + log p(end) under one softmax over every window's tokens and
    first tokens at once, which is what makes scores of different passages comparable."""
    spans: dict[tuple[int, int, int], ReaderSpan] = {}
    best = [0.0] * passages
    candidates = [_with_null(window) for window in windows]  # answer tokens and "no answer"
    if shared:
        log_z_start = _shared_log_norm(windows, candidates, start)
        log_z_end = _shared_log_norm(windows, candidates, end)
    for k, window in enumerate(windows):
        p_answer = 1.0 / (1.0 + math.exp(-float(answerable[k])))
        best[window.passage] = max(best[window.passage], p_answer)
        with_null = candidates[k]
        if shared:
            log_start = np.where(with_null, start[k, : len(window.ids)] - log_z_start, NEG)
            log_end = np.where(with_null, end[k, : len(window.ids)] - log_z_end, NEG)
            prior = 0.0
        else:
            log_start = log_softmax(start[k, : len(window.ids)], with_null)
            log_end = log_softmax(end[k, : len(window.ids)], with_null)
            prior = math.log(max(p_answer, 1e-12))
        found = top_spans(
            log_start, log_end, window.allowed, max_answer_tokens, window.segments, SPANS_PER_WINDOW, True
        )
        for span in found:
            if span.score <= NEG / 2:
                continue
            item = _to_reader_span(window, span, prior, p_answer)
            key = (item.passage, item.start, item.end)
            known = spans.get(key, item)
            # among a window's best in any window it is: no fallback
            spans[key] = replace(
                max(known, item, key=lambda s: s.score), fallback=known.fallback and item.fallback
            )
    ranked = sorted(spans.values(), key=lambda s: -s.score)
    return Reading(tuple(ranked), tuple(best))


def _with_null(window: Window) -> np.ndarray:
    """The tokens a window's start and end distributions run over: its answer tokens and its
    first token, which stands for "no answer"."""
    with_null = window.allowed.copy()
    with_null[0] = True
    return with_null


def _shared_log_norm(
    windows: Sequence[Window], candidates: Sequence[np.ndarray], logits: np.ndarray
) -> float:
    """log of the sum of exp(logit) over every window's `candidates` tokens."""
    joined = np.concatenate(
        [logits[k, : len(w.ids)][candidates[k]].astype(np.float64) for k, w in enumerate(windows)]
    )
    top = float(joined.max())
    return top + float(np.log(np.exp(joined - top).sum()))


def _to_reader_span(window: Window, span: TokenSpan, prior: float, p_answer: float) -> ReaderSpan:
    return ReaderSpan(
        passage=window.passage,
        segment=int(window.segments[span.start]),
        start=int(window.offsets[span.start][0]),
        end=int(window.offsets[span.end][1]),
        score=prior + span.score,
        answerable=p_answer,
        fallback=span.fallback,
    )


def _onnx_runner(session: Any) -> Any:
    def run(ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> tuple[np.ndarray, ...]:
        start, end, answerable = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        return start, end, answerable

    return run


def _torch_runner(folder: Path, precision: str) -> Any:
    import torch

    from qa.answering.reader_net import load_reader

    net = load_reader(folder)

    def run(ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> tuple[np.ndarray, ...]:
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
            outputs = net(torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types))
        start, end, answerable = (t.float().numpy() for t in outputs)
        return start, end, answerable

    return run
