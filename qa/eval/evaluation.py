"""`qa eval`: score retrieval, answers, citations, abstention and latency on any collection
of articles and questions (JSONL), deterministic for a given seed."""

from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qa.answering.citations import answer_problems
from qa.answering.reader_answerer import READ_PASSAGES
from qa.config import Settings
from qa.errors import EvalDataError
from qa.eval.metrics import (
    citation_scores,
    contains_answer,
    exact_match,
    first_rank,
    hit_at,
    percentile,
    reciprocal_rank,
    token_f1,
)
from qa.index import Index
from qa.ingest.articles import iter_articles
from qa.pipeline import QA
from qa.types import Answer, Article, Skipped

RETRIEVAL_DEPTH = 10


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question; only `id` and `question` are required."""

    id: str
    question: str
    answers: tuple[str, ...] = ()
    evidence_ids: tuple[str, ...] = ()
    answerable: bool = True
    history: tuple[str, ...] = ()


@dataclass
class QuestionResult:
    """What happened to one question: the answer and every score of it."""

    id: str
    question: str
    answerable: bool
    answers: list[str]
    evidence_ids: list[str]
    answer: str
    abstained: bool
    score: float
    model: str
    latency_ms: float
    standalone_question: str | None = None
    notice: str | None = None
    contains: float | None = None
    cited_contains: float | None = None
    short_answer: str | None = None
    em: float | None = None
    f1: float | None = None
    rank: int | None = None
    rank_answer: int | None = None
    citations_valid: bool = True
    citation_problems: list[str] = field(default_factory=list)
    citation_recall: float | None = None
    citation_precision: float | None = None
    error: str | None = None  # why a wrong answer is wrong; see `error_kind`


def load_questions(path: str | Path) -> list[EvalQuestion]:
    """Questions from a JSONL file; raises `EvalDataError` naming the line and field."""
    questions = []
    seen: set[str] = set()
    for where, record in jsonl_records(path):
        for name, types in (("id", (str, int)), ("question", str)):
            value = record.get(name)
            if isinstance(value, bool) or not isinstance(value, types) or not str(value).strip():
                raise EvalDataError(f"{where}: field '{name}' is required and must be a string")
        lists = {}
        for name in ("answers", "evidence_ids", "history"):
            value = record.get(name)
            value = [] if value is None else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise EvalDataError(f"{where}: field '{name}' must be a list of strings")
            lists[name] = tuple(value)
        answerable = record.get("answerable", True)
        if not isinstance(answerable, bool):
            raise EvalDataError(f"{where}: field 'answerable' must be true or false")
        question_id = str(record["id"])
        if question_id in seen:
            raise EvalDataError(f"{where}: duplicate id {question_id!r}")
        seen.add(question_id)
        questions.append(EvalQuestion(question_id, str(record["question"]), answerable=answerable, **lists))
    if not questions:
        raise EvalDataError(f"{path}: no questions")
    return questions


def jsonl_records(path: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(`file:line`, object) for each non-blank line; `EvalDataError` names a bad line."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalDataError(f"{where}: malformed JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise EvalDataError(f"{where}: expected a JSON object")
        yield where, record


def sample_questions(questions: Sequence[EvalQuestion], limit: int | None, seed: int) -> list[EvalQuestion]:
    """`limit` questions drawn with `random.Random(seed)`, or all of them."""
    if not limit or limit >= len(questions):
        return list(questions)
    return random.Random(seed).sample(list(questions), limit)


def make_unanswerable(
    questions: Sequence[EvalQuestion], count: int, seed: int
) -> tuple[list[EvalQuestion], set[str]]:
    """Turn about `count` questions unanswerable by leaving their evidence articles out.

    Articles are left out whole (chosen at random with `seed`), so every sampled question
    that needs one becomes unanswerable and no answerable question loses its evidence.
    Questions beyond `count` from the last article left out are dropped from the sample.
    """
    if count <= 0:
        return list(questions), set()
    by_article: dict[str, list[int]] = {}
    for position, question in enumerate(questions):
        if question.answerable:
            for article_id in question.evidence_ids:
                by_article.setdefault(article_id, []).append(position)
    order = sorted(by_article)
    random.Random(seed).shuffle(order)
    excluded: set[str] = set()
    affected: set[int] = set()
    for article_id in order:
        if len(affected) >= count:
            break
        excluded.add(article_id)
        affected |= set(by_article[article_id])
    surplus = set(sorted(affected, key=lambda p: random.Random(seed + p).random())[count:])
    result = []
    for position, question in enumerate(questions):
        if position in surplus:
            continue
        if position in affected:
            question = EvalQuestion(
                question.id, question.question, question.answers, (), False, question.history
            )
        result.append(question)
    return result, excluded


def cut_answer_sentences(text: str, golds: Sequence[str]) -> str | None:
    """`text` with every sentence holding one of `golds` cut out (same topic, same names, no
    answer); None when no sentence held one, or an answer is still there afterwards."""
    from qa.ingest.sentences import split_sentences

    holding = [s for s in split_sentences(text) if contains_answer(text[s.start : s.end], golds)]
    if not holding:
        return None
    pieces, cursor = [], 0
    for sentence in holding:
        pieces.append(text[cursor : sentence.start].rstrip(" "))
        cursor = sentence.end
    pieces.append(text[cursor:])
    edited = " ".join(p for p in pieces if p).replace("  ", " ")
    return None if contains_answer(edited, golds) else edited


def make_answer_gone(
    records: dict[str, dict[str, Any]], questions: Sequence[EvalQuestion], n: int, seed: int
) -> tuple[list[EvalQuestion], list[EvalQuestion], dict[str, dict[str, Any]]]:
    """Plausible questions whose answer is gone: `n` questions whose answer sentences are cut
    out of their articles (`records`, article id -> JSON record, left unchanged), then `n`
    others whose answers the edited articles still hold; with the edited records."""
    edited = {key: dict(record) for key, record in records.items()}
    pool = [q for q in questions if q.answers and q.evidence_ids and q.evidence_ids[0] in edited]
    random.Random(seed).shuffle(pool)
    gone: list[EvalQuestion] = []
    for question in pool:
        if len(gone) == n:
            break
        record = edited[question.evidence_ids[0]]
        text = cut_answer_sentences(record["text"], question.answers)
        if text is not None:
            record["text"] = text
            gone.append(question)
    still = {q.id for q in gone}
    intact = [
        q for q in pool if q.id not in still and contains_answer(edited[q.evidence_ids[0]]["text"], q.answers)
    ][:n]
    gone = [q for q in gone if not contains_answer(edited[q.evidence_ids[0]]["text"], q.answers)]
    return gone, intact, edited


def answer_gone_index(
    articles_path: Path, questions: Sequence[EvalQuestion], n: int, seed: int, settings: Settings
) -> tuple[list[EvalQuestion], list[EvalQuestion], Index]:
    """`make_answer_gone` over the articles of a JSONL file: the questions whose answer is
    gone, the intact ones, and the (cached) index of the edited articles."""
    records = {record["id"]: record for _, record in jsonl_records(articles_path)}
    gone, intact, edited = make_answer_gone(records, questions, n, seed)
    with tempfile.TemporaryDirectory() as folder:
        edited_path = Path(folder) / "articles.jsonl"
        edited_path.write_text("".join(json.dumps(r) + "\n" for r in edited.values()), encoding="utf-8")
        index, _ = cached_index(edited_path, set(), settings)
    return gone, intact, index


def cached_index(
    articles_path: Path | Sequence[Path],
    excluded: set[str],
    settings: Settings,
    cache_root: Path | None = None,
) -> tuple[Index, list[Skipped]]:
    """An index of the articles at `articles_path` (one path or several) minus
    `excluded`, cached by content.

    The cache key covers every article's content hash, the exclusions, the embedding model
    and the chunk size, so a changed collection builds a new index and an unchanged one
    costs nothing. An interrupted build resumes where it stopped.
    """
    paths = [articles_path] if isinstance(articles_path, Path) else list(articles_path)
    items = list(iter_articles(paths, int(settings.max_file_mb * 2**20)))
    articles = [a for a in items if isinstance(a, Article) and a.id not in excluded]
    skipped = [s for s in items if isinstance(s, Skipped)]
    key = hashlib.sha256()
    for part in sorted(f"{a.id}:{a.content_hash}" for a in articles):
        key.update(part.encode())
    key.update(f"|{sorted(excluded)}|{Index.fingerprint_of(settings)}".encode())  # model, chunker
    root = cache_root or Path(os.environ.get("QA_CACHE_DIR", Path.home() / ".cache" / "article-qa")) / "eval"
    index = Index.open(root / key.hexdigest()[:20], settings)
    index.add_articles(articles)
    return index, skipped


def evaluate_question(qa: QA, question: EvalQuestion, model: str | None, k: int | None) -> QuestionResult:
    """Ask one question and score the answer, its citations and the retrieval behind it."""
    answer: Answer = qa.answer(question.question, list(question.history), model=model, k=k)
    return score_answer(qa, question, answer)


def score_answer(qa: QA, question: EvalQuestion, answer: Answer) -> QuestionResult:
    """Score an answer to `question`: text and short answer, citations, retrieval."""
    result = QuestionResult(
        id=question.id,
        question=question.question,
        answerable=question.answerable,
        answers=list(question.answers),
        evidence_ids=list(question.evidence_ids),
        answer=answer.text,
        abstained=answer.abstained,
        score=answer.score,
        model=answer.model,
        latency_ms=answer.timings.get("total_ms", 0.0),
        standalone_question=answer.standalone_question,
        notice=answer.notice,
    )
    result.citation_problems = answer_problems(answer)
    result.citations_valid = not result.citation_problems
    scores = citation_scores(answer)
    if scores is not None:
        result.citation_recall, result.citation_precision = scores
    if question.answerable and question.answers:
        text = "" if answer.abstained else answer.text
        result.contains = contains_answer(text, question.answers)
        quotes = [] if answer.abstained else [c.quote for c in answer.citations]
        result.cited_contains = max((contains_answer(q, question.answers) for q in quotes), default=0.0)
        if answer.short_answer and not answer.abstained:
            # a short answer is scored as SQuAD scores a reader: the span alone
            result.short_answer = answer.short_answer
            result.em = exact_match(answer.short_answer, question.answers)
            result.f1 = token_f1(answer.short_answer, question.answers)
        else:  # a sentence answer: its best-matching part (text or a quote)
            result.em = max(
                [exact_match(text, question.answers)] + [exact_match(q, question.answers) for q in quotes]
            )
            result.f1 = max(
                [token_f1(text, question.answers)] + [token_f1(q, question.answers) for q in quotes]
            )
    if question.answerable and question.answers:
        result.error = error_kind(answer, question.answers, result.em or 0.0)
    if question.answerable and question.evidence_ids:
        hits = [
            p.hit
            for p in qa.index.retrieve(
                answer.standalone_question or question.question, RETRIEVAL_DEPTH
            ).passages
        ]
        result.rank = first_rank(hits, question.evidence_ids)
        if question.answers:
            result.rank_answer = first_rank(hits, question.evidence_ids, question.answers)
    return result


def error_kind(answer: Answer, golds: Sequence[str], em: float) -> str | None:
    """Where a wrong answer went wrong (None when right, by exact match): "refused" although
    answerable; "not_read" when none of the passages the reader read holds the answer;
    "wrong_passage" when one did but the answer cites another; "wrong_span" when the cited
    passage holds the answer but another span of it was chosen."""
    if em >= 1.0:
        return None
    if answer.abstained:
        return "refused"
    read = answer.hits[:READ_PASSAGES]
    holding = {h.chunk.id for h in read if contains_answer(h.chunk.text, golds)}
    if not holding:
        return "not_read"
    cited = {c.chunk_id for c in answer.citations}
    return "wrong_span" if cited & holding else "wrong_passage"


def summarise(results: Sequence[QuestionResult]) -> dict[str, Any]:
    """The metrics of a run, in the shape `qa eval --json` prints."""

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    def retrieval(ranks: list[int | None]) -> dict[str, float | None]:
        return {
            "hit@1": mean([hit_at(r, 1) for r in ranks]),
            "hit@5": mean([hit_at(r, 5) for r in ranks]),
            "hit@10": mean([hit_at(r, 10) for r in ranks]),
            "mrr@10": mean([reciprocal_rank(r) for r in ranks]),
        }

    with_evidence = [r for r in results if r.answerable and r.evidence_ids]
    with_answers = [r for r in results if r.answerable and r.answers]
    answered = [r for r in results if r.citation_recall is not None]
    latencies = [r.latency_ms for r in results]
    return {
        "n": len(results),
        "retrieval": retrieval([r.rank for r in with_evidence]),
        "retrieval_answer": retrieval([r.rank_answer for r in with_evidence if r.answers]),
        "answer": {
            "contains": mean([r.contains or 0.0 for r in with_answers]),
            "cited_contains": mean([r.cited_contains or 0.0 for r in with_answers]),
            "em": mean([r.em or 0.0 for r in with_answers]),
            "f1": mean([r.f1 or 0.0 for r in with_answers]),
        },
        # the wrong short answers by cause, as shares of the answerable questions
        "errors": {
            kind: mean([float(r.error == kind) for r in with_answers])
            for kind in ("not_read", "wrong_passage", "wrong_span", "refused")
        },
        "citations": {
            "valid": mean([float(r.citations_valid) for r in results]),
            "recall": mean([r.citation_recall or 0.0 for r in answered]),
            "precision": mean([r.citation_precision or 0.0 for r in answered]),
        },
        "abstention": {
            "refused_unanswerable": mean([float(r.abstained) for r in results if not r.answerable]),
            "refused_answerable": mean([float(r.abstained) for r in results if r.answerable]),
        },
        # who actually answered: an LLM run whose provider failed was answered extractively
        "answered_by": dict(Counter(r.model for r in results)),
        "fallbacks": {"count": sum(1 for r in results if r.notice)},
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
        },
    }


def suggest_threshold(results: Sequence[QuestionResult]) -> tuple[float, float, float] | None:
    """The abstention threshold that best separates answerable from unanswerable questions
    (maximising refused-unanswerable minus refused-answerable), with both rates at it."""
    answerable = [r.score for r in results if r.answerable]
    unanswerable = [r.score for r in results if not r.answerable]
    if not answerable or not unanswerable:
        return None
    best = None
    for threshold in sorted({round(s, 3) for s in answerable + unanswerable}):
        refused_u = sum(s < threshold for s in unanswerable) / len(unanswerable)
        refused_a = sum(s < threshold for s in answerable) / len(answerable)
        if best is None or refused_u - refused_a > best[1] - best[2]:
            best = (threshold, refused_u, refused_a)
    return best


def is_conversation_file(path: str | Path) -> bool:
    """True when the first record of a JSONL file has `turns` (a conversation)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(record, dict) and "turns" in record
    return False


