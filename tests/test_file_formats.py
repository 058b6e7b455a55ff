"""The table of file formats (`qa.ingest.articles.FORMATS`): it decides what is read, how,
and what a removal takes out of a file of many articles."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qa.index import Index
from qa.ingest import articles
from qa.ingest.articles import FORMATS, SUPPORTED_SUFFIXES, FileFormat, holds_one_article
from qa.ingest.records import article_from_record
from qa.types import Article, Skipped

BIRCH = {"title": "Birch report", "text": "The birch trees in the park were counted: 412 in all."}
ELM = {"title": "Elm report", "text": "The elms along the canal were treated for disease in May."}
OAK = {"title": "Oak report", "text": "The old oak by the harbour gate was found hollow in June."}


def test_the_table_says_which_files_hold_one_article() -> None:
    assert tuple(FORMATS) == SUPPORTED_SUFFIXES
    assert [s for s in SUPPORTED_SUFFIXES if not holds_one_article(f"a{s}")] == [".json", ".jsonl"]
    assert holds_one_article("/x/STORY.TXT") and not holds_one_article("notes.csv")
    assert not holds_one_article(None)


def test_a_format_of_many_articles_must_say_how_to_drop_one() -> None:
    with pytest.raises(ValueError, match="drop"):
        FileFormat(FORMATS[".txt"].read, many=True)
    with pytest.raises(ValueError, match="drop"):
        FileFormat(FORMATS[".txt"].read, drop=FORMATS[".json"].drop)


def test_removing_one_record_of_an_uploaded_json_list_keeps_the_others(tmp_path: Path) -> None:
    root = tmp_path / "index"
    feed = root / "uploads" / "trees.json"
    feed.parent.mkdir(parents=True)
    feed.write_text(json.dumps([BIRCH, ELM, OAK]))
    with Index.open(root) as index:
        birch_id, elm_id, oak_id = index.add([feed]).added
        assert index.remove(elm_id)
        kept = json.loads(feed.read_text())
        assert [r and r["title"] for r in kept] == ["Birch report", None, "Oak report"]  # places kept
        again = index.add([root / "uploads"])
        assert sorted(again.unchanged) == sorted([birch_id, oak_id]) and not again.added
        assert index.remove(birch_id) and index.remove(oak_id) and not feed.exists()


def _line_article(path: Path, line: str, number: int, origin: str) -> Article:
    title, _, text = line.strip().partition("|")
    return article_from_record(
        {"title": title, "text": text}, path, f"{path}:{number}", number, origin=origin
    )


def _read_lines(path: Path, raw: bytes, origin: str) -> Iterator[Article | Skipped]:
    """A made-up format of many articles: one `title|text` a line."""
    for number, line in enumerate(raw.decode().splitlines(), 1):
        if line.strip():
            yield _line_article(path, line, number, origin)


def _drop_line(path: Path, origin: str, is_it: Callable[[Article], bool]) -> None:
    lines = path.read_text().splitlines(keepends=True)
    path.write_text(
        "".join(
            "\n" if line.strip() and is_it(_line_article(path, line, number, origin)) else line
            for number, line in enumerate(lines, 1)
        )
    )


def test_a_new_format_in_the_table_is_read_and_removal_keeps_its_other_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(articles.FORMATS, ".lines", FileFormat(_read_lines, many=True, drop=_drop_line))
    root = tmp_path / "index"
    feed = root / "uploads" / "trees.lines"
    feed.parent.mkdir(parents=True)
    feed.write_text("".join(f"{r['title']}|{r['text']}\n" for r in (BIRCH, ELM, OAK)))
    with Index.open(root) as index:
        report = index.add([root / "uploads"])
        assert len(report.added) == 3 and not report.skipped
        titles = {a.id: a.title for a in index.articles()}
        elm_id = next(i for i, t in titles.items() if t == "Elm report")
        assert index.remove(elm_id)
        assert [line.split("|")[0] for line in feed.read_text().splitlines()] == [
            "Birch report",
            "",
            "Oak report",
        ]
        again = index.add([root / "uploads"])
        assert len(again.unchanged) == 2 and not again.added
