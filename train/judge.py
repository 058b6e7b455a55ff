"""Train the sentence judge: does this sentence answer this question? (QNLI-style pairs
made from SQuAD v1.1 train.) The reader answers plausible questions whose answer is gone
from a neighbouring sentence of the same topic and names; the judge is trained on exactly
that: each question with the sentence holding its answer (yes) and the sentences of the
same paragraph that do not hold it, the most alike first (no).

    python train/judge.py prepare [--questions 60000] [--negatives 2]
    python train/judge.py mine [--questions 12000]
    python train/judge.py train [--steps 2000] [--batch 32] [--lr 3e-5] [--seconds 0]
    python train/judge.py evaluate [--checkpoint last]
    python train/judge.py collect [--rounds 2] [--n 300] [--left-out 300]
    python train/judge.py export [--checkpoint best]
    python train/judge.py calibrate [--more-refused-answerable 0.03]

The encoder starts from the shipped reader's; its embeddings stay frozen and are not
saved again (the judge loads them from the reader, whose fingerprint it records), so the
judge adds only its transformer layers and head. `train` checkpoints every `--every` steps
(atomically) and resumes from the last checkpoint; the batches of a step depend only on the
seed and the step, so a resumed run sees what an uninterrupted one would have. Held-out
pairs come from the 20 held-out training articles (`squad.split_articles`); SQuAD
development data is never used here.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "train"))

import squad as base  # noqa: E402
from checkpoints import read_log, save_atomically, training_seconds, write_record  # noqa: E402

from qa import failpoints  # noqa: E402
from qa.answering.judge import JUDGE_FOLDER, weights_digest  # noqa: E402
from qa.answering.judge_net import MAX_TOKENS, JudgeNet, save_judge  # noqa: E402
from qa.answering.reader import DEFAULT_READER  # noqa: E402
from qa.answering.windows import WEIGHTS  # noqa: E402
from qa.eval.metrics import contains_answer  # noqa: E402
from qa.ingest.sentences import split_sentences  # noqa: E402
from qa.store.keyword import content_stems  # noqa: E402

SEED = 29
RECIPE = (
    "run1: SQuAD v1.1 train (422 articles), each question with the sentence holding its answer and "
    "the two most alike sentences of its paragraph that do not (172k pairs), lr 3e-5, its best "
    "held-out checkpoint (step 1,250) kept; run2, from it: those pairs with the pairs `mine` made "
    "(the reader's chosen sentence for 12,000 questions, paragraph whole and answer cut out; 23k "
    "pairs, repeated four times: about a third of each batch), 1,500 steps, lr 2e-5, its last step"
)


def pairs_of(article: dict[str, Any], negatives: int, rng: random.Random) -> list[dict[str, Any]]:
    """(question, sentence, label) pairs of one SQuAD article: per question the sentence
    holding its answer and up to `negatives` others of its paragraph without the answer,
    those sharing most of the question's content words first."""
    pairs = []
    for paragraph in article["paragraphs"]:
        text = paragraph["context"]
        bounds = [(s.start, s.end) for s in split_sentences(text)]
        sentences = [text[s:e] for s, e in bounds]
        stems = [content_stems(s) for s in sentences]
        for qa in paragraph["qas"]:
            answers = [a["text"] for a in qa["answers"]]
            at = qa["answers"][0]["answer_start"]
            gold = next((k for k, (s, e) in enumerate(bounds) if s <= at < e), None)
            if gold is None or not contains_answer(sentences[gold], answers):
                continue  # an answer across a sentence boundary: no clean positive
            asked = content_stems(qa["question"])
            others = [
                k for k in range(len(sentences)) if k != gold and not contains_answer(sentences[k], answers)
            ]
            rng.shuffle(others)
            others.sort(key=lambda k: -len(stems[k] & asked))
            pairs.append({"question": qa["question"], "sentence": sentences[gold], "label": 1})
            for k in others[:negatives]:
                pairs.append({"question": qa["question"], "sentence": sentences[k], "label": 0})
    return pairs


