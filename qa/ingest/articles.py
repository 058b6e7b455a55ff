"""Articles from files: one table of the file formats (suffix -> reader, one article or
many per file, how one record is dropped from a file of many), and the readers of .txt,
.md, .html, .json and .jsonl. Which files to read is `qa.ingest.files`' business, a
record's fields and identity `qa.ingest.records`'."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import ArticleError
from qa.ingest.cleaning import clean_article_text, strip_markdown
from qa.ingest.files import display_name, is_undecodable, list_files, origin_key, read_bytes
from qa.ingest.records import article_from_record, first_words
from qa.types import Article, Ignored, Skipped

_TITLE_MAX_WORDS = 16
_MIN_HTML_WORDS = 5
MAX_ARTICLE_CHARS = 2_000_000  # ~330k words, ~2,000 passages: a book, not an article
MAX_RECORD_BYTES = 16 * 2**20  # one JSON Lines record

# read(path, the file's bytes, its place in its collection): its articles, or a Skipped per bad record
Reader = Callable[[Path, bytes, str], Iterator[Article | Skipped]]
# drop(path, its place, which article): rewrite the file without that article's record
Dropper = Callable[[Path, str, Callable[[Article], bool]], None]


@dataclass(frozen=True)
class FileFormat:
    """One kind of article file: its reader, and whether a file holds one article or many.
    A file of many says how to drop one record (`drop`) when its article is removed, so the
    others stay; a file of one goes whole."""

    read: Reader
    many: bool = False
    drop: Dropper | None = None

    def __post_init__(self) -> None:
        if self.many != (self.drop is not None):
            raise ValueError("a format of many articles a file must say how to drop one, and only it")


def file_format(path: str | Path) -> FileFormat | None:
    """The format of `path` by its suffix (case aside), None for a file of no known kind."""
    return FORMATS.get(Path(path).suffix.lower())


def holds_one_article(path: str | None) -> bool:
    """True when `path` is a file of a format that holds one article a file."""
    found = file_format(path) if path else None
    return found is not None and not found.many


def forget_article(path: Path, origin: str, is_it: Callable[[Article], bool]) -> None:
    """Take an article out of its file: the whole file when it holds one, else the record
    `is_it` picks out (the file goes when nothing is left in it)."""
    found = file_format(path)
    if found is not None and found.drop is not None:
        found.drop(path, origin, is_it)
    else:
        path.unlink(missing_ok=True)


def list_article_files(
    paths: Iterable[str | Path], links_outside: bool = False
) -> Iterator[tuple[Path, Path] | Skipped | Ignored]:
    """(file, the folder its identity is relative to) for each article file under `paths`,
    with a `Skipped` or `Ignored` for what is not read (see `qa.ingest.files.list_files`)."""
    return list_files(paths, tuple(FORMATS), links_outside)


def iter_articles(
    paths: Iterable[str | Path],
    max_file_bytes: int = 50 * 2**20,
    max_article_chars: int = MAX_ARTICLE_CHARS,
    links_outside: bool = False,
) -> Iterator[Article | Skipped | Ignored]:
    """Articles from files and folders (recursively), with a `Skipped` for each bad input
    and an `Ignored` for each hidden file or folder passed over.

    Never raises for bad input: empty, binary, non-UTF-8, malformed, too deeply nested,
    over-large or unreadable files, FIFOs and devices (and bad records of a JSON file)
    come back as `Skipped` naming the file and the reason, so the caller can report them
    and go on. An article longer than `max_article_chars` is skipped too. Symbolic links
    met in a folder are followed only to files inside it, unless `links_outside`.
    """
    for entry in list_article_files(paths, links_outside):
        if isinstance(entry, (Skipped, Ignored)):
            yield entry
        else:
            path, root = entry
            yield from load_path(path, origin_key(path, root), max_file_bytes, max_article_chars)


def load_path(
    path: Path, origin: str, max_file_bytes: int = 50 * 2**20, max_article_chars: int = MAX_ARTICLE_CHARS
) -> Iterator[Article | Skipped]:
    """Articles of one file whose place in its collection is `origin`, or a `Skipped`
    with the reason (its name as `display_name` renders it); never raises for bad input."""
    try:
        for item in load_file(path, max_file_bytes, origin):
            item = _within_size(item, max_article_chars) if isinstance(item, Article) else item
            yield Skipped(display_name(item.path), item.reason) if isinstance(item, Skipped) else item
    except ArticleError as error:
        yield Skipped(display_name(error.path), error.reason)
    except (RecursionError, MemoryError) as error:  # a parser's limits, whatever the format
        yield Skipped(
            display_name(str(path)),
            f"cannot parse the file ({type(error).__name__}: nested or large beyond limits)",
        )


def _within_size(article: Article, limit: int) -> Article | Skipped:
    if len(article.text) <= limit:
        return article
    return Skipped(
        article.path or article.id,
        f"article {article.title[:60]!r} has {len(article.text):,} characters, over the limit of "
        f"{limit:,} (QA_MAX_ARTICLE_CHARS); split it into smaller articles",
    )


def load_file(
    path: Path, max_file_bytes: int = 50 * 2**20, origin: str | None = None
) -> Iterator[Article | Skipped]:
    """Articles of one file, read by its format's reader; raises `ArticleError` when the
    whole file is unusable. `origin` is the file's place in its collection (see `origin_key`)."""
    if is_undecodable(str(path)) or is_undecodable(str(path.resolve())):  # a link to such a name, too
        raise ArticleError(str(path), "the file's path is not valid UTF-8 (undecodable bytes); rename it")
    found = file_format(path)
    if found is None:
        kinds = ", ".join(FORMATS)
        raise ArticleError(str(path), f"unsupported file type {path.suffix!r} (use {kinds})")
    yield from found.read(path, read_bytes(path, max_file_bytes), origin or origin_key(path, path.parent))


