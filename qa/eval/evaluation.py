"""`qa eval`: score retrieval, answers, citations, abstention and latency on any collection
of articles and questions (JSONL), deterministic for a given seed. The file format and the
sample are in `qa.eval.questions`, the scores in `qa.eval.scoring`; a file of conversations
is scored by `qa.eval.conversations` (the CLI chooses)."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from qa.config import Settings
from qa.errors import EvalDataError
from qa.eval.questions import (
    EvalQuestion,
    is_conversation_file,
    jsonl_records,
    load_questions,
    make_answer_gone,
    make_unanswerable,
    sample_questions,
)
from qa.eval.scoring import EvalRun, QuestionResult, score_answer, suggest_threshold, summarise
from qa.index import Index
from qa.ingest.articles import iter_articles
from qa.pipeline import QA
from qa.store.folder import fsync_replace, temp_path
from qa.types import Answer, Article, Skipped


def answer_gone_index(
    articles_path: Path, questions: Sequence[EvalQuestion], n: int, seed: int, settings: Settings
) -> tuple[list[EvalQuestion], list[EvalQuestion], Index]:
    """`make_answer_gone` over the articles of a JSONL file: the questions whose answer is
    gone, the intact ones, and the (cached) index of the edited articles."""
    records = {record["id"]: record for _, record in jsonl_records(articles_path)}
    gone, intact, edited = make_answer_gone(records, questions, n, seed)
    # the edited file is named by its content, so that the cached index (keyed by where
    # its articles are) is found again by the next run of the same edit
    text = "".join(json.dumps(r) + "\n" for r in edited.values())
    folder = settings.cache_dir / "eval" / "edited"
    folder.mkdir(parents=True, exist_ok=True)
    edited_path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:20]}.jsonl"
    if not edited_path.exists():  # whole or not there; two runs never share a partial file
        partial = temp_path(folder, edited_path.name)
        partial.write_text(text, encoding="utf-8")
        fsync_replace(partial, edited_path)
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
    costs nothing. An interrupted build resumes where it stopped. It covers where the
    articles are too: the same files in another folder (another checkout) are other
    articles to an index (`qa.store.writer`), and would be added beside the first ones.
    """
    paths = [articles_path] if isinstance(articles_path, Path) else list(articles_path)
    items = list(iter_articles(paths, int(settings.max_file_mb * 2**20)))
    articles = [a for a in items if isinstance(a, Article) and a.id not in excluded]
    skipped = [s for s in items if isinstance(s, Skipped)]
    key = hashlib.sha256()
    for part in sorted(f"{a.id}:{a.content_hash}" for a in articles):
        key.update(part.encode())
    key.update(f"|{sorted(excluded)}|{Index.fingerprint_of(settings)}".encode())  # model, chunker
    key.update(f"|{sorted(str(p.resolve()) for p in paths)}".encode())
    root = cache_root or settings.cache_dir / "eval"
    index = Index.open(root / key.hexdigest()[:20], settings)
    index.add_articles(articles)
    return index, skipped


def evaluate_question(qa: QA, question: EvalQuestion, model: str | None, k: int | None) -> QuestionResult:
    """Ask one question and score the answer, its citations and the retrieval behind it."""
    answer: Answer = qa.answer(question.question, list(question.history), model=model, k=k)
    return score_answer(qa, question, answer)


def open_index(
    articles: str | Path | Sequence[str | Path] | None,
    index_dir: str | Path | None,
    settings: Settings,
    excluded: set[str] | None = None,
) -> tuple[Index, list[Skipped]]:
    """The index `qa eval` asks: a cached index of `articles` (one path or several, minus
    `excluded`), or the one at `index_dir` (the default index when neither is given)."""
    if articles is not None and not isinstance(articles, (str, Path)):
        articles = [Path(a) for a in articles]
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
    file of conversations (lines with `turns`) is `qa.eval.conversations.run_conversations`'s."""
    settings = settings or Settings.from_env()
    if articles is not None and not isinstance(articles, (str, Path)):
        articles = [Path(a) for a in articles]
    if is_conversation_file(questions_path):
        raise EvalDataError(
            f"{questions_path} holds conversations (lines with 'turns'): score it with run_conversations"
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
    index, skipped = open_index(articles, index_dir, settings, excluded)
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
        "model": model or settings.llm_model or qa.extractive.name,
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