def reader_of(args: argparse.Namespace) -> str:
    """The fingerprint of the reader weights `--reader` names (what pairs, checkpoints and
    the exported judge are tied to), read once a run."""
    return _digest(args.reader / WEIGHTS)


@functools.lru_cache(maxsize=4)
def _digest(path: Path) -> str:
    return weights_digest(path)


def stamp_of(cache: Path, name: str) -> dict[str, Any]:
    """What `name`.jsonl in `cache` was made with (`write_pairs`); {} where it has no stamp."""
    meta = cache / f"{name}.json"
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}


def made_with(cache: Path, name: str, stamp: dict[str, Any]) -> bool:
    """Whether `name`.jsonl in `cache` was written whole with `stamp` (the arguments and
    the reader it was made with): then a rerun of `make judge` keeps it."""
    # no stamp reads {} (`stamp_of`), which no real stamp equals
    return (cache / f"{name}.jsonl").exists() and bool(stamp) and stamp_of(cache, name) == stamp


def write_pairs(cache: Path, name: str, rows: list[dict[str, Any]], stamp: dict[str, Any]) -> None:
    """`rows` into `name`.jsonl, then its stamp (`made_with`): a run killed while writing
    leaves no stamp, so the file is made again."""
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"{name}.json").unlink(missing_ok=True)
    with (cache / f"{name}.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    (cache / f"{name}.json").write_text(json.dumps(stamp) + "\n", encoding="utf-8")


def require_reader(what: str, made_from: str | None, args: argparse.Namespace) -> None:
    """Stop when `what` was made from other reader weights than `--reader`'s: the judge
    reads the reader's embeddings, and mined pairs are that reader's choices."""
    reader = reader_of(args)
    if made_from is None:
        sys.exit(
            f"{what} does not say which reader weights it was made from (it is older than "
            f"that record): make it again from {args.reader} (a new --run, or mine/collect again)"
        )
    if made_from != reader:
        sys.exit(
            f"{what} was made from other reader weights ({made_from}) than {args.reader} "
            f"({reader}): make it again (a new --run, or mine/collect again)"
        )


def prepare(args: argparse.Namespace) -> None:
    stamp = {"questions": args.questions, "negatives": args.negatives, "seed": SEED}
    if made_with(args.cache, "train", stamp) and made_with(args.cache, "heldout", stamp):
        print(f"kept the pairs in {args.cache} (made with {stamp})", flush=True)
        return
    data = base.load_squad(base.SQUAD)
    train, held = base.split_articles(data)
    rng = random.Random(SEED)
    args.cache.mkdir(parents=True, exist_ok=True)
    for name, articles in (("train", train), ("heldout", held)):
        pairs = [p for a in articles for p in pairs_of(a, args.negatives, rng)]
        if name == "train":  # whole questions kept together, then cut to --questions
            questions = sorted({p["question"] for p in pairs})
            rng.shuffle(questions)
            keep = set(questions[: args.questions])
            pairs = [p for p in pairs if p["question"] in keep]
            rng.shuffle(pairs)
        write_pairs(args.cache, name, pairs, stamp)
        positives = sum(p["label"] for p in pairs)
        print(f"{name}: {len(pairs)} pairs, {positives} answering", flush=True)


def mine(args: argparse.Namespace) -> None:
    """Pairs the way the product meets them: the shipped reader reads `--questions` questions
    of the training articles twice, with their paragraph whole and with every sentence
    holding the answer cut out, and the sentence of its best span is paired with the
    question (answering when it holds the answer). Cut out, that is the neighbour the
    reader answers a plausible question from when the articles never said it."""
    from qa.answering.reader import Reader
    from qa.answering.windows import PassageInput
    from qa.config import ModelSettings

    stamp = {"questions": args.questions, "reader_weights": reader_of(args)}
    if made_with(args.cache, "mined", stamp):
        print(f"kept the mined pairs in {args.cache} (made with {stamp})", flush=True)
        return
    reader = Reader.load(ModelSettings(reader=str(args.reader), judge=False))
    if reader is None:
        sys.exit(f"no reader in {args.reader}")
    data = base.load_squad(base.SQUAD)
    train, _ = base.split_articles(data)
    items = [(p["context"], qa) for a in train for p in a["paragraphs"] for qa in p["qas"]]
    random.Random(SEED + 1).shuffle(items)
    pairs = []
    for text, qa in items[: args.questions]:
        answers = [a["text"] for a in qa["answers"]]
        sentences = [(s.start, s.end) for s in split_sentences(text)]
        kept = [(s, e) for s, e in sentences if not contains_answer(text[s:e], answers)]
        if len(kept) == len(sentences) or not kept:
            continue  # the answer in no whole sentence, or in every one
        cut = " ".join(text[s:e] for s, e in kept)
        for passage, kind in ((text, "intact"), (cut, "gone")):
            segments = tuple((s.start, s.end) for s in split_sentences(passage))
            reading = reader.read(qa["question"], [PassageInput(passage, segments)])
            if not reading.spans:
                continue
            start, end = segments[reading.spans[0].segment]
            sentence = passage[start:end]
            label = int(kind == "intact" and bool(contains_answer(sentence, answers)))
            pairs.append({"question": qa["question"], "sentence": sentence, "label": label, "kind": kind})
    write_pairs(args.cache, "mined", pairs, stamp)
    print(f"mined: {len(pairs)} pairs, {sum(p['label'] for p in pairs)} answering", flush=True)


def load_pairs(cache: Path, name: str) -> list[dict[str, Any]]:
    path = cache / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def tokenizer(reader: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(reader))


def encode(tok: Any, pairs: list[dict[str, Any]]) -> dict[str, Any]:
    return tok(
        [p["question"] for p in pairs],
        [p["sentence"] for p in pairs],
        truncation="longest_first",
        max_length=MAX_TOKENS,
        padding=True,
        return_tensors="pt",
    )


def batch_for(pairs: list[dict[str, Any]], step: int, size: int) -> list[dict[str, Any]]:
    """The pairs of `step`: each pass over the data in its own seeded order."""
    per_epoch = max(1, len(pairs) // size)
    epoch, at = divmod(step, per_epoch)
    order = list(range(len(pairs)))
    random.Random(SEED + epoch).shuffle(order)
    return [pairs[i] for i in order[at * size : (at + 1) * size]]


def scores(net: Any, tok: Any, pairs: list[dict[str, Any]], size: int = 128) -> list[float]:
    import torch
    from device import autocast, training_device

    device = training_device()
    net.eval()
    out: list[float] = []
    with torch.no_grad(), autocast(device):
        for k in range(0, len(pairs), size):
            batch = {n: t.to(device) for n, t in encode(tok, pairs[k : k + size]).items()}
            out.extend(net(**batch).float().cpu().tolist())
    net.train()
    return out


def auc(scored: list[float], labels: list[int]) -> float:
    """The chance that an answering pair scores above one that does not (ties count half)."""
    ranked = sorted(zip(scored, labels, strict=True))
    positives = sum(labels)
    negatives = len(labels) - positives
    below = seen_negatives = 0.0
    k = 0
    while k < len(ranked):
        j = k
        while j < len(ranked) and ranked[j][0] == ranked[k][0]:
            j += 1
        tied_pos = sum(label for _, label in ranked[k:j])
        tied_neg = (j - k) - tied_pos
        below += tied_pos * (seen_negatives + tied_neg / 2)
        seen_negatives += tied_neg
        k = j
    return below / max(positives * negatives, 1)


def held_out_record(net: Any, tok: Any, held: list[dict[str, Any]]) -> dict[str, float]:
    scored = scores(net, tok, held)
    labels = [p["label"] for p in held]
    right = sum((s > 0) == bool(y) for s, y in zip(scored, labels, strict=True))
    return {"auc": round(auc(scored, labels), 4), "accuracy": round(right / len(held), 4)}


def train(args: argparse.Namespace) -> None:
    import torch
    from device import autocast, training_device

    device = training_device()
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    out = args.cache / args.run
    out.mkdir(parents=True, exist_ok=True)
    reader = reader_of(args)
    for name in set(args.data.split(",")):
        if "reader_weights" in (stamp := stamp_of(args.cache, name)):
            require_reader(f"{args.cache / name}.jsonl", stamp["reader_weights"], args)
    pairs = [p for name in args.data.split(",") for p in load_pairs(args.cache, name)]
    random.Random(SEED).shuffle(pairs)
    held = load_pairs(args.cache, "heldout")[:: args.held_out_every]
    tok = tokenizer(args.reader)
    net = JudgeNet.from_reader(args.reader).to(device)
    if args.init:  # a later stage starts from an earlier one's weights
        init = torch.load(args.init, map_location=device, weights_only=False)
        require_reader(str(args.init), init.get("reader_weights"), args)
        net.load_state_dict(init["net"])
    trained = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.01)
    warmup = max(1, args.steps // 20)

    def rate(step: int) -> float:
        return min((step + 1) / warmup, max(0.0, (args.steps - step) / max(1, args.steps - warmup)))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    step, best = 0, -1.0
    last = out / "last.pt"
    if last.exists():
        state = torch.load(last, map_location=device, weights_only=False)
        require_reader(str(last), state.get("reader_weights"), args)
        net.load_state_dict(state["net"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        step, best = state["step"], state["best"]
        torch.set_rng_state(state["rng"].cpu())
        if device.type == "cuda" and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(state["cuda_rng"].cpu())
        print(f"resumed at step {step}", flush=True)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started = time.time()
    with (out / "log.jsonl").open("a", encoding="utf-8") as log:
        running = 0.0
        end = min(args.steps, args.stop_at or args.steps)  # --stop-at keeps the schedule of --steps
        while step < end:
            chosen = batch_for(pairs, step, args.batch)
            batch = {n: t.to(device) for n, t in encode(tok, chosen).items()}
            labels = torch.tensor([float(p["label"]) for p in chosen], device=device)
            with autocast(device):
                logits = net(**batch)
            loss = loss_fn(logits.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            running += loss.item()
            if step % args.every == 0 or step == end:
                record: dict[str, Any] = {
                    "step": step,
                    "loss": round(running / args.every, 4),
                    "lr": schedule.get_last_lr()[0],
                    "seconds": round(time.time() - started, 1),
                }
                running = 0.0
                record.update(held_out_record(net, tok, held))
                state = {
                    "net": net.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(),
                    "step": step,
                    "best": max(best, record["auc"]),
                    "rng": torch.get_rng_state(),
                    "cuda_rng": torch.cuda.get_rng_state() if device.type == "cuda" else None,
                    "reader_weights": reader,
                }
                if record["auc"] > best:
                    best = record["auc"]
                    save_atomically(
                        {"net": net.state_dict(), "step": step, "record": record, "reader_weights": reader},
                        out / "best.pt",
                    )
                save_atomically(state, last)
                write_record(log, record)
                failpoints.reached("after-checkpoint")  # the resume test kills a run here
            if args.seconds and time.time() - started > args.seconds:
                print(f"time is up at step {step}", flush=True)
                break
    print(f"done: {step} steps, best held-out AUC {best}", flush=True)


def checkpoint(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The judge of `--run`'s `--checkpoint` on the embeddings of `--reader` (which must be
    the reader it was trained from), and the checkpoint."""
    import torch

    path = args.cache / args.run / f"{args.checkpoint}.pt"
    state = torch.load(path, map_location="cpu", weights_only=False)
    require_reader(str(path), state.get("reader_weights"), args)
    net = JudgeNet.from_reader(args.reader)
    net.load_state_dict(state["net"])
    return net, state


def evaluate(args: argparse.Namespace) -> None:
    net, _ = checkpoint(args)
    print(json.dumps(held_out_record(net, tokenizer(args.reader), load_pairs(args.cache, "heldout"))))


def export(args: argparse.Namespace) -> None:
    net, state = checkpoint(args)
    record = held_out_record(net, tokenizer(args.reader), load_pairs(args.cache, "heldout"))
    stages = []
    for run in args.runs.split(","):
        log = read_log(args.cache / run / "log.jsonl")
        stages.append({"run": run, "steps": log[-1]["step"], "seconds": round(training_seconds(log))})
    meta = {
        "trained": {
            "recipe": RECIPE,
            "stages": stages,
            "exported": f"{args.run}/{args.checkpoint}.pt, step {state['step']}",
            "batch": args.batch,
        },
        "held_out": record,
    }
    out = args.out or args.reader / JUDGE_FOLDER
    save_judge(net, out, args.reader, meta)
    write_card(out)
    print(json.dumps(meta, indent=2))


def ask(qa: Any, questions: list[Any], kind: str) -> list[dict[str, Any]]:
    """What the product says to each of `questions` without a judge (refused or not) and,
    where it answers, what the judge would read for the sentence it cites
    (`ReaderAnswerer.judge_readings`: the sentence, with the one before where it leans on
    it; none for a question the judge does not judge); and with nothing refused, the
    sentence the reader would cite."""
    from qa.answering.reader_answerer import ReaderAnswerer
    from qa.eval.metrics import exact_match

    class Recording(ReaderAnswerer):
        """Records the sentence and the judge's readings where the judge would be asked."""

        seen: tuple[str, list[str], float] | None = None

        def doubted(self, question: str, choice: Any, confidence: float) -> bool:
            text = choice.passage.hit.article.text
            sentence = text[choice.sentence_start : choice.sentence_end]
            self.seen = (sentence, self.judge_readings(question, choice), confidence)
            return False

    class Never(Recording):
        def unsupported(self, question: str, choice: Any, confidence: float) -> bool:
            return False

    product = Recording(qa.reader, None, qa.idf)
    never = Never(qa.reader, 1e-9, qa.idf)
    rows = []
    for question in questions:
        retrieval = qa.index.retrieve(question.question, qa.settings.top_k)
        product.seen = never.seen = None
        said = product.answer(question.question, retrieval)
        draft = never.answer(question.question, retrieval)
        sentence = never.seen[0] if never.seen else ""
        answers = list(question.answers)
        rows.append(
            {
                "id": question.id,
                "kind": kind,
                "answerable": kind in ("intact", "open"),
                "question": question.question,
                "refused": said.abstained,
                # what `doubted` weighs where the product answers
                "readings": product.seen[1] if product.seen and not said.abstained else [],
                "judged_confidence": product.seen[2] if product.seen else draft.confidence,
                "confidence": draft.confidence,
                "sentence": sentence,
                "support": product.sentence_support(question.question, sentence) if sentence else 0.0,
                "em": exact_match(draft.short_answer or "", answers) if answers else 0.0,
                "cited": bool(answers) and bool(contains_answer(sentence, answers)),
            }
        )
    return rows


def collect(args: argparse.Namespace) -> None:
    """Ask the held-out articles' questions through the product: answer gone (rounds of
    `--n` questions whose answer sentences are cut out, with `--n` intact), and left out
    (whole articles left out of the index, with questions of the other articles)."""
    from calibrate import HELDOUT, write_heldout

    from qa.config import ModelSettings, Settings
    from qa.eval.evaluation import answer_gone_index, cached_index, load_questions, make_unanswerable
    from qa.pipeline import QA

    if not (HELDOUT / "questions.jsonl").exists():
        write_heldout()
    # the product as it answers with `--reader`, without a judge (calibrate adds one)
    settings = Settings(models=ModelSettings(reader=str(args.reader), judge=False))
    pool = load_questions(HELDOUT / "questions.jsonl")
    rows: list[dict[str, Any]] = []
    for round_ in range(args.rounds):
        gone, intact, index = answer_gone_index(
            HELDOUT / "articles.jsonl", pool, args.n, 100 + round_, settings
        )
        qa = QA(index, settings)
        rows += ask(qa, gone, "gone") + ask(qa, intact, "intact")
        print(f"round {round_}: {len(gone)} gone, {len(intact)} intact", flush=True)
    shuffled = random.Random(7).sample(pool, len(pool))
    drawn, excluded = make_unanswerable(shuffled, args.left_out, 7)
    closed, _ = cached_index(HELDOUT / "articles.jsonl", excluded, settings)
    qa = QA(closed, settings)
    left_out = [q for q in drawn if not q.answerable][: args.left_out]
    others = [q for q in drawn if q.answerable][: args.left_out]
    rows += ask(qa, left_out, "left_out") + ask(qa, others, "open")
    stamp = {"rounds": args.rounds, "n": args.n, "left_out": args.left_out, "reader_weights": reader_of(args)}
    write_pairs(args.cache, "asked", rows, stamp)
    print(f"{len(rows)} questions -> {args.cache / 'asked.jsonl'}", flush=True)


def write_card(folder: Path) -> None:
    """The judge's model card (README.md) from its judge.json."""
    meta = json.loads((folder / "judge.json").read_text(encoding="utf-8"))
    trained, held = meta.get("trained", {}), meta.get("held_out", {})
    lines = [
        "# Sentence judge",
        "",
        "Does this sentence answer this question? A (question, sentence) cross-encoder on the",
        "reader's encoder (its embeddings shared and frozen, so only the 6 transformer layers and",
        "the head are stored here, in fp16). The reader cites one sentence for its answer; where",
        "the reader's answerability log-odds plus the judge's logit for that sentence fall under",
        "`refuse_below`, the answer is refused: the reader answers plausible questions whose",
        "answer is not in the articles from a neighbouring sentence of the same topic and names.",
        "",
        "Made by `make judge` (`train/judge.py`); see `train/STAGES.md`.",
        "",
        "## Training",
        "",
        f"- Recipe: {trained.get('recipe', '?')}.",
        *(
            f"- {stage['run']}: {stage['steps']} steps of {trained.get('batch', '?')} pairs, "
            f"{stage['seconds']} s on this machine's 2 CPU cores (bf16 autocast)."
            for stage in trained.get("stages", [])
        ),
        f"- Exported: {trained.get('exported', '?')}.",
        f"- Held-out pairs (the 20 held-out training articles): AUC {held.get('auc', '?')}, "
        f"accuracy {held.get('accuracy', '?')}.",
    ]
    calibration = meta.get("calibration")
    if calibration:
        before, after = calibration["refused_without_judge"], calibration["refused_with_judge"]
        lines += [
            "",
            "## Calibration",
            "",
            "The cut was chosen on what serving judges: the sentence the product's answer cites,",
            "with the one before where it leans on it (the likelier reading counts); questions about",
            "what an article reports are not judged (`ReaderAnswerer.judge_readings`).",
            "",
            f"`refuse_below` = {meta['refuse_below']}: {calibration['data']}; at most "
            f"{calibration['more_refused_answerable']} more of the answerable questions refused.",
            "",
            "| refused | without the judge | with it |",
            "| --- | --- | --- |",
            *(f"| {k.replace('_', ' ')} | {before[k]} | {after[k]} |" for k in before),
        ]
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def refusal_shares(rows: list[dict[str, Any]], refused: list[bool]) -> dict[str, float]:
    """The share refused of each kind of question asked (`collect`), of all answerable ones,
    and of the answerable ones whose cited sentence held the answer."""
    shares = {}
    groups = {
        "answer_gone": lambda r: r["kind"] == "gone",
        "left_out": lambda r: r["kind"] == "left_out",
        "answerable": lambda r: r["answerable"],
        "answerable_cited_right": lambda r: r["answerable"] and r["cited"],
    }
    for name, member in groups.items():
        picked = [f for f, r in zip(refused, rows, strict=True) if member(r)]
        shares[name] = round(sum(picked) / max(len(picked), 1), 4)
    return shares


def calibrate(args: argparse.Namespace) -> None:
    """Choose the judge's `refuse_below` on the questions `collect` asked (the cut under
    which the reader's answerability log-odds plus the judge's logit refuse): the highest cut
    refusing at most `--more-refused-answerable` more of the answerable questions than the
    product already does; written into the judge's judge.json with what it refuses."""
    from qa.answering.judge import Judge
    from qa.config import default_cache_dir

    require_reader(f"{args.cache / 'asked.jsonl'}", stamp_of(args.cache, "asked").get("reader_weights"), args)
    rows = load_pairs(args.cache, "asked")
    judge = Judge.beside(args.reader, default_cache_dir())
    if judge is None:
        sys.exit(f"no judge in {args.reader}: run export first")
    from qa.answering.reader_answerer import log_odds

    # the evidence `ReaderAnswerer.doubted` weighs: the reader's log-odds plus the judge's
    # best logit for the readings of the sentence it would cite (none: not judged)
    if any("readings" not in r for r in rows):
        sys.exit(f"{args.cache / 'asked.jsonl'} is from an older collect: run collect again")
    logits = [
        log_odds(r["judged_confidence"]) + max(judge.logits(r["question"], r["readings"]))
        if r["readings"]
        else math.inf
        for r in rows
    ]
    product = [bool(r["refused"]) for r in rows]
    before = refusal_shares(rows, product)
    budget = before["answerable"] + args.more_refused_answerable
    chosen, after = -99.0, before
    for cut in sorted({x for x in logits if math.isfinite(x)}):
        shares = refusal_shares(rows, [p or x < cut for p, x in zip(product, logits, strict=True)])
        if shares["answerable"] > budget:
            break
        chosen, after = cut, shares
    meta_path = args.reader / JUDGE_FOLDER / "judge.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["refuse_below"] = round(chosen, 3)
    meta.pop("refuse_below_calibrated_with", None)  # calibrated with this reader now
    meta["calibration"] = {
        "data": "the 20 held-out SQuAD training articles through the product (train/judge.py collect): "
        f"{sum(r['kind'] == 'gone' for r in rows)} questions whose answer sentences were cut out, "
        f"{sum(r['kind'] == 'left_out' for r in rows)} whose article was left out, "
        f"{sum(r['answerable'] for r in rows)} answerable",
        "more_refused_answerable": args.more_refused_answerable,
        "refused_without_judge": before,
        "refused_with_judge": after,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    write_card(meta_path.parent)
    print(json.dumps(meta["calibration"], indent=2))


def restamp(args: argparse.Namespace) -> None:
    """Put the judge beside a reader retrained with its embeddings frozen (`sharednorm.py train
    --freeze-embeddings`): the judge reads nothing of the reader but its embeddings, so its
    network is the same there. Its refusal cut (`refuse_below`) was calibrated with the old
    reader's answerability and is kept, marked so: run `collect` and `calibrate` with the new
    reader before shipping it. Refused (exit 3), naming the first tensor, where any embedding
    differs; refused where the two folders are one."""
    import shutil

    import torch
    from safetensors.torch import load_file

    from qa.answering.judge_net import EMBEDDINGS

    trained_on, new = Path(args.reader), Path(args.to)
    if trained_on.resolve() == new.resolve():
        raise SystemExit(f"{new} is the judge's own reader: nothing to move")
    meta = json.loads((trained_on / JUDGE_FOLDER / "judge.json").read_text(encoding="utf-8"))
    digest = weights_digest(trained_on / WEIGHTS)
    if meta.get("reader_weights") != digest:
        raise SystemExit(f"the judge beside {trained_on} was not trained on that reader")
    old_state, new_state = load_file(str(trained_on / WEIGHTS)), load_file(str(new / WEIGHTS))
    embeddings = sorted(n for n in old_state if n.startswith("bert." + EMBEDDINGS))
    if not embeddings:
        raise SystemExit(f"{trained_on / WEIGHTS} holds no embeddings to compare")
    for name in embeddings:
        if name not in new_state or not torch.equal(old_state[name], new_state[name]):
            print(
                f"{new / WEIGHTS}: {name} differs from the judge's reader: retrain the judge", file=sys.stderr
            )
            raise SystemExit(3)
    target = new / JUDGE_FOLDER
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(trained_on / JUDGE_FOLDER, target)
    meta["reader_weights"] = weights_digest(new / WEIGHTS)
    meta["embeddings_of"] = meta.get("embeddings_of") or digest
    meta["refuse_below_calibrated_with"] = meta.get("refuse_below_calibrated_with") or meta["embeddings_of"]
    (target / "judge.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(
        f"the judge of {trained_on} now stands beside {new} (same embeddings); its refusal cut was "
        f"calibrated with the old reader: `judge.py --reader {new} collect` and `calibrate` before shipping"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=base.CACHE / "judge", help="pairs and runs")
    parser.add_argument(
        "--reader", type=Path, default=DEFAULT_READER, help="the reader whose encoder starts it"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--questions", type=int, default=60000)
    p.add_argument("--negatives", type=int, default=2)
    m = sub.add_parser("mine")
    m.add_argument("--questions", type=int, default=12000)
    c = sub.add_parser("collect")
    c.add_argument("--rounds", type=int, default=2)
    c.add_argument("--n", type=int, default=300)
    c.add_argument("--left-out", type=int, default=300)
    t = sub.add_parser("train")
    t.add_argument("--run", default="run1")
    t.add_argument("--data", default="train", help="the pair files to train on, comma-separated")
    t.add_argument("--init", type=Path, default=None, help="a checkpoint to start from")
    t.add_argument("--steps", type=int, default=2000)
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--lr", type=float, default=3e-5)
    t.add_argument("--every", type=int, default=200)
    t.add_argument("--held-out-every", type=int, default=3, help="every n-th held-out pair judged")
    t.add_argument("--seconds", type=float, default=0, help="stop after this long (resume later)")
    t.add_argument(
        "--stop-at", type=int, default=0, help="stop at this step, the schedule still planned to --steps"
    )
    t.add_argument("--threads", type=int, default=2)
    e = sub.add_parser("evaluate")
    e.add_argument("--run", default="run1")
    e.add_argument("--checkpoint", default="best")
    k = sub.add_parser("calibrate")
    k.add_argument("--more-refused-answerable", type=float, default=0.03)
    x = sub.add_parser("export")
    x.add_argument("--run", default="run2")
    x.add_argument("--checkpoint", default="last")
    x.add_argument("--runs", default="run1,run2", help="the stages whose logs the card reports")
    x.add_argument("--batch", type=int, default=32)
    x.add_argument("--out", type=Path, default=None, help="default: the judge folder beside --reader")
    r = sub.add_parser("restamp")
    r.add_argument("to", help="a reader trained from --reader with its embeddings frozen")
    args = parser.parse_args()
    {
        "prepare": prepare,
        "mine": mine,
        "collect": collect,
        "calibrate": calibrate,
        "train": train,
        "evaluate": evaluate,
        "export": export,
        "restamp": restamp,
    }[args.command](args)


if __name__ == "__main__":
    main()