def _read_text(path: Path, raw: bytes, origin: str) -> Iterator[Article | Skipped]:
    yield _article_from_plain_text(path, _decode_utf8(path, raw), False, origin)


def _read_markdown(path: Path, raw: bytes, origin: str) -> Iterator[Article | Skipped]:
    yield _article_from_plain_text(path, _decode_utf8(path, raw), True, origin)


def _read_html(path: Path, raw: bytes, origin: str) -> Iterator[Article | Skipped]:
    yield _article_from_html(path, raw, origin)


def _read_json(path: Path, raw: bytes, origin: str) -> Iterator[Article | Skipped]:
    yield from _articles_from_json(path, _decode_utf8(path, raw), origin)


def _read_jsonl(path: Path, raw: bytes, origin: str) -> Iterator[Article | Skipped]:
    yield from _articles_from_jsonl(path, _decode_utf8(path, raw), origin)


def _decode_utf8(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            str(path), f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None


def _article_from_plain_text(path: Path, text: str, markdown: bool, origin: str) -> Article:
    meta: dict[str, Any] = {}
    if markdown:
        meta, text = _split_front_matter(text)
        text = strip_markdown(text)
    cleaned = clean_article_text(text)
    title, body = _title_and_body(cleaned.text, str(meta.get("title") or ""), path)
    record = {
        **meta,
        "title": title,
        "text": body,
        "source": meta.get("source") or cleaned.source,
        "author": meta.get("author") or cleaned.author,
        "published": meta.get("published") or cleaned.published,
    }
    return article_from_record(record, path=path, where=str(path), clean=False, origin=origin)


def _title_and_body(text: str, given_title: str, path: Path) -> tuple[str, str]:
    """Title from front matter, else a short first line (removed from the body), else the name."""
    first, _, rest = text.partition("\n")
    if given_title:
        return given_title, rest.strip() if first.strip() == given_title.strip() else text
    looks_like_title = len(first.split()) <= _TITLE_MAX_WORDS and not first.rstrip().endswith((".", ",", ";"))
    if first and looks_like_title and rest.strip():
        return first.strip(), rest.strip()
    return _title_from_name(path) or first_words(text), text


def _title_from_name(path: Path) -> str | None:
    words = [w for w in re.split(r"[\s_-]+", path.stem) if w]
    alpha = [w for w in words if w.isalpha()]
    if len(alpha) < 2 or len(alpha) < len(words) / 2:
        return None  # names like 000_4dffa7774767ed82 say nothing
    title = " ".join(words)
    return title[0].upper() + title[1:]


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = re.match(r"---\n(.*?)\n---\n", text.replace("\r\n", "\n"), re.DOTALL)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    if "date" in meta and "published" not in meta:
        meta["published"] = meta["date"]
    return meta, text[match.end() :]


def _article_from_html(path: Path, raw: bytes, origin: str) -> Article:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=True
        )
    except ImportError:
        raise  # a broken installation, not a bad file
    except Exception as error:  # trafilatura raises many kinds on broken markup
        raise ArticleError(str(path), f"cannot parse the HTML: {error}") from None
    meta: Any = doc if doc is not None and not isinstance(doc, dict) else None
    text = (getattr(meta, "text", None) or "").strip()
    if meta is None or len(text.split()) < _MIN_HTML_WORDS:  # a page of menus and links only
        raise ArticleError(str(path), "no article text found in the HTML")
    title = (meta.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:
        text = rest
    cleaned = clean_article_text(text)
    record = {
        "title": title or _title_from_name(path) or first_words(cleaned.text),
        "text": cleaned.text,
        "url": meta.url,
        "source": meta.sitename or cleaned.source or meta.hostname,
        "author": meta.author or cleaned.author,
        "published": meta.date,
    }
    return article_from_record(record, path=path, where=str(path), clean=False, origin=origin)


def _articles_from_json(path: Path, text: str, origin: str) -> Iterator[Article | Skipped]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArticleError(
            str(path), f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise ArticleError(str(path), "JSON nested too deeply to be an article") from None
    except ValueError as error:  # a number beyond Python's digit limit, and the like
        raise ArticleError(str(path), _json_value_reason(error)) from None
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, 1):
        if record is None and isinstance(data, list):
            continue  # a removed record's place (see `Index.remove`): the others keep their numbers
        where = f"{path}[{number - 1}]" if isinstance(data, list) else str(path)
        yield _record_or_skip(record, path, where, number, origin)


def _articles_from_jsonl(path: Path, text: str, origin: str) -> Iterator[Article | Skipped]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        if len(line) > MAX_RECORD_BYTES:
            yield Skipped(where, f"record of {len(line):,} characters, over the {MAX_RECORD_BYTES:,} limit")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Skipped(where, f"malformed JSON: {error.msg} at column {error.colno}")
            continue
        except RecursionError:
            yield Skipped(where, "JSON nested too deeply to be an article")
            continue
        except ValueError as error:  # a number beyond Python's digit limit, and the like
            yield Skipped(where, _json_value_reason(error))
            continue
        yield _record_or_skip(record, path, where, number, origin)


def _json_value_reason(error: ValueError) -> str:
    if "integer string conversion" in str(error):
        return f"a JSON number has more than {sys.get_int_max_str_digits():,} digits (not an article field)"
    return f"cannot read a JSON value: {error}"


def _record_or_skip(record: Any, path: Path, where: str, number: int, origin: str) -> Article | Skipped:
    try:
        return article_from_record(record, path=path, where=where, number=number, origin=origin)
    except ArticleError as error:
        return Skipped(error.path, error.reason)


def _drop_jsonl_record(path: Path, origin: str, is_it: Callable[[Article], bool]) -> None:
    """Rewrite a JSON Lines file without the record `is_it` picks out; its line stays, empty,
    so the other records keep their numbers and so their ids."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [
        "\n" if line.strip() and _is_record(_json_or_none(line), path, number, origin, is_it) else line
        for number, line in enumerate(lines, 1)
    ]
    _rewrite(path, "".join(kept) if any(line.strip() for line in kept) else "")


def _drop_json_record(path: Path, origin: str, is_it: Callable[[Article], bool]) -> None:
    """Rewrite a JSON file without the record `is_it` picks out; in a list its place stays
    (a `null`), so the other records keep their numbers and so their ids."""
    data = _json_or_none(path.read_text(encoding="utf-8"))
    records = data if isinstance(data, list) else [data]
    remaining = [None if _is_record(r, path, n, origin, is_it) else r for n, r in enumerate(records, 1)]
    body = (
        json.dumps(remaining if isinstance(data, list) else remaining[0], ensure_ascii=False)
        if any(r is not None for r in remaining)
        else ""
    )
    _rewrite(path, body)


def _is_record(record: Any, path: Path, number: int, origin: str, is_it: Callable[[Article], bool]) -> bool:
    try:
        return is_it(article_from_record(record, path, str(path), number, origin=origin))
    except ArticleError:
        return False


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _rewrite(path: Path, body: str) -> None:
    """Replace `path` by `body` atomically; remove it when `body` is empty."""
    if not body:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)


FORMATS: dict[str, FileFormat] = {
    ".txt": FileFormat(_read_text),
    ".md": FileFormat(_read_markdown),
    ".markdown": FileFormat(_read_markdown),
    ".html": FileFormat(_read_html),
    ".htm": FileFormat(_read_html),
    ".json": FileFormat(_read_json, many=True, drop=_drop_json_record),
    ".jsonl": FileFormat(_read_jsonl, many=True, drop=_drop_jsonl_record),
}
SUPPORTED_SUFFIXES = tuple(FORMATS)