def _open_index(
    articles: str | Path | Sequence[str | Path] | None,
    index_dir: str | Path | None,
    settings: Settings,
    excluded: set[str] | None = None,
) -> tuple[Index, list[Skipped]]:
    if articles is not None and index_dir is not None:
        raise EvalDataError("give either --articles (a cached index of them) or --index-dir, not both")
    if articles is None:
        return Index.open(index_dir, settings, create=False), []
    paths = Path(articles) if isinstance(articles, (str, Path)) else [Path(a) for a in articles]
    return cached_index(paths, excluded or set(), settings)


def _describe(articles: str | Path | Sequence[str | Path] | None) -> str | None:
    if articles is None:
        return None
    if isinstance(articles, (str, Path)):
        return str(articles)
    return ", ".join(str(a) for a in articles)


@dataclass
class EvalRun:
    """A finished evaluation: per-question results, the metrics, and how it was set up."""

    results: list[QuestionResult]
    metrics: dict[str, Any]
    setup: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(self.metrics)


def run_eval(
    questions_path: str | Path,
    articles: str | Path | Sequence[str | Path] | None = None,
    index_dir: str | Path | None = None,
    model: str | None = None,
    limit: int | None = None,
    seed: int = 0,
    unanswerable: int = 0,
    k: int | None = None,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalRun:
    """Evaluate the questions at `questions_path` against `articles` (indexed into a cached
    index) or against the index at `index_dir` (default index when neither is given). A
    file of conversations (lines with `turns`) is scored turn by turn, the history passed
    as a chat would pass it (see `qa.eval.conversations`)."""
    settings = settings or Settings.from_env()
    if articles is not None and not isinstance(articles, (str, Path)):
        articles = [Path(a) for a in articles]
    if is_conversation_file(questions_path):
        from qa.eval.conversations import run_conversations

        return run_conversations(
            questions_path, _open_index(articles, index_dir, settings)[0], model, k, settings, progress
        )
    pool = load_questions(questions_path)
    drawn = sample_questions(pool, limit, seed)
    if unanswerable and articles is None:
        raise EvalDataError(
            "--unanswerable needs --articles: the evidence articles are left out of a fresh index"
        )
    questions, excluded = make_unanswerable(drawn, unanswerable, seed)
    if limit and len(questions) < min(limit, len(pool)):  # refill what leaving articles out dropped
        taken = {q.id for q in drawn}
        spare = [q for q in pool if q.id not in taken and not set(q.evidence_ids) & excluded]
        questions += random.Random(seed).sample(spare, min(len(spare), limit - len(questions)))
    index, skipped = _open_index(articles, index_dir, settings, excluded)
    qa = QA(index, settings)
    index.embedder.encode_queries(["warm-up question"])  # load the model before timing
    results = []
    for done, question in enumerate(questions, 1):
        results.append(evaluate_question(qa, question, model, k))
        if progress:
            progress(done, len(questions))
    setup = {
        "questions": str(questions_path),
        "articles": _describe(articles),
        "index": str(index.path),
        "model": model or settings.llm_model or "extractive",
        "k": k or settings.top_k,
        "limit": limit,
        "seed": seed,
        "unanswerable": sum(not q.answerable for q in questions),
        "excluded_articles": sorted(excluded),
        "skipped_inputs": [asdict(s) for s in skipped],
        "abstain_below": qa.extractive.abstain_below,
        "suggested_threshold": suggest_threshold(results),
    }
    return EvalRun(results, summarise(results), setup)
