"""Sources that disagree (issue 23, item 1): answers compared after normalisation, and an
answer that names both, each with its citation, when two outlets report different figures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from qa.answering.conflicts import distinct, kind, same_answer, same_claim
from qa.answering.retrieval import _with_twins
from qa.index import Index
from qa.pipeline import QA

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("310 million euros", "340 million euros", False),
        ("310 million euros", "310,000,000 euros", True),
        ("310m euros", "310 million euros", True),
        ("1,500", "1500", True),
        ("three", "3", True),
        ("June 23", "the evening of June 23", True),
        ("June 23", "June 22", False),
        ("2021", "2022", False),
        ("Lukashenko", "Alexander Lukashenko", True),
        ("Miki Sudo", "Joey Chestnut", False),
        ("Zürich", "Zurich", True),
        ("720 feet (220 m)", "220 m", True),  # one answer in two units
        ("21 to 11", "11", True),
        ("21 to 11", "21 to 13", False),
        ("1888 to about 1926", "1891 to about 1926", False),
    ],
)
def test_answers_are_compared_normalised(a: str, b: str, same: bool) -> None:
    assert same_answer(a, b) is same and same_answer(b, a) is same


def test_kinds_and_groups() -> None:
    assert (kind("340 million euros"), kind("July 11, 1962"), kind("Gary Kubiak")) == (
        "number",
        "date",
        "name",
    )
    assert kind("vague demands") is None  # no fact of a kind whose disagreement can be told
    assert distinct(["310 million", "340 million", "310,000,000"]) == [[0, 2], [1]]


def answer_in(sentence: str, answer: str) -> SimpleNamespace:
    """A reader's choice of `answer` in an article that is `sentence` alone."""
    start = sentence.index(answer)
    article = SimpleNamespace(text=sentence)
    return SimpleNamespace(
        passage=SimpleNamespace(hit=SimpleNamespace(article=article, chunk=SimpleNamespace(start=0))),
        span=SimpleNamespace(start=start, end=start + len(answer)),
        sentence_start=0,
        sentence_end=len(sentence),
    )


def test_the_same_slot_of_the_same_sentence() -> None:
    report = "More than 58% of this area is sown for wheat, the ministry said on Monday."
    copy = report.replace("58%", "50%")
    assert same_claim(answer_in(report, "58%"), answer_in(copy, "50%"))
    assert not same_claim(answer_in(report, "58%"), answer_in(copy, "Monday"))  # another slot
    other = "Bosch said it would cut 500 jobs in Stuttgart."
    assert not same_claim(
        answer_in("Siemens said on Tuesday it would cut 300 jobs at its plant.", "300"),
        answer_in(other, "500"),
    )
    assert not same_claim(
        answer_in("It was 310.", "310"), answer_in("It was 340.", "340")
    )  # too little to tell


