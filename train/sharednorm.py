"""Reader stage 2: shared normalisation across the passages the product retrieves, with
plausible-but-unanswerable questions (Clark & Gardner 2018, "Simple and Effective
Multi-Paragraph Reading Comprehension").

    python train/sharednorm.py prepare    # groups: a question + the k passages the product retrieves
    python train/sharednorm.py train      # warm-started from qa/models/reader; checkpoints; --resume
    python train/sharednorm.py evaluate   # held-out groups: cross-passage EM/F1, refusals
    python train/sharednorm.py export     # the best checkpoint -> qa/models/reader, if it beats the shipped one

Each training question is read together with the passages the product's own retrieval
returns for it over the SQuAD v1.1 training articles (windows cut by the reader's own
`Reader.windows`, so training and serving cannot drift), and the start/end softmax runs over
every token of every passage at once, each window's first token standing for "no answer".
So scores compare across passages, which is what the product does with them. Three kinds of
group: answerable (an answer occurrence in some passage is the target), the same passages
with the answer's sentences cut out, and the question with a number, year or name swapped for
one no passage mentions (both: every "no answer" position is the target); see `negatives.py`.
The answerability head keeps its per-window binary loss. SQuAD development data is never read.

This file holds the commands, the loss and the training loop; the groups are made and read
in `groups.py`, held-out scores in `evaluation.py`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from checkpoints import read_log, save_atomically, training_seconds, write_record  # noqa: E402
from device import autocast, training_device  # noqa: E402
from evaluation import evaluate_groups  # noqa: E402
from groups import (  # noqa: E402
    GROUPS_PER_BATCH,
    PASSAGES,
    REMOVED_SHARE,
    SWAPPED_SHARE,
    Groups,
    GroupWriter,
    make_groups,
    questions_of,
)
from squad import CACHE as TRAIN_CACHE  # noqa: E402
from squad import SQUAD, article_records, build_retrieval_index, load_squad, split_articles  # noqa: E402

from qa import failpoints  # noqa: E402
from qa.answering.judge_net import EMBEDDINGS  # noqa: E402
from qa.answering.reader import DEFAULT_READER, Reader  # noqa: E402
from qa.answering.reader_net import ReaderNet, save_reader  # noqa: E402
from qa.answering.windows import WEIGHTS  # noqa: E402

CACHE = TRAIN_CACHE / "sharednorm"
SEED = 17
TIMED_STEPS = 40  # with --seconds: steps 10-40 timed, then the last step fitted to the time left


def prepare(args: argparse.Namespace) -> None:

    Path(args.cache).mkdir(parents=True, exist_ok=True)
    data = load_squad(Path(args.squad))
    train, held = split_articles(data)
    records = article_records(data)
    id_of = {a["title"]: r["id"] for a, r in zip(data, records, strict=True)}
    texts = {r["id"]: r["text"] for r in records}
    # the retrieval index: the held-out articles and `--articles` training articles (the
    # questions come from those; the rest would only add distractors, at ~25 chunks/s)
    indexed = {id_of[a["title"]] for a in held} | {id_of[a["title"]] for a in train[: args.articles]}
    index = build_retrieval_index([r for r in records if r["id"] in indexed], Path(args.cache) / "index")
    train = train[: args.articles]
    cutter = Reader(DEFAULT_READER).windows
    settings = {
        "articles": args.articles,
        "questions": args.questions,
        "seed": args.seed,
        "passages": args.passages,
        "removed_share": args.removed_share,
        "swapped_share": args.swapped_share,
        "paraphrased_share": args.paraphrased_share,
    }
    # the held-out groups are the same at every stage (seed and shares fixed), so that stages compare
    for name, split, limit, seed, shares in (
        ("heldout", held, args.heldout, SEED + 1, (REMOVED_SHARE, SWAPPED_SHARE)),
        ("train", train, args.questions, args.seed, (args.removed_share, args.swapped_share)),
    ):
        rng = random.Random(seed)
        questions = questions_of(split, id_of)
        rng.shuffle(questions)
        # asked article by article (batches are shuffled in training): a question's windows lie
        # near the other questions' windows of the same passages, so the file compresses to
        # about its distinct text (what travels to a GPU machine, `train/gpu.sh`)
        chosen = sorted(questions[:limit], key=lambda q: q["article"])
        if name == "train" and args.paraphrased_share > 0:
            # its own random draws: the negatives drawn below stay those of a stage without it;
            # the held-out groups are never paraphrased, so that every stage compares on them
            paraphrase_some(chosen, args.paraphrased_share, random.Random(seed + 1))
        out = GroupWriter()
        counts = make_groups(index, cutter, chosen, texts, rng, out, args.passages, *shares)
        out.save(Path(args.cache) / f"{name}.npz")
        settings[name] = {**counts, "windows": len(out.ids)}
        print(name, counts, f"{len(out.ids)} windows", flush=True)
    (Path(args.cache) / "settings.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")
    index.close()


def paraphrase_some(questions: list[dict[str, Any]], share: float, rng: random.Random) -> None:
    """Put `share` of `questions` in other words where `paraphrase.py` can (its "asked")."""
    from paraphrase import Paraphraser, answer_sentence

    picked = [q for q in questions if rng.random() < share]
    made = Paraphraser().paraphrase(
        [(q["question"], answer_sentence(q["context"], q["answer_start"]), q["context"]) for q in picked]
    )
    for question, asked in zip(picked, made, strict=True):
        if asked:
            question["asked"] = asked
    print(f"paraphrased {sum(1 for m in made if m)} of {len(picked)} questions tried", flush=True)


# ---------------------------------------------------------------------------- loss
def shared_loss(
    start: Any, end: Any, allowed: Any, groups: Sequence[tuple[int, int, list[int], list[int]]]
) -> Any:
    """Mean over groups of -log p(target start) - log p(target end), halved, where p is one
    softmax over every allowed token (and every first token) of the group's windows; a group
    with several target occurrences takes their total probability."""
    import torch

    start = start.float().masked_fill(~allowed, -1e4)
    end = end.float().masked_fill(~allowed, -1e4)
    losses = []
    for first, count, starts, ends in groups:
        s = torch.log_softmax(start[first : first + count].reshape(-1), 0)
        e = torch.log_softmax(end[first : first + count].reshape(-1), 0)
        losses.append(-(torch.logsumexp(s[starts], 0) + torch.logsumexp(e[ends], 0)) / 2)
    return torch.stack(losses).mean()


def compute_loss(net: Any, batch: dict[str, Any]) -> tuple[Any, Any, Any]:
    import torch.nn.functional as F

    device = next(net.parameters()).device
    with autocast(device):
        start, end, answer = net(
            *(batch[k].to(device) for k in ("input_ids", "attention_mask", "token_type_ids"))
        )
    span = shared_loss(start, end, batch["allowed"].to(device), batch["groups"])
    answerable = F.binary_cross_entropy_with_logits(answer.float(), batch["has"].to(device))
    return span + answerable, span.detach(), answerable.detach()


# ---------------------------------------------------------------------------- model
def load_net(folder: Path) -> Any:
    """The reader in `folder` as a float32 training net, no dropout on attention weights."""
    from safetensors.torch import load_file
    from transformers import BertConfig

    config = BertConfig.from_json_file(str(folder / "config.json"))
    config.attention_probs_dropout_prob = 0.0
    net = ReaderNet(config)
    net.load_state_dict({k: v.float() for k, v in load_file(str(folder / WEIGHTS)).items()})
    return net


def batches_for_epoch(groups: Groups, epoch: int, per_batch: int = GROUPS_PER_BATCH) -> list[list[int]]:
    """Shuffled batches of groups of similar length (sorted within pools of 32 batches)."""
    rng = np.random.default_rng(SEED + epoch)
    order = rng.permutation(len(groups))
    longest = np.array([max(groups.lengths[w] for w in groups.windows(g)) for g in range(len(groups))])
    pool = per_batch * 32
    result = []
    for first in range(0, len(order), pool):
        chunk = order[first : first + pool]
        chunk = chunk[np.argsort(longest[chunk], kind="stable")]
        result += [list(map(int, chunk[i : i + per_batch])) for i in range(0, len(chunk), per_batch)]
    rng.shuffle(result)  # type: ignore[arg-type]
    return result


def fitted_total(total: int, step: int, seconds_per_step: float, seconds_left: float) -> int:
    """The last step of a run that must end within `seconds_left`: `total`, or fewer."""
    return max(step + 1, min(total, step + int(seconds_left / max(seconds_per_step, 1e-6))))


def warmup_steps(total: int, fitted: bool) -> int:
    """5% of the steps; with a time budget at most the timed steps, so that fitting the total
    to the time left never finds the learning rate still warming up."""
    steps = max(1, int(0.05 * total))
    return min(steps, TIMED_STEPS) if fitted else steps


def device_name(device: Any) -> str:
    import torch

    if device.type == "cuda":
        return f"one {torch.cuda.get_device_name(device)}, bf16 autocast"
    return f"{os.cpu_count()} CPU cores"


def train(args: argparse.Namespace) -> None:
    import torch
    from tqdm import tqdm

    torch.manual_seed(SEED)
    if not torch.cuda.is_available():
        torch.set_num_threads(args.threads or os.cpu_count() or 2)
    cache = Path(args.cache)
    groups = Groups(cache / "train.npz")
    device = training_device()  # a GPU where there is one (`device`)
    net = load_net(Path(args.init)).to(device)
    per_epoch = math.ceil(len(groups) / args.groups_per_batch)
    # `plan` is read by the schedule: with --seconds, the last step is fitted to the time
    # left once the first steps are timed (the learning rate still reaches zero at the end)
    plan = {"total": args.steps or per_epoch * args.epochs}
    if args.freeze_embeddings:
        # the sentence judge reads only the reader's embeddings: frozen, its network can be kept
        # beside the new reader (`judge.py restamp`; its refusal cut is calibrated again)
        for name, parameter in net.named_parameters():
            if EMBEDDINGS in name:
                parameter.requires_grad_(False)
    trained = [(n, p) for n, p in net.named_parameters() if p.requires_grad]
    decay = [p for n, p in trained if not any(k in n for k in ("bias", "LayerNorm"))]
    rest = [p for n, p in trained if any(k in n for k in ("bias", "LayerNorm"))]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=args.lr
    )
    # with --seconds the warm-up ends by the last timed step (the total is not known before)
    plan["warmup"] = warmup_steps(plan["total"], bool(args.seconds))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(
            (step + 1) / plan["warmup"],
            max(0.0, (plan["total"] - step) / max(plan["total"] - plan["warmup"], 1)),
        ),
    )
    step, best = 0, -1.0
    checkpoint = cache / "checkpoint.pt"
    if args.resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location=training_device(), weights_only=False)
        net.load_state_dict(state["net"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        torch.set_rng_state(state["rng"].cpu())
        step, best = state["step"], state["best"]
        plan.update(state.get("plan", {}))
        if args.steps:  # a resumed run may be told to end sooner (or later) than planned
            plan["total"] = args.steps
        if args.seconds:
            plan["warmup"] = min(plan["warmup"], TIMED_STEPS)
        print(f"resumed at step {step}/{plan['total']}", flush=True)
    held = Groups(cache / "heldout.npz") if (cache / "heldout.npz").exists() else None
    log = (cache / "train.log").open("a", encoding="utf-8")
    started, first_step = time.time(), step
    where = device_name(device)
    net.train()
    bar = tqdm(total=plan["total"], initial=step, desc="shared-norm", mininterval=30, disable=args.quiet)
    while step < plan["total"]:
        epoch, position = divmod(step, per_epoch)
        for rows in batches_for_epoch(groups, epoch, args.groups_per_batch)[position:]:
            batch = groups.batch(rows)
            loss, span, answer = compute_loss(net, batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            if args.seconds and step == first_step + 10:
                timed_from = time.time()  # the first steps warm up (CUDA kernels, allocator)
            if args.seconds and step == first_step + TIMED_STEPS:
                spent = time.time() - started
                # 85% of the time left for steps, the rest for the four held-out evaluations
                per_step = (time.time() - timed_from) / (TIMED_STEPS - 10)
                plan["total"] = fitted_total(plan["total"], step, per_step, 0.85 * (args.seconds - spent))
                args.eval_every = max(1, (plan["total"] - first_step) // 4)
                bar.total = plan["total"]
                print(f"fitted to {args.seconds} s: {plan['total']} steps of {per_step:.3f} s", flush=True)
            bar.update(1)
            bar.set_postfix(
                loss=f"{loss.item():.3f}",
                span=f"{span.item():.3f}",
                ans=f"{answer.item():.3f}",
                refresh=False,
            )
            last = step >= plan["total"]
            if held is not None and (step % args.eval_every == 0 or last):
                scores = evaluate_groups(net, held, args.eval_limit)
                net.train()
                record = {
                    "step": step,
                    "lr": schedule.get_last_lr()[0],
                    "loss": round(loss.item(), 4),
                    "seconds": round(time.time() - started, 1),
                    "device": where,
                    **scores,
                }
                write_record(log, record)
                if scores["selection"] > best:
                    best = scores["selection"]
                    save_atomically(
                        {
                            "net": net.state_dict(),
                            "step": step,
                            "scores": scores,
                            "groups_per_batch": args.groups_per_batch,
                            "device": where,
                        },
                        cache / "best.pt",
                    )
            if step % args.save_every == 0 or last:
                state = {
                    "net": net.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(),
                    "rng": torch.get_rng_state(),
                    "step": step,
                    "best": best,
                    "plan": plan,
                }
                save_atomically(state, checkpoint)
                failpoints.reached("after-checkpoint")  # the resume test kills a run here
            if last:
                break
    bar.close()
    print(f"done: {step} steps, best held-out selection score {best}", flush=True)


def evaluate(args: argparse.Namespace) -> None:
    import torch

    held = Groups(Path(args.cache) / "heldout.npz")
    net = load_net(Path(args.model))
    if args.checkpoint:
        net.load_state_dict(torch.load(args.checkpoint, map_location="cpu", weights_only=False)["net"])
    for shared in (False, True):
        print(
            "shared" if shared else "per-window",
            json.dumps(evaluate_groups(net, held, args.eval_limit, shared)),
            flush=True,
        )


def export(args: argparse.Namespace) -> None:
    """The best checkpoint into `--output` when its held-out selection score beats the shipped
    model's (per-window scoring, as it was trained); the stage recorded in reader.json."""
    import shutil

    import torch

    cache = Path(args.cache)
    state = torch.load(cache / "best.pt", map_location="cpu", weights_only=False)
    held = Groups(cache / "heldout.npz")
    meta = json.loads((Path(args.init) / "reader.json").read_text(encoding="utf-8"))
    # the shipped model scored the way it was trained (a stage-1 model per window)
    shipped = evaluate_groups(
        load_net(Path(args.init)), held, args.eval_limit, shared=meta.get("normalisation") == "shared"
    )
    print("shipped:", json.dumps(shipped), "\nnew:", json.dumps(state["scores"]), flush=True)
    if state["scores"]["selection"] <= shipped["selection"] and not args.force:
        print("the new model does not beat the shipped one on held-out groups: not exported", flush=True)
        return
    net = load_net(Path(args.init))
    net.load_state_dict(state["net"])
    settings_file = cache / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8")) if settings_file.exists() else {}
    seconds = training_seconds(read_log(cache / "train.log"))
    stages = meta.get("stages") or [
        {"stage": 1, "what": "SQuAD v1.1 train, per-window loss", **meta.get("training", {})}
    ]
    stages.append(
        {
            "stage": len(stages) + 1,
            "what": "shared normalisation over the product's top passages, answer-removed and swapped-question negatives",
            "steps": state["step"],
            "groups_per_batch": state.get("groups_per_batch", GROUPS_PER_BATCH),
            "device": state.get("device", "CPU"),
            "passages": settings.get("passages", PASSAGES),
            "groups": settings,
            "learning_rate": args.lr,
            "hours": round(seconds / 3600, 2),
            "heldout_groups": state["scores"],
            "heldout_groups_before": shipped,
        }
    )
    meta.update({"normalisation": "shared", "stages": stages, "step": state["step"]})
    output = Path(args.output)
    staging = output.with_name(output.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    save_reader(net, staging, meta)
    for name in (
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "vocab.txt",
        "README.md",
    ):
        if (Path(args.init) / name).exists():
            shutil.copy(Path(args.init) / name, staging / name)
    if output.exists():
        shutil.rmtree(output)
    os.replace(staging, output)
    print(f"exported step {state['step']} to {output}", flush=True)


def main() -> None:

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("--init", default=str(DEFAULT_READER), help="the model to start from (and to beat)")
    parser.add_argument("--eval-limit", type=int, default=600, help="held-out groups read per evaluation")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--squad", default=str(SQUAD))
    p.add_argument("--questions", type=int, default=8000, help="training questions to make groups of")
    p.add_argument("--heldout", type=int, default=400)
    p.add_argument("--articles", type=int, default=120, help="training articles to index and ask about")
    p.add_argument("--seed", type=int, default=SEED, help="which questions: another seed, other questions")
    p.add_argument("--passages", type=int, default=PASSAGES, help="retrieved passages read per question")
    p.add_argument("--removed-share", type=float, default=REMOVED_SHARE)
    p.add_argument("--swapped-share", type=float, default=SWAPPED_SHARE)
    p.add_argument(
        "--paraphrased-share", type=float, default=0.0, help="questions tried in other words (paraphrase.py)"
    )
    t = sub.add_parser("train")
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--steps", type=int, default=0, help="stop here, the learning rate reaching zero")
    t.add_argument("--lr", type=float, default=3e-5)
    t.add_argument("--groups-per-batch", type=int, default=GROUPS_PER_BATCH)
    t.add_argument(
        "--seconds", type=float, default=0, help="end within this time (the schedule fitted to it)"
    )
    t.add_argument("--threads", type=int, default=0)
    t.add_argument(
        "--freeze-embeddings",
        action="store_true",
        help="keep the embeddings (and the judge on them) as they are",
    )
    t.add_argument("--eval-every", type=int, default=250)
    t.add_argument("--save-every", type=int, default=50)
    t.add_argument("--resume", action="store_true")
    t.add_argument("--quiet", action="store_true")
    e = sub.add_parser("evaluate")
    e.add_argument("--model", default=str(DEFAULT_READER))
    e.add_argument("--checkpoint", default="")
    x = sub.add_parser("export")
    x.add_argument("--output", default=str(DEFAULT_READER))
    x.add_argument("--lr", type=float, default=3e-5)
    x.add_argument("--force", action="store_true")
    args = parser.parse_args()
    {"prepare": prepare, "train": train, "evaluate": evaluate, "export": export}[args.command](args)


if __name__ == "__main__":
    main()
