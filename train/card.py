"""The reader's model card (README.md beside the weights), written from its reader.json:
training, every later stage, held-out scores and calibration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_card(folder: Path) -> None:
    """The model card (README.md) from reader.json and the training log."""
    meta = json.loads((folder / "reader.json").read_text(encoding="utf-8"))
    training = meta.get("training", {})
    held = meta.get("heldout", {})
    calibration = meta.get("calibration", {})
    lines = [
        "# article-qa reader",
        "",
        "A span reader for article-qa: all-MiniLM-L6-v2 (BERT, 6 layers, 384 wide, 22M parameters)",
        "with a start/end head over the tokens and an answerability head on the first token.",
        "One forward pass per (question, passage) window; the product reads the top passages in",
        "one batch and picks the best span across them, or refuses.",
        "",
        "## Training",
        "",
        f"- Data: the official SQuAD v1.1 training set, 422 of its 442 articles ({training.get('examples_per_epoch', '?')}",
        "  windows per epoch: every question with its paragraph, plus unanswerable pairs: 35% of the",
        "  questions with a passage of their own article that lacks the answer (the best-ranked one",
        "  the project's retrieval returns, else a random paragraph), 15% with the best retrieved",
        "  passage of another article). 20 articles are held out for model selection and calibration.",
        "  No SQuAD development question was used for training, selection or calibration.",
        f"- {training.get('epochs', 2)} epochs, batch {training.get('batch_size', 32)}, AdamW, learning rate "
        f"{training.get('learning_rate', 1e-4)} with 6% warm-up and linear decay to zero at the last step, windows of "
        f"{meta['max_length']} tokens with a stride of {meta['stride']}, no dropout on attention weights, seed "
        f"{training.get('seed', 13)}."
        + (f" {training['schedule_note']}" if training.get("schedule_note") else ""),
        f"- {training.get('precision', 'bf16')}, 2 cores: {training.get('steps', '?')} steps in about "
        f"{training.get('hours', '?')} hours.",
        "- Loss: cross-entropy of start and end (the first token for no answer) plus binary",
        "  cross-entropy of the answerability head.",
        *_later_stages(meta),
        "",
        "## Scores",
        "",
        f"- Held-out training articles, gold paragraph: exact match {held.get('em')}, F1 {held.get('f1')};",
        f"  answerability AUC (answer-bearing paragraph vs. one lacking it) {held.get('auc')}.",
    ]
    if calibration:
        lines += [
            f"- Refusal threshold {meta['no_answer_below']} (answerable probability), chosen on the held-out",
            f"  articles as an open corpus: refuses {calibration.get('refused_unanswerable')} of unanswerable and "
            f"{calibration.get('refused_answerable')} of answerable questions there"
            + (
                f" (of the unanswerable: {calibration['refused_left_out']} of those whose article is not in the"
                f" collection, {calibration['refused_answer_gone']} of those whose answer sentences were cut out)."
                if "refused_answer_gone" in calibration
                else "."
            ),
            (
                "- Across passages a span scores log p(start) + log p(end) under one softmax over all passages -"
                if meta.get("normalisation") == "shared"
                else "- Across passages a span scores log p(answerable) + log p(start) + log p(end) -"
            )
            + f" {meta.get('rank_weight', 0)} · log(retrieval rank); short-answer (EM, F1) there by weight:"
            f" {calibration.get('short_answer_em_f1_by_rank_weight')}.",
        ]
    lines += [
        "",
        "## Files and use",
        "",
        "- `model.safetensors` (fp16 weights), `config.json` (BERT), `reader.json` (window, threshold,",
        "  scores), the tokenizer of all-MiniLM-L6-v2.",
        "- article-qa loads it from the package with no network; `QA_READER=/other/folder` or",
        "  `QA_READER=off` (the sentence scorer instead). At query time it runs as an ONNX graph",
        "  exported locally (int8 weights by default, `QA_READER_BACKEND=onnx|torch` otherwise).",
        "- Rebuild: `make reader` (stage 1: prepare, train, export, calibrate), `make reader-stage2`;",
        "  on a lent GPU, `train/gpu.sh` (stage 2 in minutes); `train/reader.py --help`.",
        "- Licences: all-MiniLM-L6-v2 is Apache-2.0; SQuAD v1.1 is CC BY-SA 4.0.",
        "",
    ]
    (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")


def _later_stages(meta: dict[str, Any]) -> list[str]:
    """Model-card lines for the training stages after the first (`train/sharednorm.py`)."""
    lines = []
    for stage in meta.get("stages", [])[1:]:
        after, before = stage.get("heldout_groups", {}), stage.get("heldout_groups_before", {})
        lines += [
            f"- Stage {stage['stage']}: {stage['what']}; warm-started from the stage before, {stage['steps']} steps of"
            f" {stage['groups_per_batch']} questions, each read with the {stage['passages']} passages the product"
            f" retrieves for it; learning rate {stage['learning_rate']}, {stage['hours']} hours on"
            f" {stage.get('device', '2 CPU cores (fp32)')}{_groups_made(stage)}.",
            f"  Held-out questions read across their passages: F1 {before.get('f1')} -> {after.get('f1')}; answer-removed"
            f" questions refused at the cut refusing 5% of answerable ones {before.get('refused_removed_at_5')} ->"
            f" {after.get('refused_removed_at_5')}; swapped-name questions {before.get('refused_swapped_at_5')} ->"
            f" {after.get('refused_swapped_at_5')}.",
        ]
    return lines


def _groups_made(stage: dict[str, Any]) -> str:
    """What the stage's groups were made of, where `prepare` recorded it."""
    train = stage.get("groups", {}).get("train")
    if not train:
        return ""
    return (
        f"; {train['answerable']} answerable questions of {stage['groups'].get('articles', '?')} articles,"
        f" {train['removed']} answer-removed and {train['swapped']} swapped-question negatives"
    )
