"""Inputs that once aborted a whole indexing run or forged its report (issue 18): a JSON
number beyond Python's digit limit, lone surrogate escapes, file names that are not UTF-8,
names with control characters, escape sequences in titles. Each is named and skipped (or,
where only a few characters are at fault, cleaned), and the run goes on."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.ingest.articles import display_name, iter_articles
from qa.ingest.cleaning import normalise_whitespace
from qa.types import Article, Ignored, Skipped

GOOD = "Good story\n\nThe ferry crossed the fjord at dawn and docked in Bergen."
DIGIT_LIMIT = sys.get_int_max_str_digits()


def load(*paths: Path | str) -> list[Article | Skipped | Ignored]:
    return list(iter_articles(paths))


def assert_storable(items: list[Article | Skipped | Ignored]) -> None:
    """Every article can be written as UTF-8 (to SQLite, a hash, a terminal), and every
    skipped input is named on one printable line with a reason."""
    db = sqlite3.connect(":memory:")
    for item in items:
        if isinstance(item, Article):
            for value in (item.id, item.title, item.text, item.url, item.path, item.origin, item.source):
                if value is not None:
                    value.encode("utf-8")  # raises on a lone surrogate
                    db.execute("SELECT ?", (value,))
            assert item.text.strip() and item.title.strip()
        else:
            assert item.path.isprintable(), item
            if isinstance(item, Skipped):
                assert item.reason.strip() and item.reason.isprintable()


def write_bytes_name(folder: Path, name: bytes, content: bytes) -> Path:
    target = os.path.join(os.fsencode(folder), name)
    with open(target, "wb") as out:
        out.write(content)
    return Path(os.fsdecode(target))


# ---- numbers ------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_number_beyond_the_digit_limit_skips_only_its_input(tmp_path: Path, suffix: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    huge = "9" * (DIGIT_LIMIT + 700)
    bad = tmp_path / f"big{suffix}"
    bad.write_text('{"title": "Big", "text": "Body text here.", "n": ' + huge + "}\n")
    items = load(tmp_path)
    assert [i.title for i in items if isinstance(i, Article)] == ["Good story"]
    (skipped,) = [i for i in items if isinstance(i, Skipped)]
    assert skipped.path.startswith(str(bad)) and f"more than {DIGIT_LIMIT:,} digits" in skipped.reason


def test_the_other_records_of_a_jsonl_survive_a_huge_number(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "a", "text": "First story."})
        + "\n"
        + '{"id": "b", "text": "x", "n": '
        + "1" * (DIGIT_LIMIT + 1)
        + "}\n"
        + json.dumps({"id": "c", "text": "Third story."})
        + "\n"
    )
    items = load(feed)
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "c"]
    assert [i.path for i in items if isinstance(i, Skipped)] == [f"{feed}:2"]


# ---- lone surrogates ------------------------------------------------------------------
def test_lone_surrogates_are_stripped_and_the_record_kept(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"title": "Sur\\ud800rogate", "text": "Body with \\udfff a lone surrogate.", "author": "A\\udc80 B"}\n'
        '{"title": "Pair \\ud83d\\ude00", "text": "A real pair stays."}\n'
    )
    items = load(feed)
    assert_storable(items)
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (
        first.title == "Surrogate" and first.text == "Body with  a lone surrogate." and first.author == "A B"
    )
    assert second.title == "Pair \U0001f600"


# ---- names --------------------------------------------------------------------------
def test_names_that_are_not_utf8_are_named_escaped_and_skipped(tmp_path: Path) -> None:
    write_bytes_name(tmp_path, b"name\xff.txt", GOOD.encode())
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"dir\xfe")))
    folder.mkdir()
    (folder / "inside.txt").write_text(GOOD)
    (tmp_path / "good.txt").write_text(GOOD)
    items = load(tmp_path)
    assert_storable(items)
    assert [i.title for i in items if isinstance(i, Article)] == ["Good story"]
    skipped = {i.path: i.reason for i in items if isinstance(i, Skipped)}
    assert set(skipped) == {f'"{tmp_path}/dir\\xfe"', f'"{tmp_path}/name\\xff.txt"'}
    assert all("not valid UTF-8" in reason for reason in skipped.values())


def test_a_link_to_a_name_that_is_not_utf8_is_skipped(tmp_path: Path) -> None:
    target = write_bytes_name(tmp_path, b"target\xff.txt", GOOD.encode())
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link.txt").symlink_to(target)
    (item,) = load(folder / "link.txt")
    assert isinstance(item, Skipped) and "not valid UTF-8" in item.reason


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("plain name.txt", "plain name.txt"),
        ("evil\nskipped /etc/x.txt: forged.txt", '"evil\\nskipped /etc/x.txt: forged.txt"'),
        ("red\x1b[31m.txt", '"red\\x1b[31m.txt"'),
        ("exe\u202etxt.md", '"exe\\u202etxt.md"'),
        ("byte\udcff.txt", '"byte\\xff.txt"'),
        ('q"uo\\te\n.txt', '"q\\"uo\\\\te\\n.txt"'),
    ],
)
def test_display_name_keeps_every_name_on_one_printable_line(name: str, shown: str) -> None:
    assert display_name(name) == shown
    assert display_name(shown) == shown  # idempotent: a rendered name is left as it is


# ---- fuzz: numbers, escapes and names ---------------------------------------------------
ESCAPE = st.one_of(
    st.integers(0xD800, 0xDFFF).map(lambda c: f"\\u{c:04x}"),  # lone surrogates, as JSON escapes
    st.integers(0, 0x1F).map(lambda c: f"\\u{c:04x}"),  # control characters
    st.sampled_from(["\\u202e", "\\u2066", "\\u200f", "\\u001b[31m", "\\ufeff", "\\n", "\\\\", '\\"']),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\'), max_size=5
    ),
)
JSON_STRING = st.lists(ESCAPE, max_size=12).map(lambda parts: '"' + "".join(parts) + '"')
NUMBER = st.one_of(
    st.integers(1, 30).map(lambda n: "7" * n),
    st.integers(DIGIT_LIMIT - 2, DIGIT_LIMIT + 50).map(lambda n: "3" * n),
    st.integers(1, 60).map(lambda n: "1." + "5" * n + "e" + str(n * 13)),
)
NAME = st.binary(min_size=1, max_size=24).filter(
    lambda b: b"/" not in b and b"\x00" not in b and not b.startswith(b".")
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=JSON_STRING,
    text=JSON_STRING,
    number=NUMBER,
    field=st.sampled_from(["n", "id", "title", "published"]),
    name=NAME,
    suffix=st.sampled_from([".json", ".jsonl"]),
)
def test_any_numbers_escapes_and_names_load_or_skip_with_a_reason(
    tmp_path_factory: pytest.TempPathFactory,
    title: str,
    text: str,
    number: str,
    field: str,
    name: bytes,
    suffix: str,
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    # the text always ends in a line of readable words (an escape sequence may take what
    # follows it on its line: "ESC a" is one); the title and the number may be anything
    record = '{"title": ' + title + ', "text": ' + text[:-1] + '\\n and more words."'
    record += ', "' + field + '": ' + number + "}"
    path = write_bytes_name(folder, name + suffix.encode(), record.encode("utf-8") + b"\n")
    (folder / "good.txt").write_text(GOOD)
    items = load(folder)
    assert_storable(items)
    assert "Good story" in [i.title for i in items if isinstance(i, Article)]
    rest = [i for i in items if not (isinstance(i, Article) and i.title == "Good story")]
    assert len(rest) == 1, rest
    (item,) = rest
    digits = len(number) if number.isdigit() else 0
    if b"\xff" in name or not _utf8(name):
        assert isinstance(item, Skipped) and "not valid UTF-8" in item.reason
        assert item.path == display_name(str(path)) and item.path.startswith('"')
    elif digits > DIGIT_LIMIT:
        assert isinstance(item, Skipped) and "digits" in item.reason
    else:
        assert isinstance(item, Article), item
        assert item.text.endswith("and more words.")


def _utf8(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ---- the whole run ------------------------------------------------------------------
def test_qa_index_names_and_skips_each_bad_input_and_indexes_the_rest(tmp_path: Path) -> None:
    """The tester's three inputs in one folder: exit 3, good files indexed, bad ones named."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "big.json").write_text('{"text": "Body.", "n": ' + "9" * (DIGIT_LIMIT + 1) + "}")
    (folder / "surrogate.jsonl").write_text(
        '{"title": "Harbour \\ud800news", "text": "The harbour \\ud800crane was repaired on Monday."}\n'
    )
    write_bytes_name(folder, b"name\xff.txt", GOOD.replace("Good", "Other").encode())
    index_dir = tmp_path / "index"
    done = subprocess.run(
        [sys.executable, "-m", "qa", "index", str(folder), "--index-dir", str(index_dir), "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=300,
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "2 added" in done.stdout and "2 skipped" in done.stdout, done.stdout
    assert f"skipped {folder / 'big.json'}: a JSON number has more than" in done.stderr
    assert f'skipped "{folder}/name\\xff.txt": the name is not valid UTF-8' in done.stderr
    from qa.index import Index

    with Index.open(index_dir) as index:
        assert sorted(a.title for a in index.articles()) == ["Good story", "Harbour news"]
        assert index.consistency_problems() == []


# ---- names and titles that would forge or garble the report (issue 18, item 6) ----------
FORGING = "evil.txt\nskipped secret.txt: all fine.txt"


def test_a_name_with_a_line_break_cannot_forge_a_line_of_the_report(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qa.cli import EXIT_SKIPPED, main
    from qa.index import Index

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / FORGING).write_text("")  # empty: skipped, so its name is printed
    (folder / "red\x1b[31m.md").write_text("")
    with Index.open(tmp_path / "index") as index:
        report = index.add([folder])
    shown = {s.path for s in report.skipped}
    assert shown == {
        f'"{folder}/evil.txt\\nskipped secret.txt: all fine.txt"',
        f'"{folder}/red\\x1b[31m.md"',
    }
    lines = report.lines()
    assert len(lines) == 3 and all(line.isprintable() for line in lines)
    assert sum(line.startswith("skipped ") for line in lines) == 2
    result = CliRunner().invoke(main, ["index", str(folder), "--index-dir", str(tmp_path / "index"), "-q"])
    assert result.exit_code == EXIT_SKIPPED
    printed = [line for line in result.output.splitlines() if line.startswith("skipped")]
    assert len(printed) == 2 and not any(line.startswith("skipped secret.txt") for line in printed)
    assert "\x1b" not in result.output


def test_escape_sequences_and_bidi_controls_are_stripped_from_titles(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [
        {
            "title": "\x1b[31mRed\x1b[0m alert",
            "text": "The alarm rang twice.",
            "author": "\x1b[1mAnn\x1b[0m Lee",
        },
        {"title": "\u202eevil\u202c report\u2066", "text": "The report was filed late."},
        {"title": "\x1b]0;owned\x07Window title", "text": "A window title story.", "source": "Wire\u200f"},
        {"title": "\x1b[2J\x1b[H", "text": "Only escapes in the title here."},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    story = tmp_path / "story.txt"
    story.write_text("Ferry \x1b[5mnews\x1b[0m \u202etoday\n\nThe ferry \x1b[31msailed\x1b[0m at noon.")
    items = load(feed, story)
    assert_storable(items)
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.title for a in articles] == [
        "Red alert",
        "evil report",
        "Window title",
        "Only escapes in the title here.",
        "Ferry news today",
    ]
    assert articles[0].author == "Ann Lee" and articles[2].source == "Wire"
    assert articles[-1].text == "The ferry sailed at noon."
    for article in articles:
        assert article.title.isprintable() and "\x1b" not in article.text


def test_an_escape_takes_nothing_past_its_line() -> None:
    # hypothesis found it: "ESC" before " and more words." is the escape "ESC SP a"; on its
    # own line it is ESC alone. An OSC left open ends with its line, not with the article
    assert normalise_whitespace("Story \x1b\n and more words.").endswith("and more words.")
    assert normalise_whitespace("Story \x1b]0;title\nThe story goes on.") == "Story\nThe story goes on."
    assert normalise_whitespace("A \x1b]0;title\x07B") == "A B"
