"""Loading articles from every supported format, and skipping bad input with reasons."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from qa.ingest.articles import iter_articles
from qa.ingest.records import normalise_date
from qa.types import Article, Skipped

SEED = Path(__file__).resolve().parent.parent / "seeds" / "Putin-refused-direct-contact-with-Prigozhin.txt"


def load(*paths: Path | str, **kwargs: int) -> tuple[list[Article], list[Skipped]]:
    items = list(iter_articles(paths, **kwargs))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def test_seed_article_is_cleaned_and_keeps_its_metadata() -> None:
    (article,), skipped = load(SEED)
    assert not skipped
    assert article.title == "Putin refused direct contact with Prigozhin"
    assert article.source == "Blick"
    assert article.author == "Amelia James"
    assert article.text.startswith("On June 24, events took a turn")
    assert article.text.endswith("prevented civil war in Russia. (new)")
    for leftover in ("class=", "sc-29f61514", "Source: Blick", "Amelia James", "24 Instant News"):
        assert leftover not in article.text
    assert len(article.content_hash) == 32


def test_ids_are_stable_across_loads() -> None:
    (first,), _ = load(SEED)
    (second,), _ = load(SEED)
    assert first.id == second.id and first.content_hash == second.content_hash


def test_html_keeps_main_text_and_drops_navigation_and_ads(data_dir: Path) -> None:
    (article,), _ = load(data_dir / "harbour-bridge.html")
    assert article.title == "Harbour bridge reopens after two-year repair"
    assert article.source == "Coastal Herald"
    assert article.author == "Maria Okafor"
    assert article.published == "2024-03-14"
    assert article.url == "https://coastalherald.example/news/harbour-bridge-reopens"
    assert "212 steel cables" in article.text
    for noise in ("SuperPhone", "Cheap flights", "Most read", "Privacy", "tracking", "Subscribe now"):
        assert noise not in article.text


def test_markdown_front_matter_and_markup(data_dir: Path) -> None:
    (article,), _ = load(data_dir / "council-budget.md")
    assert article.title == "City council approves budget for new library"
    assert (article.source, article.author, article.published) == (
        "Riverside Gazette",
        "Tom Becker",
        "2024-05-02",
    )
    assert "12.5 million dollars" in article.text
    assert "**" not in article.text and "](" not in article.text and "#" not in article.text
    assert not article.text.startswith("City council approves")  # the heading became the title


def test_jsonl_keeps_ids_and_fields(data_dir: Path) -> None:
    articles, skipped = load(data_dir / "wire-stories.jsonl")
    assert not skipped
    assert [a.id for a in articles] == ["wire-001", "wire-002"]
    assert articles[0].published == "2024-01-09" and articles[0].author == "Lena Park"


def test_json_single_object_and_list(data_dir: Path, tmp_path: Path) -> None:
    (single,), _ = load(data_dir / "science-brief.json")
    assert single.title == "Researchers map deep-sea coral reef" and single.source == "Science Desk"
    many = tmp_path / "many.json"
    many.write_text(
        '[{"title": "A", "text": "First story text."}, {"title": "B", "text": "Second story text."}]'
    )
    articles, _ = load(many)
    assert [a.title for a in articles] == ["A", "B"] and articles[0].id != articles[1].id


def test_plain_text_title_from_first_short_line(tmp_path: Path) -> None:
    path = tmp_path / "000_abc123.txt"
    path.write_text(
        "Floods hit the valley\nRivers rose by two metres overnight. Hundreds left their homes.\n"
    )
    (article,), _ = load(path)
    assert article.title == "Floods hit the valley"
    assert article.text == "Rivers rose by two metres overnight. Hundreds left their homes."


def test_folders_are_read_recursively_and_hidden_files_ignored(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("Deep story\nSomething happened deep down.")
    (tmp_path / ".hidden.txt").write_text("Hidden\nShould not be read.")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    articles, skipped = load(tmp_path)
    assert [a.title for a in articles] == ["Deep story"] and not skipped


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        ("latin1.txt", "Caf\u00e9 au lait".encode("latin-1"), "not valid UTF-8"),
        ("broken.json", b'{"title": "x", "text": ', "malformed JSON"),
        ("notext.json", b'{"title": "x"}', "field 'text'"),
        ("wrongtype.json", b'{"title": ["x"], "text": "Body."}', "field 'title' must be a string"),
        ("page.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ],
)
def test_bad_files_are_skipped_with_the_file_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    articles, skipped = load(path)
    assert not articles
    assert len(skipped) == 1 and str(path) in skipped[0].path and reason in skipped[0].reason


def test_bad_jsonl_lines_are_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok-1", "text": "Fine."}\nnot json\n{"id": "bad", "text": 5}\n{"id": "ok-2", "text": "Also fine."}\n'
    )
    articles, skipped = load(path)
    assert [a.id for a in articles] == ["ok-1", "ok-2"]
    assert [s.path for s in skipped] == [f"{path}:2", f"{path}:3"]


def test_over_large_and_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 5000)
    _, skipped = load(big, max_file_bytes=1000)
    assert "over the" in skipped[0].reason and "--max-file-mb" in skipped[0].reason
    locked = tmp_path / "locked.txt"
    locked.write_text("Title\nBody text.")
    original = os.open

    def deny(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path) == locked:  # a test double for a permission error (tests may run as root)
            raise PermissionError(13, "Permission denied", str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    _, skipped = load(locked)
    assert skipped[0].path == str(locked) and "permission denied" in skipped[0].reason


def test_unsupported_and_missing_paths(tmp_path: Path) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    _, skipped = load(pdf, tmp_path / "missing.txt")
    assert "unsupported file type '.pdf'" in skipped[0].reason
    assert "no such file" in skipped[1].reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-14T09:30:00Z", "2024-03-14"),
        ("March 5, 2023", "2023-03-05"),
        ("5 March 2023", "2023-03-05"),
        ("someday", "someday"),
        (None, None),
    ],
)
def test_normalise_date(raw: str | None, expected: str | None) -> None:
    assert normalise_date(raw) == expected


# ---- links and odd folders (issue 18, item 4) -------------------------------------------
def _by_name(items: list[Article | Skipped]) -> tuple[list[str], dict[str, str]]:
    titles = sorted(i.title for i in items if isinstance(i, Article))
    return titles, {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}


def test_links_are_followed_only_inside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "private" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text("Secret notes\n\nThe safe code is 4711.")
    folder = tmp_path / "articles"
    (folder / ".drafts").mkdir(parents=True)
    (folder / ".drafts" / "draft.txt").write_text("Draft story\n\nA draft kept in a hidden folder.")
    (folder / "real.txt").write_text("Real story\n\nThe bridge opened in May.")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(outside)
    (folder / "draft-link.txt").symlink_to(folder / ".drafts" / "draft.txt")  # inside: followed
    (folder / "same.txt").symlink_to(folder / "real.txt")  # inside, the same file: read once
    articles, skipped = load(folder)
    titles, reasons = _by_name(articles + skipped)
    assert titles == ["Draft story", "Real story"]
    assert "outside" in reasons["passwd.txt"] and "not followed" in reasons["passwd.txt"]
    assert "outside" in reasons["secret.txt"] and str(outside) in reasons["secret.txt"]
    assert "same file as" in reasons["same.txt"] or "same file as" in reasons["real.txt"]
    assert not any("4711" in a.text for a in articles)
    allowed = [i for i in iter_articles([folder], links_outside=True) if isinstance(i, Article)]
    assert "Secret notes" in [a.title for a in allowed]


def test_folder_links_loops_and_folders_named_like_files_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "story.txt").write_text("Sub story\n\nThe ferry sailed at noon.")
    (folder / "sub" / "up").symlink_to(folder)  # a cycle back to an enclosing folder
    (folder / "self").symlink_to(folder / "self")  # a link to itself (ELOOP), named like no file
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.txt").write_text("Secret\n\nNot for the index.")
    (folder / "elsewhere").symlink_to(tmp_path / "private")  # a folder outside
    (folder / "again").symlink_to(folder / "sub")  # a folder inside: read there, not twice
    (folder / "notes.txt").mkdir()  # a folder named like an article file
    (folder / "notes.txt" / "inner.txt").write_text("Inner story\n\nText inside an odd folder.")
    articles, skipped = load(folder)
    titles, reasons = _by_name(articles + skipped)
    assert titles == ["Sub story"]
    assert "symbolic link loop" in reasons["up"]
    assert "symbolic link loop" in reasons["self"]
    assert "outside" in reasons["elsewhere"]
    assert "inside the folder" in reasons["again"]
    assert "a folder named like an article file" in reasons["notes.txt"]


def test_index_add_takes_the_links_outside_option(tmp_path: Path) -> None:
    from qa.index import Index

    outside = tmp_path / "private" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text("Secret notes\n\nThe safe code is 4711.")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "secret.txt").symlink_to(outside)
    with Index.open(tmp_path / "index") as index:
        report = index.add([folder])
        assert not report.added and "outside" in report.skipped[0].reason
        assert index.add([folder], links_outside=True).added
