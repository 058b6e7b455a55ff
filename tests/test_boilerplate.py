"""Boilerplate posing as articles (issue 20, item 4): the same short text under many titles
(an ad-feedback form scraped in place of the story) is skipped with its reason, counted in
the summary, removed where an earlier run indexed it, and never answered from."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa.cli import EXIT_SKIPPED, main
from qa.index import Index
from qa.ingest.boilerplate import Boilerplate

FORM = (
    "Ad Feedback. How relevant is this ad to you? Did you encounter any technical issues? "
    "Video player was slow to load content. Video content never loaded. Ad froze or did not "
    "finish loading. Audio on ad was too loud. Other issues."
)
STORY = (
    "The harbour of Tromsø reopened on Monday after a storm closed it for three days. "
    "Harbour master Eva Lind said that 40 fishing boats had waited outside. "
    "Repairs to the eastern pier will cost 12 million kroner, she said."
)


def records(titles: list[str]) -> str:
    rows = [{"id": f"ad-{n}", "title": title, "text": FORM} for n, title in enumerate(titles)]
    return "\n".join(json.dumps(row) for row in rows) + "\n"


def test_the_same_short_text_under_three_titles_is_boilerplate() -> None:
    seen = Boilerplate()
    seen.add("a", "Ford recall", FORM)
    seen.add("b", "Sprite green bottle", FORM.upper())  # case and spacing do not matter
    assert seen.reason("a") is None  # two titles: could be a story told twice
    seen.add("c", "Plane engine fire", "  " + FORM)
    assert seen.reason("a") and seen.reason("c") and seen.junk() == {"a", "b", "c"}
    assert "word for word that of 2 other articles" in (seen.reason("b") or "")
    copies = Boilerplate()  # one story syndicated under one title is not boilerplate
    for n in range(5):
        copies.add(f"s{n}", "Harbour reopens", STORY)
    assert copies.junk() == set()
    long = Boilerplate()  # nor is a long text, whatever its titles
    for n in range(3):
        long.add(f"l{n}", f"Title {n}", " ".join([STORY] * 5))
    assert long.junk() == set()
    changed = Boilerplate()  # an article edited away from the form leaves its group
    for n, title in enumerate(["A", "B", "C"]):
        changed.add(f"c{n}", title, FORM)
    changed.add("c0", "A", STORY)
    assert changed.junk() == set()


def test_indexing_skips_boilerplate_and_never_answers_from_it(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "harbour.txt").write_text("Harbour reopens\n\n" + STORY)
    (folder / "feed.jsonl").write_text(records(["Ford recall", "Sprite green bottle", "Plane engine fire"]))
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(index_dir), "-q"])
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert "1 added, 0 updated, 0 unchanged, 3 skipped (3 boilerplate)" in result.output
    assert result.output.count("boilerplate, not an article") == 3
    assert "'Sprite green bottle'" in result.output
    with Index.open(index_dir) as index:
        assert [a.title for a in index.articles()] == ["Harbour reopens"]
        assert all(h.chunk.article_id != "ad-0" for h in index.search("Was the audio on the ad too loud?"))
    again = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(index_dir), "-q"])
    assert "0 added, 0 updated, 1 unchanged, 3 skipped (3 boilerplate)" in again.output


def test_copies_indexed_earlier_are_removed_once_the_text_is_seen_often(tmp_path: Path) -> None:
    first, second = tmp_path / "x", tmp_path / "y"
    first.mkdir()
    second.mkdir()
    (first / "feed.jsonl").write_text(records(["Ford recall", "Sprite green bottle"]))
    (second / "more.jsonl").write_text(records(["Plane engine fire"]).replace("ad-0", "ad-9"))
    with Index.open(tmp_path / "index") as index:
        kept = index.add([first])
        assert len(kept.added) == 2 and not kept.skipped  # two titles: not yet boilerplate
        report = index.add([second])
        assert report.added == [] and report.boilerplate == 3, report.lines()
        removed = [s for s in report.skipped if "removed from the index" in s.reason]
        assert len(removed) == 2 and all("feed.jsonl" in s.path for s in removed)
        assert index.counts() == {"articles": 0, "chunks": 0}
        assert index.consistency_problems() == []
