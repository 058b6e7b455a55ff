"""Reader stage 2: shared normalisation across the passages the product retrieves, with
plausible-but-unanswerable questions (Clark & Gardner 2018, "Simple and Effective
Multi-Paragraph Reading Comprehension").

    python train/sharednorm.py prepare    # groups: a question + the k passages the product retrieves
    python train/sharednorm.py train      # warm-started from qa/models/reader; checkpoints; --resume
    python train/sharednorm.py evaluate   # held-out groups: cross-passage EM/F1, refusals
    python train/sharednorm.py export     # the best checkpoint -> qa/models/reader, if it beats the shipped one

Each training question is read together with the passages the product's own retrieval
returns for it over the SQuAD v1.1 training articles (windows cut by the product's own
`qa.answering.windows.cut_windows`, so training and serving cannot drift), and the start/end softmax runs
over every token of every passage at once, each window's first token standing for "no answer".
So scores compare across passages, which is what the product does with them. Three kinds of
group: answerable (an answer occurrence in some passage is the target), the same passages
with the answer's sentences cut out, and the question with a number, year or name swapped for
one no passage mentions (both: every "no answer" position is the target); see `negatives.py`.
The answerability head keeps its per-window binary loss. SQuAD development data is never read.
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

import negatives  # noqa: E402
import reader as base  # noqa: E402  train/reader.py: the SQuAD split, the retrieval index

from qa import failpoints  # noqa: E402
from qa.answering.reader import DEFAULT_READER, PassageInput, Reader, decode_windows  # noqa: E402
from qa.answering.reader_answerer import passage_inputs  # noqa: E402
from qa.answering.reader_net import WEIGHTS, ReaderNet, save_reader  # noqa: E402
from qa.eval.metrics import exact_match, token_f1  # noqa: E402

CACHE = base.CACHE / "sharednorm"
SEED = 17
GROUPS_PER_BATCH = 8  # about 24 windows
# what `prepare` makes, each an option (a later stage asks other questions, with more negatives)
PASSAGES = 3  # passages per question: of the product's top five, the first three (speed)
REMOVED_SHARE = 0.4  # answerable questions also made into an answer-removed group
SWAPPED_SHARE = 0.2  # ... and into a swapped-question group


# ---------------------------------------------------------------------------- groups
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
            self.ids.append(w.ids.astype(np.int32))
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

    counts = {"asked": 0, "answerable": 0, "removed": 0, "swapped": 0, "missed": 0}
    for item in tqdm(questions, desc="groups", mininterval=10):
        counts["asked"] += 1
        question, answers = item["question"], item["answers"]
        passages = index.retrieve(question, k=6).passages[:passages_per_question]
        inputs = passage_inputs(passages)
        windows = cutter(question, inputs)
        targets = answer_targets(windows, inputs, answers[0])
        if not targets:
            counts["missed"] += 1  # retrieval missed it: nothing to learn the span from
            continue
        out.add(windows, targets, 0, {"q": question, "answers": answers})
        counts["answerable"] += 1
        plain = [negatives.Passage(p.text, p.segments) for p in inputs]
        if rng.random() < removed_share:
            cut = negatives.without_answer(plain, answers)
            if cut is not None:
                windows = cutter(question, [PassageInput(p.text, p.segments) for p in cut])
                out.add(windows, [], 1, {"q": question, "answers": answers})
                counts["removed"] += 1
        if rng.random() < swapped_share:
            edited = negatives.swapped(question, plain, articles[item["article"]], rng)
            if edited is not None:
                out.add(
                    cutter(edited, inputs), [], 2, {"q": edited, "original": question, "answers": answers}
                )
                counts["swapped"] += 1
    return counts


def _questions(data: list[dict[str, Any]], id_of: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "question": qa["question"],
            "answers": [a["text"] for a in qa["answers"]],
            "article": id_of[a["title"]],
        }
        for a in data
        for p in a["paragraphs"]
        for qa in p["qas"]
    ]


def prepare(args: argparse.Namespace) -> None:

    Path(args.cache).mkdir(parents=True, exist_ok=True)
    data = base.load_squad(Path(args.squad))
    train, held = base.split_articles(data)
    records = base.article_records(data)
    id_of = {a["title"]: r["id"] for a, r in zip(data, records, strict=True)}
    texts = {r["id"]: r["text"] for r in records}
    # the retrieval index: the held-out articles and `--articles` training articles (the
    # questions come from those; the rest would only add distractors, at ~25 chunks/s)
    indexed = {id_of[a["title"]] for a in held} | {id_of[a["title"]] for a in train[: args.articles]}
    index = base.build_retrieval_index([r for r in records if r["id"] in indexed], Path(args.cache) / "index")
    train = train[: args.articles]
    cutter = Reader(DEFAULT_READER).windows
    settings = {
        "articles": args.articles,
        "questions": args.questions,
        "seed": args.seed,
        "passages": args.passages,
        "removed_share": args.removed_share,
        "swapped_share": args.swapped_share,
    }
    # the held-out groups are the same at every stage (seed and shares fixed), so that stages compare
    for name, split, limit, seed, shares in (
        ("heldout", held, args.heldout, SEED + 1, (REMOVED_SHARE, SWAPPED_SHARE)),
        ("train", train, args.questions, args.seed, (args.removed_share, args.swapped_share)),
    ):
        rng = random.Random(seed)
        questions = _questions(split, id_of)
        rng.shuffle(questions)
        out = GroupWriter()
        counts = make_groups(index, cutter, questions[:limit], texts, rng, out, args.passages, *shares)
        out.save(Path(args.cache) / f"{name}.npz")
        settings[name] = {**counts, "windows": len(out.ids)}
        print(name, counts, f"{len(out.ids)} windows", flush=True)
    (Path(args.cache) / "settings.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")
    index.close()


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
    with base._autocast(device):
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


def batches_for_epoch(groups: Groups, epoch: int) -> list[list[int]]:
    """Shuffled batches of groups of similar length (sorted within pools of 32 batches)."""
    rng = np.random.default_rng(SEED + epoch)
    order = rng.permutation(len(groups))
    longest = np.array([max(groups.lengths[w] for w in groups.windows(g)) for g in range(len(groups))])
    pool = GROUPS_PER_BATCH * 32
    result = []
    for first in range(0, len(order), pool):
        chunk = order[first : first + pool]
        chunk = chunk[np.argsort(longest[chunk], kind="stable")]
        result += [
            list(map(int, chunk[i : i + GROUPS_PER_BATCH])) for i in range(0, len(chunk), GROUPS_PER_BATCH)
        ]
    rng.shuffle(result)  # type: ignore[arg-type]
    return result


def train(args: argparse.Namespace) -> None:
    import torch
    from tqdm import tqdm

    torch.manual_seed(SEED)
    if not torch.cuda.is_available():
        torch.set_num_threads(args.threads or os.cpu_count() or 2)
    cache = Path(args.cache)
    groups = Groups(cache / "train.npz")
    net = load_net(Path(args.init)).to(base._device())  # a GPU where there is one (`device`)
    per_epoch = math.ceil(len(groups) / GROUPS_PER_BATCH)
    total = args.steps or per_epoch * args.epochs
    decay = [p for n, p in net.named_parameters() if not any(k in n for k in ("bias", "LayerNorm"))]
    rest = [p for n, p in net.named_parameters() if any(k in n for k in ("bias", "LayerNorm"))]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=args.lr
    )
    warmup = max(1, int(0.05 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(total - warmup, 1)))
    )
    step, best = 0, -1.0
    checkpoint = cache / "checkpoint.pt"
    if args.resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location=base._device(), weights_only=False)
        net.load_state_dict(state["net"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        torch.set_rng_state(state["rng"].cpu())
        step, best = state["step"], state["best"]
        print(f"resumed at step {step}/{total}", flush=True)
    held = Groups(cache / "heldout.npz") if (cache / "heldout.npz").exists() else None
    log = (cache / "train.log").open("a", encoding="utf-8")
    started = time.time()
    net.train()
    bar = tqdm(total=total, initial=step, desc="shared-norm", mininterval=30, disable=args.quiet)
    while step < total:
        epoch, position = divmod(step, per_epoch)
        for rows in batches_for_epoch(groups, epoch)[position:]:
            batch = groups.batch(rows)
            loss, span, answer = compute_loss(net, batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            bar.update(1)
            bar.set_postfix(
                loss=f"{loss.item():.3f}",
                span=f"{span.item():.3f}",
                ans=f"{answer.item():.3f}",
                refresh=False,
            )
            last = step >= total
            if held is not None and (step % args.eval_every == 0 or last):
                scores = evaluate_net(net, held, args.eval_limit)
                net.train()
                record = {
                    "step": step,
                    "lr": schedule.get_last_lr()[0],
                    "loss": round(loss.item(), 4),
                    "seconds": round(time.time() - started, 1),
                    **scores,
                }
                base.write_record(log, record)
                if scores["selection"] > best:
                    best = scores["selection"]
                    base.save_atomically(
                        {"net": net.state_dict(), "step": step, "scores": scores}, cache / "best.pt"
                    )
            if step % args.save_every == 0 or last:
                state = {
                    "net": net.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(),
                    "rng": torch.get_rng_state(),
                    "step": step,
                    "best": best,
                }
                base.save_atomically(state, checkpoint)
                failpoints.reached("after-checkpoint")  # the resume test kills a run here
            if last:
                break
    bar.close()
    print(f"done: {step} steps, best held-out selection score {best}", flush=True)


# ---------------------------------------------------------------------------- evaluation
def evaluate_net(net: Any, groups: Groups, limit: int, shared: bool = True) -> dict[str, Any]:
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
            with base._autocast(device):
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
                    30,
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
        scores[f"auc_{name}"] = round(base._auc(positive, negative), 4)
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


def evaluate(args: argparse.Namespace) -> None:
    import torch

    held = Groups(Path(args.cache) / "heldout.npz")
    net = load_net(Path(args.model))
    if args.checkpoint:
        net.load_state_dict(torch.load(args.checkpoint, map_location="cpu", weights_only=False)["net"])
    for shared in (False, True):
        print(
            "shared" if shared else "per-window",
            json.dumps(evaluate_net(net, held, args.eval_limit, shared)),
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
    shipped = evaluate_net(
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
    log = [json.loads(x) for x in (cache / "train.log").read_text(encoding="utf-8").splitlines() if x]
    seconds = sum(
        a["seconds"]
        for a, b in zip(log, [*log[1:], {"seconds": 0}], strict=True)
        if b["seconds"] < a["seconds"]
    )
    stages = meta.get("stages") or [
        {"stage": 1, "what": "SQuAD v1.1 train, per-window loss", **meta.get("training", {})}
    ]
    stages.append(
        {
            "stage": len(stages) + 1,
            "what": "shared normalisation over the product's top passages, answer-removed and swapped-question negatives",
            "steps": state["step"],
            "groups_per_batch": GROUPS_PER_BATCH,
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
    p.add_argument("--squad", default=str(base.SQUAD))
    p.add_argument("--questions", type=int, default=8000, help="training questions to make groups of")
    p.add_argument("--heldout", type=int, default=400)
    p.add_argument("--articles", type=int, default=120, help="training articles to index and ask about")
    p.add_argument("--seed", type=int, default=SEED, help="which questions: another seed, other questions")
    p.add_argument("--passages", type=int, default=PASSAGES, help="retrieved passages read per question")
    p.add_argument("--removed-share", type=float, default=REMOVED_SHARE)
    p.add_argument("--swapped-share", type=float, default=SWAPPED_SHARE)
    t = sub.add_parser("train")
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--steps", type=int, default=0, help="stop here, the learning rate reaching zero")
    t.add_argument("--lr", type=float, default=3e-5)
    t.add_argument("--threads", type=int, default=0)
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