def test_two_outlets_with_different_figures_are_both_named(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(DATA / "wire-stories.jsonl", folder / "wire-stories.jsonl")
    other = {
        "id": "mountain-daily-1",
        "title": "Snow strands lorries at the Brenner",
        "source": "Mountain Daily",
        "text": "Heavy snowfall shut the Brenner mountain pass on Tuesday, stranding about 450 trucks, "
        "the motorway police said. Ploughs were clearing the road through the night.",
    }
    (folder / "mountain.jsonl").write_text(json.dumps(other) + "\n")
    with Index.open(tmp_path / "index") as index:
        index.add([folder])
    qa = QA.open(tmp_path / "index")
    answer = qa.answer("How many trucks were stranded by the snow on the Brenner pass?")
    assert answer.text.startswith("Sources differ: "), answer.text
    told = {a.answer: a.citations for a in answer.alternatives}
    assert any(same_answer(a, "300") for a in told) and any(same_answer(a, "450") for a in told)
    for alternative in answer.alternatives:
        for number in alternative.citations:
            citation = answer.citations[number - 1]
            assert alternative.answer in citation.quote and f"[{number}]" in answer.text
    assert {c.article_id for c in answer.citations} == {"wire-001", "mountain-daily-1"}
    agreed = qa.answer("Who won the national chess championship?")  # one source: no conflict
    assert not agreed.alternatives and not agreed.text.startswith("Sources differ")


def test_a_syndicated_copy_with_another_name_is_named_after_the_story(tmp_path: Path) -> None:
    """One wire story run by three outlets, one of which changed a name: both names are
    given, each cited, the one the other two outlets print first."""
    seed = next((DATA.parent.parent / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    folder = tmp_path / "news"
    folder.mkdir()
    copies = {
        "Blick": {},
        "Reuters": {"old friend": "longtime friend"},
        "Daily Two": {"Boris Grislov": "Mikhail Babich", "held its breath": "was holding its breath"},
    }
    for n, (outlet, edits) in enumerate(copies.items()):
        text = seed.replace("Source: Blick", f"Source: {outlet}")
        for old, new in edits.items():
            text = text.replace(old, new)
        (folder / f"copy-{n}.txt").write_text(text, encoding="utf-8")
    shutil.copy(DATA / "wire-stories.jsonl", folder / "wire-stories.jsonl")
    with Index.open(tmp_path / "index") as index:
        index.add([folder])
        assert index.info()["syndicated"] == {"stories": 1, "articles": 3}
    answer = QA.open(tmp_path / "index").answer("Who is the Russian ambassador to Belarus?")
    assert answer.text.startswith("Sources differ: "), answer.text
    first, second = answer.alternatives[:2]
    assert same_answer(first.answer, "Boris Grislov") and same_answer(second.answer, "Mikhail Babich")
    (wrong,) = second.citations
    assert answer.citations[wrong - 1].source == "Daily Two"
    assert "Daily Two" not in answer.citations[first.citations[0] - 1].also_reported_by


def test_a_paragraph_copied_with_another_figure_is_read_beside_its_twin() -> None:
    """Retrieval's places went to other passages, one of them a paragraph another outlet
    copied with another figure: the passage it copied is read right after it; a copy that
    says the same and goes on further is not, nor a copy within one story (retrieval's
    variants read those)."""
    wire = (
        "Heavy snow closed the Brenner mountain pass on Tuesday, stranding about 300 trucks. Police "
        "said the road would reopen once ploughs had cleared two metres of snow."
    )
    articles = {
        "wire": f"Alpine weather. {wire} The weather service expects the storm to weaken by Thursday.",
        "daily": wire.replace("300", "450"),
        "same": wire,
        "longer": f"{wire} Schools in the valley stayed closed.",
        "budget": "The council approved a budget of 12 million euros for the new library on Monday.",
    }
    passages = {1: "daily", 2: "budget", 3: "wire", 4: "same", 5: "longer"}

    def copy_passages(rowids: list[int]) -> dict[int, tuple[str, None]]:
        return {r: (articles[passages[r]], None) for r in rowids}

    def article_texts(ids: list[str]) -> dict[str, str]:
        return {i: articles[i] for i in ids}

    docstore = SimpleNamespace(copy_passages=copy_passages, article_texts=article_texts)
    vectors = {r: np.array([0.0, 1.0] if passages[r] == "budget" else [1.0, 0.1]) for r in passages}
    ranked = [(r, passages[r]) for r in (1, 2, 3, 4, 5)]
    assert _with_twins(docstore, ranked, [1, 2], {}, vectors) == [1, 3, 2]  # the first twin passed over
    assert _with_twins(docstore, [(r, passages[r]) for r in (4, 2, 5)], [4, 2], {}, vectors) == [4, 2]
    one_story = {name: "wire story" for name in ("wire", "daily", "same", "longer")}
    assert _with_twins(docstore, ranked, [1, 2], one_story, vectors) == [1, 2]
