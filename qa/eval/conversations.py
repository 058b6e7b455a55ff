"""Conversations in `qa eval`: each conversation is asked turn by turn, the history passed
as a chat passes it (the questions and the system's own answers), and each turn is right
when its answer holds an accepted string or, for a turn that should be refused, when it
refuses.

File format (JSONL), one conversation a line:

    {"id": "conv-01", "turns": [{"question": "...", "answers": ["..."]},
                                {"question": "...", "answers": ["..."], "referent": "..."},
                                {"question": "...", "answerable": false}]}

A follow-up may give a `referent` (a string or a list of accepted strings): what its
standalone question must name. "Referent named" is the share of such turns whose rewrite
(or the question as asked, when it was not rewritten) holds one of them, case aside.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.errors import EvalDataError
from qa.eval.metrics import contains_answer, percentile
from qa.eval.questions import EvalQuestion, jsonl_records
from qa.eval.scoring import EvalRun, score_answer, summarise
from qa.index import Index


@dataclass(frozen=True)
class EvalTurn:
    question: str
    answers: tuple[str, ...]
    answerable: bool
    referents: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvalConversation:
    id: str
    turns: tuple[EvalTurn, ...]


def load_conversations(path: str | Path) -> list[EvalConversation]:
    """Conversations from a JSONL file; raises `EvalDataError` naming the line and field."""
    conversations = []
    for number, (where, record) in enumerate(jsonl_records(path), 1):
        turns = record.get("turns")
        if not isinstance(turns, list) or not turns:
            raise EvalDataError(f"{where}: field 'turns' must be a non-empty list")
        parsed = []
        for position, turn in enumerate(turns, 1):
            question = turn.get("question") if isinstance(turn, dict) else None
            if not isinstance(question, str) or not question.strip():
                raise EvalDataError(f"{where}: turn {position} needs a 'question' string")
            answers = turn.get("answers", [])
            answerable = turn.get("answerable", True)
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                raise EvalDataError(f"{where}: turn {position} 'answers' must be a list of strings")
            if not isinstance(answerable, bool) or (answerable and not answers):
                raise EvalDataError(f"{where}: turn {position} needs 'answers' or \"answerable\": false")
            parsed.append(EvalTurn(question, tuple(answers), answerable, _referents(turn, where, position)))
        conversations.append(EvalConversation(str(record.get("id", number)), tuple(parsed)))
    if not conversations:
        raise EvalDataError(f"{path}: no conversations")
    return conversations


def _referents(turn: dict[str, Any], where: str, position: int) -> tuple[str, ...]:
    """The turn's `referent` as a tuple: absent gives (), else non-empty strings only."""
    referent = turn.get("referent", [])
    if isinstance(referent, str):
        referent = [referent]
    if not isinstance(referent, list) or not all(isinstance(r, str) and r.strip() for r in referent):
        raise EvalDataError(
            f"{where}: turn {position} 'referent' must be a non-empty string or a list of them"
        )
    if "referent" in turn and not referent:
        raise EvalDataError(f"{where}: turn {position} 'referent' must not be an empty list")
    return tuple(referent)


def names_referent(turn: EvalTurn, standalone_question: str | None) -> bool:
    """Whether the question the system used (its rewrite, else the question as asked)
    names one of the turn's referents, case aside."""
    used = (standalone_question or turn.question).casefold()
    return any(referent.casefold() in used for referent in turn.referents)


def turn_is_right(turn: EvalTurn, text: str, abstained: bool) -> bool:
    """An answerable turn: answered, and the answer holds an accepted string. Otherwise: refused."""
    if not turn.answerable:
        return abstained
    return not abstained and bool(contains_answer(text.replace("**", ""), turn.answers))


def run_conversations(
    path: str | Path,
    index: Index,
    model: str | None,
    k: int | None,
    settings: Settings,
    progress: Callable[[int, int], None] | None = None,
) -> EvalRun:
    """Ask every conversation; per-turn results and the metrics as an `EvalRun`."""
    from qa.pipeline import QA

    conversations = load_conversations(path)
    qa = QA(index, settings)
    qa.warm_up()
    results = []
    right: list[bool] = []
    follow_ups: list[bool] = []
    whole: list[bool] = []
    named: list[bool] = []
    unnamed: list[str] = []
    total = sum(len(c.turns) for c in conversations)
    for conversation in conversations:
        history: list[dict[str, str]] = []
        flags = []
        for position, turn in enumerate(conversation.turns):
            answer = qa.answer(turn.question, history, model=model, k=k)
            question = EvalQuestion(
                f"{conversation.id}#{position + 1}", turn.question, turn.answers, (), turn.answerable,
                tuple(t["content"] for t in history if t["role"] == "user"),
            )  # fmt: skip
            results.append(score_answer(qa, question, answer))
            flags.append(turn_is_right(turn, answer.text, answer.abstained))
            if position:
                follow_ups.append(flags[-1])
            if turn.referents:
                named.append(names_referent(turn, answer.standalone_question))
                if not named[-1]:
                    unnamed.append(question.id)
            history += [
                {"role": "user", "content": turn.question},
                {"role": "assistant", "content": answer.text},
            ]
            if progress:
                progress(len(results), total)
        right += flags
        whole.append(all(flags))
    metrics = summarise(results)
    # issue 19's bar: a follow-up costs at most twice a first question (p95); here every
    # turn after the first against the first turns (`bench/followups.py` splits by whether a
    # turn leans on the ones before). Over one set's dozen first turns their p95 is about
    # their slowest: pool sets to judge the bar
    first_ms = [r.latency_ms for r in results if r.id.endswith("#1")]
    later_ms = [r.latency_ms for r in results if not r.id.endswith("#1")]
    first_p95, later_p95 = percentile(first_ms, 95), percentile(later_ms, 95)
    metrics["conversations"] = {
        "n": len(conversations),
        "turns": len(right),
        "turns_right": round(sum(right) / len(right), 4),
        "follow_ups_right": round(sum(follow_ups) / len(follow_ups), 4) if follow_ups else None,
        "all_turns_right": round(sum(whole) / len(whole), 4),
        "referents": len(named),
        "referent_named": round(sum(named) / len(named), 4) if named else None,
        "first_turn_p95_ms": round(first_p95, 1),
        "later_turn_p95_ms": round(later_p95, 1) if later_ms else None,
        "later_over_first_p95": round(later_p95 / first_p95, 2) if later_ms and first_p95 > 0 else None,
    }
    setup = {
        "questions": str(path),
        "articles": None,
        "index": str(index.path),
        "model": model or settings.llm_model or qa.extractive.name,
        "k": k or settings.top_k,
        "limit": None,
        "seed": 0,
        "unanswerable": sum(not t.answerable for c in conversations for t in c.turns),
        "excluded_articles": [],
        "skipped_inputs": [],
        "abstain_below": qa.extractive.abstain_below,
        "suggested_threshold": None,
        "wrong_turns": [r.id for r, ok in zip(results, right, strict=True) if not ok],
        "referent_not_named": unnamed,
    }
    return EvalRun(results, metrics, setup)
