"""Held-out scores of both training stages: stage 1 reads each held-out question's own
paragraph window by window; stage 2 reads each held-out group across its passages as the
product does. Both measure EM/F1 of the best span and how well the answerability head
separates answerable questions from unanswerable ones (AUC)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from device import autocast
from features import MAX_ANSWER_TOKENS, Features, window_text

from qa.answering.reader import DEFAULT_READER, decode_windows
from qa.answering.spans import top_spans
from qa.eval.metrics import exact_match, token_f1

if TYPE_CHECKING:
    from groups import Groups


def evaluate_windows(
    net: Any, features: Features, examples: list[dict[str, Any]], tokenizer: Any, limit: int
) -> dict[str, float]:
    """Held-out EM/F1 on gold passages and the AUC of the answerable head (gold vs lacking)."""
    import torch

    device = next(net.parameters()).device
    rng = np.random.default_rng(0)
    rows = np.arange(len(features))
    if len(rows) > limit:
        rows = np.sort(rng.choice(rows, limit, replace=False))
    net.eval()
    best: dict[int, tuple[float, str]] = {}
    answer_scores: dict[int, float] = {}
    sep_id = tokenizer.token_to_id("[SEP]")
    with torch.no_grad():
        for first in range(0, len(rows), 64):
            chunk = rows[first : first + 64]
            batch = features.batch(chunk, sep_id)
            with autocast(device):
                start, end, answer = net(
                    batch["input_ids"].to(device),
                    batch["attention_mask"].to(device),
                    batch["token_type_ids"].to(device),
                )
            start, end, answer = (
                start.float().cpu().numpy(),
                end.float().cpu().numpy(),
                answer.float().cpu().numpy(),
            )
            allowed = batch["allowed"].numpy().copy()
            allowed[:, 0] = False
            for k, r in enumerate(chunk):
                owner = int(features.owner[r])
                answer_scores[owner] = max(answer_scores.get(owner, -1e9), float(answer[k]))
                spans = top_spans(start[k], end[k], allowed[k], MAX_ANSWER_TOKENS, n=1)
                if not spans:
                    continue
                text = window_text(tokenizer, examples[owner], features.ids[r], spans[0])
                if owner not in best or spans[0].score > best[owner][0]:
                    best[owner] = (spans[0].score, text)
    net.train()
    gold = [o for o in best if examples[o]["answer_start"] >= 0]
    em = float(np.mean([exact_match(best[o][1], examples[o]["answers"]) for o in gold])) if gold else 0.0
    f1 = float(np.mean([token_f1(best[o][1], examples[o]["answers"]) for o in gold])) if gold else 0.0
    pos = [s for o, s in answer_scores.items() if examples[o]["answer_start"] >= 0]
    neg = [s for o, s in answer_scores.items() if examples[o]["answer_start"] < 0]
    return {"em": round(em, 4), "f1": round(f1, 4), "auc": round(auc(pos, neg), 4), "n": len(gold)}


def auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return 0.0
    scores = np.array(pos + neg)
    ranks = scores.argsort().argsort() + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def evaluate_groups(net: Any, groups: Groups, limit: int, shared: bool = True) -> dict[str, Any]:
    """Held-out groups: EM/F1 of the best span across each answerable group's passages, and
    how well the answerability head separates answerable groups from each negative kind
    (AUC; share of the negatives refused at the cut refusing 5% of answerable groups)."""
    import torch

    net.eval()
    chosen = list(range(min(limit, len(groups))))
    best_answerable: dict[int, float] = {}
    em, f1 = [], []
    with torch.no_grad():
        for first in range(0, len(chosen), 8):
            part = chosen[first : first + 8]
            batch = groups.batch(part)
            device = next(net.parameters()).device
            with autocast(device):
                start, end, answer = net(
                    *(batch[k].to(device) for k in ("input_ids", "attention_mask", "token_type_ids"))
                )
            start, end, answer = (t.float().cpu().numpy() for t in (start, end, answer))
            for g, (row, count, _, _) in zip(part, batch["groups"], strict=True):
                windows = [_EvalWindow(groups, w, k) for k, w in enumerate(groups.windows(g))]
                reading = decode_windows(
                    windows,
                    start[row : row + count],
                    end[row : row + count],
                    answer[row : row + count],
                    len(windows),
                    MAX_ANSWER_TOKENS,
                    shared=shared,
                )
                best_answerable[g] = reading.best_answerable
                if groups.kind[g] == 0:
                    answers = groups.meta[g]["answers"]
                    text = windows[reading.spans[0].passage].text(reading.spans[0]) if reading.spans else ""
                    em.append(exact_match(text, answers))
                    f1.append(token_f1(text, answers))
    positive = [best_answerable[g] for g in chosen if groups.kind[g] == 0]
    cut = float(np.quantile(positive, 0.05)) if positive else 0.0
    scores: dict[str, Any] = {
        "em": round(float(np.mean(em)), 4),
        "f1": round(float(np.mean(f1)), 4),
        "n": len(em),
    }
    for kind, name in ((1, "removed"), (2, "swapped")):
        negative = [best_answerable[g] for g in chosen if groups.kind[g] == kind]
        scores[f"auc_{name}"] = round(auc(positive, negative), 4)
        scores[f"refused_{name}_at_5"] = (
            round(float(np.mean([s < cut for s in negative])), 4) if negative else 0.0
        )
    scores["selection"] = round(scores["f1"] + 0.5 * scores["refused_removed_at_5"], 4)
    return scores


class _EvalWindow:
    """A stored window seen as the reader's `_Window`: one window per passage here."""

    def __init__(self, groups: Groups, row: int, passage: int) -> None:
        self.passage = passage
        self.ids = groups.ids[row].astype(np.int64)
        self.allowed = groups.allowed[row] > 0
        self.segments = np.where(self.allowed, 0, -1)
        self.offsets = np.stack([np.arange(len(self.ids)), np.arange(len(self.ids)) + 1], axis=1)
        self._tokens = self.ids

    def text(self, span: Any) -> str:

        global _TOKENIZER
        if _TOKENIZER is None:
            from tokenizers import Tokenizer

            _TOKENIZER = Tokenizer.from_file(str(DEFAULT_READER / "tokenizer.json"))
        return str(_TOKENIZER.decode(self._tokens[span.start : span.end].tolist()))


_TOKENIZER: Any = None
