"""The same story, many times (issue 23, item 2): syndicated copies are grouped at indexing
(MinHash of word shingles), retrieval reads each story once and says who else reported
it, `qa info` counts the groups, and nothing is deleted."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

from click.testing import CliRunner

from qa.answering.retrieval import _variants, cap_per_article
from qa.cli import main
from qa.index import Index
from qa.ingest.stories import SAME_STORY, signature, similarity, states_other_facts
from qa.pipeline import QA

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))
QUESTION = "Who led the negotiations with Prigozhin?"


def copy_of(text: str, outlet: str, edits: dict[str, str]) -> str:
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new)
    return text.replace("Source: Blick", f"Source: {outlet}")


def syndicated(folder: Path) -> Path:
    """The seed article as Blick ran it and two copies with small edits, plus other stories."""
    folder.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    shutil.copy(SEED, folder / SEED.name)
    (folder / "copy-a.txt").write_text(
        copy_of(
            seed, "Reuters", {"old friend": "longtime friend", "held its breath": "was holding its breath"}
        )
    )
    (folder / "copy-b.txt").write_text(copy_of(seed, "Example Wire", {"occupied a town": "seized a town"}))
    for name in ("council-budget.md", "harbour-bridge.html", "wire-stories.jsonl", "science-brief.json"):
        shutil.copy(ROOT / "tests" / "data" / name, folder / name)
    return folder


def test_copies_are_alike_and_other_stories_are_not() -> None:
    seed = SEED.read_text(encoding="utf-8")
    edited = copy_of(seed, "Reuters", {"old friend": "longtime friend"})
    other = (ROOT / "tests" / "data" / "council-budget.md").read_text()
    original, copy, unrelated = signature(seed), signature(edited), signature(other)
    assert original is not None and copy is not None and unrelated is not None
    assert similarity(original, copy) >= SAME_STORY > 0.2 > similarity(original, unrelated)
    assert signature("Too short to tell.") is None


def test_a_copy_states_other_facts_where_a_figure_or_name_changed() -> None:
    wire = "Snow closed the Brenner pass on Tuesday, stranding about 300 trucks and 450 cars."
    assert not states_other_facts(wire, wire)
    assert states_other_facts(wire.replace("300 trucks", "450 trucks"), wire)  # told, but of the cars
    assert states_other_facts(wire.replace("Brenner", "Gotthard"), wire)
    assert not states_other_facts(wire.replace("closed", "shut"), wire)  # no fact changed
    assert not states_other_facts(f"(Daily Two) - {wire}\nSource: Daily Two", wire, "Daily Two")


def test_a_story_is_read_once_and_its_other_outlets_named(tmp_path: Path) -> None:
    folder = syndicated(tmp_path / "news")
    index_dir = tmp_path / "index"
    with Index.open(index_dir) as index:
        report = index.add([folder])
        assert len(report.added) == 8 and not report.skipped  # nothing is dropped
        assert index.info()["syndicated"] == {"stories": 1, "articles": 3}
        passages = index.retrieve(QUESTION, k=5).passages
        read = [p.hit for p in passages if "Prigozhin" in p.hit.article.text]
        assert read and len({h.article.id for h in read}) == 1  # one of the three copies only
        assert len({p.hit.article.id for p in passages}) >= 4  # the other places go to other stories
        others = set(read[0].also_reported_by)
        assert len(others) == 2 and others <= {"Blick", "Reuters", "Example Wire"}
        assert read[0].article.source not in others
    answer = QA.open(index_dir).answer(QUESTION)
    assert "Lukashenko" in (answer.short_answer or "")
    assert set(answer.citations[0].also_reported_by) == others
    printed = CliRunner().invoke(main, ["info", "--index-dir", str(index_dir)])
    assert "copies:   1 stories told by 3 articles (each read once)" in printed.output
    with Index.open(index_dir) as index:  # a copy removed: the group shrinks with it
        index.remove(read[0].article.id)
        assert index.info()["syndicated"] == {"stories": 1, "articles": 2}
        passages = index.retrieve(QUESTION, k=5).passages
        assert len({p.hit.article.id for p in passages if "Prigozhin" in p.hit.article.text}) == 1


def test_without_copies_retrieval_is_unchanged(tmp_path: Path) -> None:
    """Every article three times under other outlets: the same stories, in the same order."""
    single, tripled = tmp_path / "single", tmp_path / "tripled"
    single.mkdir()
    tripled.mkdir()
    shutil.copy(SEED, single / SEED.name)
    seed = SEED.read_text(encoding="utf-8")
    for n, outlet in enumerate(("Blick", "Reuters", "Example Wire")):
        (tripled / f"copy-{n}.txt").write_text(copy_of(seed, outlet, {}))
    for name in ("council-budget.md", "harbour-bridge.html"):
        text = (ROOT / "tests" / "data" / name).read_text()
        (single / name).write_text(text)
        for n in range(3):  # each outlet's copy at its own address
            (tripled / f"{n}-{name}").write_text(text.replace("https://", f"https://outlet{n}."))
    questions = [QUESTION, "How much will the new library cost?", "When did the harbour bridge reopen?"]
    with Index.open(tmp_path / "i1") as one, Index.open(tmp_path / "i3") as three:
        one.add([single])
        three.add([tripled])
        for question in questions:
            expected = {p.hit.chunk.text for p in one.retrieve(question, k=5).passages}
            got = [p.hit.chunk.text for p in three.retrieve(question, k=5).passages]
            assert set(got) == expected and len(got) == len(expected), question


def test_a_copy_with_another_figure_is_read_beside_the_story(tmp_path: Path) -> None:
    """A wrong date in one outlet's copy: that passage is read too (the sources differ),
    while the copies that say the same still take no place."""
    folder = syndicated(tmp_path / "news")
    seed = SEED.read_text(encoding="utf-8")
    (folder / "copy-c.txt").write_text(
        copy_of(seed, "Daily Two", {"evening of June 23": "evening of June 22"})
    )
    with Index.open(tmp_path / "index") as index:
        index.add([folder])
        assert index.info()["syndicated"] == {"stories": 1, "articles": 4}
        passages = index.retrieve("When did the authorities start negotiating with Prigozhin?", k=5).passages
        told = {p.hit.article.source for p in passages if "Prigozhin" in p.hit.article.text}
        assert "Daily Two" in told and len(told) == 2, told


def test_a_paragraph_only_the_longer_copies_have_is_read_once() -> None:
    """The first copy ranked was cut short; two outlets ran the paragraph it lacks: one of
    them is read for it, as one more passage of the story, and the other is no other
    reporter of the short copy. Two outlets with two other figures are both read, and so is
    a copy's second passage with another name."""
    story = (
        "Heavy snow closed the Brenner pass on Tuesday, stranding about 300 trucks on the motorway "
        "between the border and the valley, where drivers waited through the night for the road to open."
    )
    extra = (
        "Police said Innsbruck would send 40 ploughs to clear the pass before the morning rush on Wednesday."
    )
    articles = {
        "short": story,
        "wire": f"{story} {extra}",
        "daily": f"{story} {extra}",
        "herald": story.replace("300", "450") + " Mayor Anna Berger thanked the drivers.",
        "post": story.replace("300", "520"),
    }
    passages = {1: ("short", story), 2: ("wire", extra), 3: ("daily", extra)}
    passages |= {4: ("herald", story.replace("300", "450")), 5: ("post", story.replace("300", "520"))}
    passages[6] = ("herald", "Mayor Anna Berger thanked the drivers.")
    docstore = SimpleNamespace(
        copy_passages=lambda rowids: {r: (passages[r][1], None) for r in rowids},
        article_texts=lambda ids: {i: articles[i] for i in ids},
    )
    ranked = [(r, passages[r][0]) for r in sorted(passages)]
    stories = dict.fromkeys(articles, "snow story")
    variants, more, repeating = _variants(docstore, ranked, stories)
    assert variants == {2, 4, 5, 6} and repeating == {"daily"}
    assert more == {2}  # what the short copy lacks, not a figure it tells another way
    # (6, a sentence too short to be matched against the short copy, counts as told)
    # the paragraph the short copy lacks is one more passage of the story, under its cap;
    # a figure told another way is read beside the story's passage all the same
    assert cap_per_article(ranked, 2, 1, stories, variants, more) == [1, 4]
    assert cap_per_article(ranked, 3, 2, stories, variants, more) == [1, 2, 4]
