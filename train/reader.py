"""Train the span reader on SQuAD v1.1 (train split only) with mined unanswerable pairs.

    python train/reader.py prepare   # features: windows, negatives from the project's retrieval
    python train/reader.py train     # bf16 on CPU (or a GPU if there is one), checkpoints, resume
    python train/reader.py export    # best checkpoint -> qa/models/reader (fp16 safetensors + card)

`make reader` runs all three. Everything lands in train/cache/ (git-ignored) except the
exported model. The SQuAD development questions are never read here.

This file holds the commands, the loss and the training loop; the data is in `squad.py`
(articles, examples, mined negatives) and `features.py` (windows cut by the reader's own
windowing, with targets), held-out scores in `evaluation.py`, the model card in `card.py`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from card import write_card  # noqa: E402
from checkpoints import read_log, save_atomically, training_seconds, write_record  # noqa: E402
from device import autocast, training_device  # noqa: E402
from evaluation import evaluate_windows  # noqa: E402
from features import (  # noqa: E402
    MAX_ANSWER_TOKENS,
    MAX_LENGTH,
    STRIDE,
    Features,
    encoder_path,
    encoder_tokenizer,
    featurize,
    length_batches,
    save_features,
)
from squad import (  # noqa: E402
    CACHE,
    SEED,
    SQUAD,
    article_records,
    build_retrieval_index,
    load_squad,
    make_examples,
    retrieved_negatives,
    split_articles,
    write_heldout_eval,
)

OUTPUT = ROOT / "qa" / "models" / "reader"


def prepare(args: argparse.Namespace) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    data = load_squad(Path(args.squad))
    train, held = split_articles(data)
    print(f"{len(train)} training articles, {len(held)} held out", flush=True)
    tokenizer = encoder_tokenizer()
    rng = random.Random(SEED)
    records = article_records(data)
    id_of = {a["title"]: r["id"] for a, r in zip(data, records, strict=True)}
    # mine only for the questions that will draw a negative (the same rng decides below)
    wanted = []
    for article in train:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                answers = [a["text"] for a in qa["answers"]]
                wanted.append((qa["id"], qa["question"], answers, id_of[article["title"]]))
    negatives: dict[str, tuple[str, str]] = {}
    if not args.no_retrieval:
        index = build_retrieval_index(records)
        mined = retrieved_negatives(index, [(q, a, i) for _, q, a, i in wanted])
        negatives = {qid: pair for (qid, _, _, _), pair in zip(wanted, mined, strict=True)}
        index.close()
    examples = make_examples(train, 0, rng, negatives)
    print("examples:", {k: sum(e.kind == k for e in examples) for k in ("gold", "same", "other")}, flush=True)
    features = featurize(tokenizer, examples)
    print(f"{len(features['ids'])} training windows, {sum(features['has'])} with an answer", flush=True)
    save_features(features, CACHE / "train-features.npz")
    held_examples = make_examples(held, 0, random.Random(SEED + 1), {})
    held_examples = [e for e in held_examples if e.kind == "gold"] + [
        e for e in held_examples if e.kind == "same"
    ]
    held_features = featurize(tokenizer, held_examples)
    save_features(held_features, CACHE / "heldout-features.npz")
    (CACHE / "heldout-examples.json").write_text(
        json.dumps([e.__dict__ for e in held_examples]), encoding="utf-8"
    )
    write_heldout_eval(held, records, id_of)
    print("prepared", flush=True)


def compute_loss(net: Any, batch: dict[str, Any], device: Any) -> Any:
    import torch.nn.functional as F

    with autocast(device):
        start, end, answer = net(
            batch["input_ids"].to(device),
            batch["attention_mask"].to(device),
            batch["token_type_ids"].to(device),
        )
    allowed = batch["allowed"].to(device)
    start = start.float().masked_fill(~allowed, -1e4)
    end = end.float().masked_fill(~allowed, -1e4)
    span = (
        F.cross_entropy(start, batch["start"].to(device)) + F.cross_entropy(end, batch["end"].to(device))
    ) / 2
    answerable = F.binary_cross_entropy_with_logits(answer.float(), batch["has"].to(device))
    return span + answerable, span.detach(), answerable.detach()


def train(args: argparse.Namespace) -> None:
    import torch
    from tqdm import tqdm

    from qa.answering.reader_net import ReaderNet

    torch.manual_seed(SEED)
    if not torch.cuda.is_available():
        torch.set_num_threads(args.threads or os.cpu_count() or 2)
    device = training_device()
    tokenizer = encoder_tokenizer()
    sep_id = tokenizer.token_to_id("[SEP]")
    features = Features(CACHE / "train-features.npz")
    held = Features(CACHE / "heldout-features.npz")
    held_examples = json.loads((CACHE / "heldout-examples.json").read_text(encoding="utf-8"))
    per_epoch = math.ceil(len(features) / args.batch_size)
    total = per_epoch * args.epochs
    if args.total_steps:
        # a shorter run: the learning rate decays linearly to zero at this step instead
        # (set when resuming, it lowers the rate from the resumed step on)
        total = min(total, args.total_steps)
    # no dropout on attention weights: a quarter of a CPU step (2.9 -> 2.2 s), and a
    # small model fine-tuned on 84k questions does not need it
    net = ReaderNet.from_encoder(encoder_path(), attention_dropout=0.0).to(device)
    decay = [p for n, p in net.named_parameters() if not any(k in n for k in ("bias", "LayerNorm"))]
    rest = [p for n, p in net.named_parameters() if any(k in n for k in ("bias", "LayerNorm"))]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=args.lr
    )
    warmup = int(0.06 * total)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / max(warmup, 1), max(0.0, (total - step) / max(total - warmup, 1))),
    )
    step, best_f1 = 0, -1.0
    checkpoint = CACHE / "checkpoint.pt"
    if args.resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location=device, weights_only=False)
        net.load_state_dict(state["net"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        step, best_f1 = state["step"], state["best_f1"]
        print(f"resumed at step {step}/{total}", flush=True)
    log = (CACHE / "train.log").open("a", encoding="utf-8")
    started = time.time()
    net.train()
    bar = tqdm(total=total, initial=step, desc="training", mininterval=10, smoothing=0.05)
    seen_examples = 0
    while step < total:
        epoch, position = divmod(step, per_epoch)
        batches = length_batches(features.lengths, args.batch_size, SEED + epoch)
        for rows in batches[position:]:
            batch = features.batch(rows, sep_id)
            loss, span_loss, answer_loss = compute_loss(net, batch, device)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            seen_examples += len(rows)
            bar.update(1)
            if step % 50 == 0:
                rate = seen_examples / (time.time() - started)
                bar.set_postfix(
                    loss=f"{loss.item():.3f}",
                    span=f"{span_loss.item():.3f}",
                    ans=f"{answer_loss.item():.3f}",
                    ex_s=f"{rate:.1f}",
                )
            last = step == total
            if step % args.eval_every == 0 or last or step % per_epoch == 0:
                scores = evaluate_windows(net, held, held_examples, tokenizer, args.eval_limit)
                record = {
                    "step": step,
                    "epoch": step / per_epoch,
                    "lr": schedule.get_last_lr()[0],
                    "loss": round(loss.item(), 4),
                    "seconds": round(time.time() - started, 1),
                    **scores,
                }
                write_record(log, record)
                if scores["f1"] > best_f1:
                    best_f1 = scores["f1"]
                    save_atomically(
                        {"net": net.state_dict(), "step": step, "scores": scores}, CACHE / "best.pt"
                    )
            if step % args.save_every == 0 or last:
                state = {
                    "net": net.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(),
                    "step": step,
                    "best_f1": best_f1,
                }
                save_atomically(state, checkpoint)
            if step >= total:
                break
    bar.close()
    print(f"done: {step} steps, best held-out F1 {best_f1}", flush=True)


def export(args: argparse.Namespace) -> None:
    import torch

    from qa.answering.reader_net import ReaderNet, save_reader

    source = CACHE / ("best.pt" if not args.last else "checkpoint.pt")
    state = torch.load(source, map_location="cpu", weights_only=False)
    net = ReaderNet.from_encoder(encoder_path())
    net.load_state_dict(state["net"])
    folder = Path(args.output)
    if folder.exists():
        shutil.rmtree(folder)
    meta = {
        "format": 1,
        "base": "sentence-transformers/all-MiniLM-L6-v2",
        "max_length": MAX_LENGTH,
        "stride": STRIDE,
        "max_answer_tokens": MAX_ANSWER_TOKENS,
        "step": state["step"],
        "heldout": state.get("scores", {}),
    }
    log = read_log(CACHE / "train.log")
    examples = len(Features(CACHE / "train-features.npz"))
    seconds = training_seconds(log)
    meta["training"] = {
        "steps": state["step"],
        "hours": round(seconds / 3600, 1) if log else None,
        "examples_per_epoch": examples,
        "batch_size": 32,
        "learning_rate": 1e-4,
        "epochs": round(state["step"] * 32 / examples, 2),
        "precision": "bf16 autocast on CPU (AVX512-BF16/AMX)",
        "seed": SEED,
        "schedule_note": args.schedule_note,
    }
    save_reader(net, folder, meta)
    encoder = Path(encoder_path())
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        shutil.copy(encoder / name, folder / name)
    write_card(folder)
    print(f"exported step {state['step']} to {folder}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--squad", default=str(SQUAD))
    p.add_argument("--no-retrieval", action="store_true", help="mine negatives at random only")
    t = sub.add_parser("train")
    t.add_argument("--epochs", type=int, default=2)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, default=8e-5)
    t.add_argument("--threads", type=int, default=0)
    t.add_argument("--eval-every", type=int, default=1000)
    t.add_argument("--eval-limit", type=int, default=1500)
    t.add_argument("--save-every", type=int, default=200)
    t.add_argument("--resume", action="store_true")
    t.add_argument("--total-steps", type=int, default=0, help="stop here, the learning rate reaching zero")
    e = sub.add_parser("export")
    e.add_argument("--output", default=str(OUTPUT))
    e.add_argument("--last", action="store_true", help="the last checkpoint, not the best")
    e.add_argument("--schedule-note", default="", help="how the run's schedule differed, for the model card")
    args = parser.parse_args()
    {"prepare": prepare, "train": train, "export": export}[args.command](args)


if __name__ == "__main__":
    main()
