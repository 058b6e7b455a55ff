"""`qa eval` pieces without a model: reading question and conversation files, sampling,
making questions unanswerable, summarising results, suggesting an abstention threshold and
scoring whether a follow-up's rewrite names its referent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.errors import EvalDataError
from qa.eval.conversations import EvalTurn, load_conversations, names_referent
from qa.eval.questions import EvalQuestion, load_questions, make_unanswerable, sample_questions
from qa.eval.scoring import QuestionResult, suggest_threshold, summarise


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def record(**fields: Any) -> str:
    return json.dumps({"id": "q1", "question": "Who won?", **fields})


# --- loading -------------------------------------------------------------------------


def test_load_questions_reads_every_field(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "q.jsonl",
        [
            json.dumps(
                {
                    "id": "q1",
                    "question": "When did he start?",
                    "answers": ["June 23"],
                    "evidence_ids": ["a1"],
                    "answerable": True,
                    "history": ["Who is Prigozhin?"],
                }
            ),
            "",
            json.dumps({"id": 2, "question": "Who won?"}),
        ],
    )
    assert load_questions(path) == [
        EvalQuestion("q1", "When did he start?", ("June 23",), ("a1",), True, ("Who is Prigozhin?",)),
        EvalQuestion("2", "Who won?"),
    ]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (json.dumps({"question": "Who won?"}), "id"),
        (json.dumps({"id": "  ", "question": "Who won?"}), "id"),
        (json.dumps({"id": "q1"}), "question"),
        (json.dumps({"id": "q1", "question": ["Who won?"]}), "question"),
        (json.dumps({"id": "q1", "question": None}), "question"),
        (record(answers="Paris"), "answers"),
        (record(answers=["Paris", 3]), "answers"),
        (record(evidence_ids="a1"), "evidence_ids"),
        (record(history=[{"role": "user"}]), "history"),
        (record(answerable="yes"), "answerable"),
        (record(answerable=1), "answerable"),
    ],
)
def test_load_questions_names_the_line_and_field_at_fault(tmp_path: Path, line: str, field: str) -> None:
    path = write_jsonl(tmp_path / "q.jsonl", [json.dumps({"id": "q0", "question": "Fine?"}), line])
    with pytest.raises(EvalDataError) as error:
        load_questions(path)
    assert str(error.value).startswith(f"{path}:2: ")
    assert f"'{field}'" in str(error.value)


def test_load_questions_rejects_a_number_as_question(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "q.jsonl", [json.dumps({"id": "q1", "question": 42})])
    with pytest.raises(EvalDataError, match="'question'"):
        load_questions(path)


def test_load_questions_rejects_a_duplicate_id(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "q.jsonl", [record(), record(question="Who lost?")])
    with pytest.raises(EvalDataError, match=r":2: duplicate id 'q1'") as error:
        load_questions(path)
    assert str(error.value).startswith(f"{path}:2:")


def test_load_questions_rejects_malformed_json(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "q.jsonl", [record(), "", '{"id": "q2", "question": '])
    with pytest.raises(EvalDataError, match="malformed JSON") as error:
        load_questions(path)
    assert str(error.value).startswith(f"{path}:3:")


def test_load_questions_rejects_a_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "q.jsonl", ['["q1", "Who won?"]'])
    with pytest.raises(EvalDataError, match=r":1: expected a JSON object"):
        load_questions(path)


def test_load_questions_rejects_an_empty_file(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "q.jsonl", ["", "   "])
    with pytest.raises(EvalDataError, match="no questions"):
        load_questions(path)


# --- sampling ------------------------------------------------------------------------


def numbered_questions(n: int) -> list[EvalQuestion]:
    return [EvalQuestion(f"q{i}", f"Question {i}?") for i in range(n)]


def test_sample_questions_is_deterministic_for_a_seed() -> None:
    pool = numbered_questions(50)
    first = sample_questions(pool, 10, seed=7)
    assert first == sample_questions(pool, 10, seed=7)
    assert len(first) == 10 and len(set(first)) == 10
    assert set(first) <= set(pool)


def test_sample_questions_differs_between_seeds() -> None:
    pool = numbered_questions(50)
    assert sample_questions(pool, 10, seed=1) != sample_questions(pool, 10, seed=2)


def test_sample_questions_without_a_useful_limit_keeps_all_in_order() -> None:
    pool = numbered_questions(5)
    assert sample_questions(pool, None, seed=1) == pool
    assert sample_questions(pool, 0, seed=1) == pool
    assert sample_questions(pool, 9, seed=1) == pool


# --- unanswerable questions ----------------------------------------------------------


def evidence_pool() -> list[EvalQuestion]:
    """Twelve answerable questions over six articles (two share an article pair), plus one
    unanswerable question."""
    questions = [EvalQuestion(f"q{i}", f"Question {i}?", (f"answer {i}",), (f"a{i % 6}",)) for i in range(12)]
    questions.append(EvalQuestion("pair", "Across two?", ("both",), ("a0", "a1")))
    questions.append(EvalQuestion("none", "Unanswerable?", answerable=False))
    return questions


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("count", [1, 3, 5])
def test_make_unanswerable_leaves_no_answerable_question_without_its_evidence(seed: int, count: int) -> None:
    pool = evidence_pool()
    questions, excluded = make_unanswerable(pool, count, seed)
    assert excluded
    for question in questions:
        if question.answerable:
            assert not set(question.evidence_ids) & excluded, question.id


@pytest.mark.parametrize("seed", range(8))
def test_make_unanswerable_turns_the_questions_of_left_out_articles(seed: int) -> None:
    pool = evidence_pool()
    questions, excluded = make_unanswerable(pool, 3, seed)
    by_id = {q.id: q for q in questions}
    turned = [q for q in questions if not q.answerable and q.id != "none"]
    assert len(turned) == 3
    for question in turned:
        original = next(q for q in pool if q.id == question.id)
        assert set(original.evidence_ids) & excluded
        assert question.evidence_ids == ()
        assert question.answers == original.answers
        assert question.question == original.question
    # every pooled question that needed a left-out article is turned or dropped, never kept answerable
    for original in pool:
        if original.answerable and set(original.evidence_ids) & excluded and original.id in by_id:
            assert not by_id[original.id].answerable


def test_make_unanswerable_is_deterministic_for_a_seed() -> None:
    pool = evidence_pool()
    assert make_unanswerable(pool, 3, seed=4) == make_unanswerable(pool, 3, seed=4)


def test_make_unanswerable_keeps_the_order_and_the_rest_unchanged() -> None:
    pool = evidence_pool()
    questions, excluded = make_unanswerable(pool, 2, seed=0)
    positions = [next(i for i, q in enumerate(pool) if q.id == kept.id) for kept in questions]
    assert positions == sorted(positions)
    untouched = [q for q in pool if not set(q.evidence_ids) & excluded]
    assert [q for q in questions if q in untouched] == untouched


def test_make_unanswerable_with_no_count_changes_nothing() -> None:
    pool = evidence_pool()
    assert make_unanswerable(pool, 0, seed=3) == (pool, set())


# --- summarising ---------------------------------------------------------------------


def result(qid: str, **fields: Any) -> QuestionResult:
    defaults: dict[str, Any] = {
        "question": f"{qid}?",
        "answerable": True,
        "answers": [],
        "evidence_ids": [],
        "answer": "",
        "abstained": False,
        "score": 0.5,
        "model": "extractive",
        "latency_ms": 0.0,
    }
    return QuestionResult(id=qid, **{**defaults, **fields})


def hand_made_results() -> list[QuestionResult]:
    return [
        result(
            "r1",
            answers=["x"],
            evidence_ids=["a"],
            rank=1,
            rank_answer=2,
            contains=1.0,
            em=1.0,
            f1=1.0,
            citation_recall=1.0,
            citation_precision=1.0,
            latency_ms=100.0,
        ),
        result(
            "r2",
            answers=["y"],
            evidence_ids=["b"],
            rank=7,
            rank_answer=None,
            contains=0.0,
            em=0.0,
            f1=0.5,
            error="wrong_span",
            citations_valid=False,
            citation_recall=0.5,
            citation_precision=0.0,
            latency_ms=200.0,
        ),
        result("r3", evidence_ids=["c"], rank=None, abstained=True, latency_ms=300.0),
        result("r4", answerable=False, abstained=True, latency_ms=400.0),
    ]


def test_summarise_has_the_documented_json_shape() -> None:
    metrics = json.loads(json.dumps(summarise(hand_made_results())))
    assert list(metrics) == [
        "n",
        "retrieval",
        "retrieval_answer",
        "answer",
        "errors",
        "citations",
        "abstention",
        "answered_by",
        "fallbacks",
        "latency_ms",
    ]
    assert list(metrics["retrieval"]) == ["hit@1", "hit@5", "hit@10", "mrr@10"]
    assert list(metrics["retrieval_answer"]) == ["hit@1", "hit@5", "hit@10", "mrr@10"]
    assert list(metrics["answer"]) == ["contains", "cited_contains", "em", "f1"]
    assert list(metrics["citations"]) == ["valid", "recall", "precision"]
    assert list(metrics["abstention"]) == ["refused_unanswerable", "refused_answerable"]
    assert list(metrics["latency_ms"]) == ["p50", "p95"]


def test_summarise_computes_the_metrics() -> None:
    assert summarise(hand_made_results()) == {
        "n": 4,
        # ranks of the answerable questions with evidence: 1, 7, None
        "retrieval": {"hit@1": 0.3333, "hit@5": 0.3333, "hit@10": 0.6667, "mrr@10": 0.381},
        # answer-bearing ranks of those with gold answers: 2, None
        "retrieval_answer": {"hit@1": 0.0, "hit@5": 0.5, "hit@10": 0.5, "mrr@10": 0.25},
        "answer": {"contains": 0.5, "cited_contains": 0.0, "em": 0.5, "f1": 0.75},
        "errors": {"not_read": 0.0, "wrong_passage": 0.0, "wrong_span": 0.5, "refused": 0.0},
        "citations": {"valid": 0.75, "recall": 0.75, "precision": 0.5},
        "abstention": {"refused_unanswerable": 1.0, "refused_answerable": 0.3333},
        "answered_by": {"extractive": 4},
        "fallbacks": {"count": 0},
        "latency_ms": {"p50": 250.0, "p95": 385.0},
    }


def test_summarise_of_no_results_has_no_means() -> None:
    metrics = summarise([])
    assert metrics["n"] == 0
    assert metrics["retrieval"]["hit@1"] is None
    assert metrics["answer"]["f1"] is None
    assert metrics["abstention"]["refused_unanswerable"] is None
    assert metrics["latency_ms"] == {"p50": 0.0, "p95": 0.0}


# --- threshold -----------------------------------------------------------------------


def test_suggest_threshold_separates_answerable_from_unanswerable() -> None:
    results = [
        result("a1", score=0.8),
        result("a2", score=0.9),
        result("a3", score=0.7),
        result("u1", answerable=False, score=0.1),
        result("u2", answerable=False, score=0.25),
    ]
    assert suggest_threshold(results) == (0.7, 1.0, 0.0)


def test_suggest_threshold_trades_off_when_scores_overlap() -> None:
    results = [
        result("a1", score=0.3),
        result("a2", score=0.8),
        result("a3", score=0.9),
        result("a4", score=0.95),
        result("u1", answerable=False, score=0.1),
        result("u2", answerable=False, score=0.2),
        result("u3", answerable=False, score=0.6),
    ]
    suggested = suggest_threshold(results)
    assert suggested is not None
    threshold, refused_unanswerable, refused_answerable = suggested
    assert threshold == 0.8
    assert refused_unanswerable == 1.0
    assert refused_answerable == 0.25


def test_suggest_threshold_needs_both_kinds_of_question() -> None:
    assert suggest_threshold([result("a1", score=0.8)]) is None
    assert suggest_threshold([result("u1", answerable=False, score=0.1)]) is None


def test_error_kind_says_where_a_wrong_answer_went_wrong() -> None:
    from qa.eval.scoring import error_kind
    from qa.types import Answer, Article, Chunk, Citation, Hit

    article = Article("a", "Bridge", "The bridge cost 310 million euros. It opened in May.")
    holding = Chunk("a#0", "a", 0, "The bridge cost 310 million euros.", 0, 34)
    other = Chunk("a#1", "a", 1, "It opened in May.", 35, 52)
    hits = (Hit(other, article, 0.9, 1), Hit(holding, article, 0.8, 2))

    def cited(chunk: Chunk) -> Answer:
        quote = Citation(1, chunk.id, "a", "Bridge", None, None, None, chunk.text, chunk.start, chunk.end)
        return Answer("How much?", "x [1]", (quote,), hits)

    golds = ["310 million euros"]
    assert error_kind(cited(holding), golds, 1.0) is None
    assert error_kind(cited(holding), golds, 0.0) == "wrong_span"
    assert error_kind(cited(other), golds, 0.0) == "wrong_passage"
    assert error_kind(Answer("How much?", "no", (), hits, abstained=True), golds, 0.0) == "refused"
    assert error_kind(cited(other), ["180 million euros"], 0.0) == "not_read"


# --- conversations: the referent a follow-up's rewrite must name ----------------------


def conversation_line(*turns: dict[str, Any]) -> str:
    return json.dumps({"id": "c1", "turns": [{"question": "Who won?", "answers": ["Denver"]}, *turns]})


def test_load_conversations_reads_a_referent_or_a_list_of_them(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            conversation_line(
                {"question": "Who coached them?", "answers": ["Kubiak"], "referent": "Broncos"},
                {"question": "And in 2021?", "answerable": False, "referent": ["Super Bowl", "Broncos"]},
            )
        ],
    )
    turns = load_conversations(path)[0].turns
    assert [t.referents for t in turns] == [(), ("Broncos",), ("Super Bowl", "Broncos")]


@pytest.mark.parametrize("referent", [3, "", "  ", [], ["Broncos", 2], {"name": "Broncos"}])
def test_load_conversations_names_the_line_and_turn_of_a_bad_referent(tmp_path: Path, referent: Any) -> None:
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            conversation_line(),
            conversation_line({"question": "Who coached them?", "answers": ["Kubiak"], "referent": referent}),
        ],
    )
    with pytest.raises(EvalDataError) as error:
        load_conversations(path)
    assert str(error.value).startswith(f"{path}:2: turn 2 'referent'")


def test_names_referent_reads_the_rewrite_else_the_question_case_aside() -> None:
    turn = EvalTurn("Who coached them?", ("Kubiak",), True, ("Denver Broncos", "the Broncos"))
    assert names_referent(turn, "Who coached the Denver broncos in Super Bowl 50?")
    assert not names_referent(turn, "Who coached the Panthers?")
    assert not names_referent(turn, None)  # not rewritten: the question as asked names nothing
    assert names_referent(EvalTurn("And the Broncos?", (), False, ("the broncos",)), None)
    assert not names_referent(EvalTurn("Who won?", ("Denver",), True), "Who won Super Bowl 50?")


def test_the_news_conversations_load_and_their_answers_are_in_their_articles() -> None:
    """eval/conversations-news.jsonl: every accepted answer is said in an article of eval/news
    (SQuAD normalisation), so a turn scored wrong is the product's fault, not the set's."""
    from qa.eval.metrics import normalize_answer

    root = Path(__file__).resolve().parent.parent / "eval"
    said = [normalize_answer(p.read_text(encoding="utf-8")) for p in sorted((root / "news").glob("*.txt"))]
    conversations = load_conversations(root / "conversations-news.jsonl")
    turns = [t for c in conversations for t in c.turns]
    assert len(conversations) == 7 and len(turns) == 53
    for turn in turns:
        assert turn.answerable == bool(turn.answers), turn.question
        for answer in turn.answers:
            assert any(normalize_answer(answer) in article for article in said), (turn.question, answer)


@pytest.mark.parametrize(
    ("name", "folder", "count", "turns"),
    [
        ("stories", "stories", 12, 168),
        ("stories-heldout", "stories", 6, 84),
        ("stories-2", "stories-2", 4, 56),
        ("stories-3", "stories-3", 5, 70),
        ("stories-4", "stories-4", 5, 70),
    ],
)
def test_the_story_conversations_load_and_their_answers_are_in_their_stories(
    name: str, folder: str, count: int, turns: int
) -> None:
    """eval/conversations-stories*.jsonl: every accepted answer is said in a story of its
    folder (SQuAD normalisation), and each set has its refusals."""
    from qa.eval.metrics import normalize_answer

    root = Path(__file__).resolve().parent.parent / "eval"
    said = [normalize_answer(p.read_text(encoding="utf-8")) for p in sorted((root / folder).glob("*.txt"))]
    conversations = load_conversations(root / f"conversations-{name}.jsonl")
    asked = [t for c in conversations for t in c.turns]
    assert len(conversations) == count and len(asked) == turns
    assert any(not t.answerable for t in asked)
    for turn in asked:
        for answer in turn.answers:
            assert any(normalize_answer(answer) in story for story in said), (turn.question, answer)
