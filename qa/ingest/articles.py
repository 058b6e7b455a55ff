"""Loading articles from .txt, .md, .html, .json and .jsonl files and folders of them."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from qa.errors import ArticleError
from qa.ingest.cleaning import (
    clean_article_text,
    clean_title,
    normalise_whitespace,
    strip_markdown,
    without_lone_surrogates,
)
from qa.types import Article, Ignored, Skipped

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
_SKIP_DIRS = {"node_modules", "__pycache__"}
_TITLE_MAX_WORDS = 16
_MIN_HTML_WORDS = 5
_TEXT_FIELDS = ("text", "content", "body")
MAX_ARTICLE_CHARS = 2_000_000  # ~330k words, ~2,000 passages: a book, not an article
MAX_RECORD_BYTES = 16 * 2**20  # one JSON Lines record
_READABLE_WORD = re.compile(r"(?<!\w)\w{1,40}(?!\w)")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")


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
    for entry in _expand_paths(paths, links_outside):
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


def display_name(name: str) -> str:
    """A file name (or `name:line`) safe to print on one line of a report: unchanged when
    every character is printable; else in double quotes, with undecodable bytes as `\\xff`,
    control, bidirectional and other unprintable characters as escapes (`\\n`, `\\x1b`,
    `\\u202e`) and `\\` and `"` escaped, so a name can neither break a line nor pass for
    another one."""
    if name.isprintable():
        return name
    out = []
    for char in name:
        if "\udc80" <= char <= "\udcff":  # a byte that is not UTF-8 (os.fsdecode's surrogateescape)
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif char in '\\"':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return '"' + "".join(out) + '"'


def _undecodable(name: str) -> bool:
    """True for a name holding bytes that are not UTF-8 (decoded as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_UNDECODABLE_NAME = "the name is not valid UTF-8 (undecodable bytes); rename it to index it"


def origin_key(path: Path, root: Path) -> str:
    """Where a file sits in the collection it was indexed from: its path relative to the
    folder given (or, for a file given directly, to its folder), led by that folder's
    name: `seeds/story.txt`, `a/news/x.txt`. Part of an article's identity."""
    base = Path(os.path.abspath(root))
    try:
        relative = Path(os.path.abspath(path)).relative_to(base)
    except ValueError:
        relative = Path(path.name)
    return "/".join((base.name, *relative.parts))


def _expand_paths(
    paths: Iterable[str | Path], links_outside: bool = False
) -> Iterator[tuple[Path, Path] | Skipped | Ignored]:
    """(file, the folder its identity is relative to) for each file to read; see
    `_expand`. Names of what is skipped or ignored come as `display_name` renders them."""
    for entry in _expand(paths, links_outside):
        if isinstance(entry, Skipped):
            yield Skipped(display_name(entry.path), entry.reason)
        elif isinstance(entry, Ignored):
            yield Ignored(display_name(entry.path))
        else:
            yield entry


def _expand(
    paths: Iterable[str | Path], links_outside: bool = False
) -> Iterator[tuple[Path, Path] | Skipped | Ignored]:
    """(file, the folder its identity is relative to) for each file to read, each file
    once (another name for a file already read, a link or a path given twice, is `Skipped`).

    Inside a folder, a symbolic link to a file is followed only when its target lies in
    that folder, unless `links_outside`; links to folders are never entered (each is named
    with why: a loop, outside, or inside and read there), nor folders named like article
    files. A path given by name is read wherever it points."""
    seen: dict[str, str] = {}  # real path -> the name it was read under
    for raw in paths:
        path = Path(raw)
        if _undecodable(str(path)):
            yield Skipped(str(path), _UNDECODABLE_NAME)
            continue
        try:
            mode = os.stat(path).st_mode  # follows symbolic links
        except OSError as error:
            yield Skipped(str(path), _os_reason(error, "cannot read"))
            continue
        if stat.S_ISDIR(mode):
            for item in _walk(path, links_outside):
                yield _once(item, path, seen) if isinstance(item, Path) else item
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield _once(path, path.parent, seen)
        else:
            kinds = ", ".join(SUPPORTED_SUFFIXES)
            yield Skipped(str(path), f"unsupported file type {path.suffix!r} (use {kinds})")


def _once(path: Path, root: Path, seen: dict[str, str]) -> tuple[Path, Path] | Skipped:
    real = os.path.realpath(path)
    if real in seen:
        return Skipped(str(path), f"the same file as {display_name(seen[real])} (read once)")
    seen[real] = str(path)
    return path, root


def _walk(folder: Path, links_outside: bool = False) -> Iterator[Path | Skipped | Ignored]:
    """Supported files under `folder` in name order; unreadable folders, links not
    followed and folders named like files as `Skipped`, hidden entries as `Ignored`
    (hidden folders are not entered)."""
    errors: list[OSError] = []
    top = os.path.realpath(folder)
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        while errors:
            error = errors.pop(0)
            yield Skipped(str(error.filename or root), _os_reason(error, "cannot read the folder"))
        for name in sorted(d for d in dirs if d.startswith(".")):
            yield Ignored(str(Path(root) / name))
        entered = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            reason = _folder_reason(Path(root) / name, top)
            if reason:
                yield Skipped(str(Path(root) / name), reason)
            elif name not in _SKIP_DIRS:
                entered.append(name)
        dirs[:] = entered
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith("."):
                yield Ignored(str(path))
            elif _undecodable(name) and name.lower().endswith(SUPPORTED_SUFFIXES):
                yield Skipped(str(path), _UNDECODABLE_NAME)
            elif os.path.islink(path):
                reason = _file_link_reason(path, top, links_outside)
                if reason:
                    yield Skipped(str(path), reason)
                elif name.lower().endswith(SUPPORTED_SUFFIXES):
                    yield path
            elif name.lower().endswith(SUPPORTED_SUFFIXES):
                yield path
    for error in errors:
        yield Skipped(str(error.filename or folder), _os_reason(error, "cannot read the folder"))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _folder_reason(path: Path, top: str) -> str | None:
    """Why a folder met while walking is not entered, or None to enter it."""
    if _undecodable(path.name):
        return _UNDECODABLE_NAME
    if os.path.islink(path):
        target = os.path.realpath(path)
        if _inside(os.path.realpath(path.parent), target):
            return "symbolic link loop (a link to a folder that contains it); not followed"
        if not _inside(target, top):
            return f"link to a folder outside the folder being indexed ({display_name(target)}); not followed"
        return "link to a folder inside the folder being indexed; its files are read there, not twice"
    if path.name.lower().endswith(SUPPORTED_SUFFIXES):
        return (
            f"a folder named like an article file ({path.suffix}); not read, to index its files "
            "rename it or give it as a path"
        )
    return None


def _file_link_reason(path: Path, top: str, links_outside: bool) -> str | None:
    """Why a link met while walking (that is no folder) is not read, or None to read it."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP or path.name.lower().endswith(SUPPORTED_SUFFIXES):
            return _os_reason(error, "cannot read the link")
        return None  # a broken link of no supported kind: passed over like any such file
    if not stat.S_ISREG(mode):
        return None  # a device or a FIFO: reading refuses it and names its kind
    target = os.path.realpath(path)
    if links_outside or _inside(target, top):
        return None
    return (
        f"symbolic link to {display_name(target)}, outside the folder being indexed; not followed "
        "(links are followed only inside it)"
    )


def load_file(
    path: Path, max_file_bytes: int = 50 * 2**20, origin: str | None = None
) -> Iterator[Article | Skipped]:
    """Articles of one file; raises `ArticleError` when the whole file is unusable.
    `origin` is the file's place in its collection (see `origin_key`)."""
    if _undecodable(str(path)) or _undecodable(str(path.resolve())):  # a link to such a name, too
        raise ArticleError(str(path), "the file's path is not valid UTF-8 (undecodable bytes); rename it")
    raw = _read_bytes(path, max_file_bytes)
    suffix = path.suffix.lower()
    origin = origin or origin_key(path, path.parent)
    if suffix in (".html", ".htm"):
        yield _article_from_html(path, raw, origin)
        return
    text = _decode_utf8(path, raw)
    if suffix == ".jsonl":
        yield from _articles_from_jsonl(path, text, origin)
    elif suffix == ".json":
        yield from _articles_from_json(path, text, origin)
    else:
        yield _article_from_plain_text(path, text, suffix in (".md", ".markdown"), origin)


def _read_bytes(path: Path, max_file_bytes: int) -> bytes:
    """The bytes of a regular file, at most `max_file_bytes` of them.

    Opened without blocking and checked on the open descriptor, so a FIFO, a device or a
    socket (directly or behind a symlink) is refused rather than read; the limit holds for
    the bytes actually read, whatever `stat` said.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise ArticleError(str(path), _os_reason(error, "cannot read the file")) from None
    with os.fdopen(handle, "rb") as stream:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise ArticleError(str(path), f"not a regular file ({_file_kind(mode)}); only files are read")
        try:
            raw = stream.read(max_file_bytes + 1)
        except OSError as error:
            raise ArticleError(str(path), _os_reason(error, "cannot read the file")) from None
    if len(raw) > max_file_bytes:
        raise ArticleError(
            str(path),
            f"file is over the {max_file_bytes / 2**20:g} MB limit "
            "(raise it with --max-file-mb or QA_MAX_FILE_MB)",
        )
    if not raw.strip():
        raise ArticleError(str(path), "the file is empty")
    if b"\x00" in raw:
        raise ArticleError(str(path), "binary file (contains NUL bytes), not a text article")
    return raw


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def _os_reason(error: OSError, what: str) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop (the link points back at itself)"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (not readable by this user)"
    if error.errno == errno.ENOENT:
        return "no such file or folder (a broken symbolic link?)"
    return f"{what}: {error.strerror or error}"


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
    return _title_from_name(path) or _first_words(text), text


def _title_from_name(path: Path) -> str | None:
    words = [w for w in re.split(r"[\s_-]+", path.stem) if w]
    alpha = [w for w in words if w.isalpha()]
    if len(alpha) < 2 or len(alpha) < len(words) / 2:
        return None  # names like 000_4dffa7774767ed82 say nothing
    title = " ".join(words)
    return title[0].upper() + title[1:]


def _first_words(text: str, limit: int = 12) -> str:
    words = text.split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


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
        "title": title or _title_from_name(path) or _first_words(cleaned.text),
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


def article_from_record(
    record: Any,
    path: Path | None = None,
    where: str = "record",
    number: int = 0,
    clean: bool = True,
    origin: str | None = None,
) -> Article:
    """An `Article` from a dict with `text` and optional `id`, `title`, `url`, `published`,
    `source`, `author`; raises `ArticleError` naming `where` and the field at fault.

    `number` is the record's place in a JSON or JSON Lines file (0 for a whole-file article
    such as .txt); `origin` the file's place in its collection."""
    if not isinstance(record, dict):
        raise ArticleError(where, f"expected a JSON object, got {type(record).__name__}")
    text_field = next((f for f in _TEXT_FIELDS if f in record), "text")
    raw_text = record.get(text_field)
    if not isinstance(raw_text, str):
        got = "nothing" if raw_text is None else type(raw_text).__name__
        raise ArticleError(where, f"field '{text_field}' must be a string with the article, got {got}")
    raw_text = without_lone_surrogates(raw_text)
    fields = {}
    for name in ("id", "title", "url", "source", "author", "published"):
        value = record.get(name if name != "published" else _published_field(record))
        if value is not None and not isinstance(value, (str, int, float)):
            raise ArticleError(where, f"field '{name}' must be a string, got {type(value).__name__}")
        value = without_lone_surrogates(str(value)).strip() if value is not None else None
        fields[name] = value or None
    cleaned = clean_article_text(raw_text) if clean else None
    text = cleaned.text if cleaned else normalise_whitespace(raw_text)
    if not text:
        raise ArticleError(where, f"field '{text_field}' has no article text after cleaning")
    if not _READABLE_WORD.search(text):
        raise ArticleError(where, f"field '{text_field}' has no readable words (only runs of 40+ characters)")
    title = clean_title(fields["title"] or "") or clean_title(_first_words(text))
    source = clean_title(fields["source"] or (cleaned.source if cleaned else None) or "") or None
    author = clean_title(fields["author"] or (cleaned.author if cleaned else None) or "") or None
    published = normalise_date(fields["published"])
    article_id = fields["id"] or make_article_id(title, fields["url"], origin, number, text)
    content_hash = _hash(title, text, fields["url"], source, author, published)
    return Article(
        id=article_id,
        title=title,
        text=text,
        url=fields["url"],
        source=source,
        author=author,
        published=published,
        path=str(path.resolve()) if path else None,
        content_hash=content_hash,
        origin=origin,
    )


def _published_field(record: dict[str, Any]) -> str:
    for name in ("published", "date", "published_at", "publish_date"):
        if name in record:
            return name
    return "published"


def normalise_date(value: str | None) -> str | None:
    """ISO `YYYY-MM-DD` for the date forms news sites use; other strings are kept as given."""
    if not value:
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def make_article_id(title: str, url: str | None, origin: str | None, number: int, text: str) -> str:
    """A readable id from what identifies the article: its URL when it has one; else the
    file's place in its collection (`origin`, and the record's number in a JSON file:
    `feed-3-<hash>`); else its text (inline JSON without id or URL). Never the title:
    editing a title updates the article in place. An id from a place names the same article
    only for the same file: `Index` makes it distinct for another file of the same place."""
    if url:
        key, name = url, url.rstrip("/").rsplit("/", 1)[-1]
    elif origin:
        key, name = place_key(origin, number), _place_name(origin, number)
    else:
        key, name = text, title
    return f"{_slug(name)}-{_digest(key)}"


def place_key(origin: str, number: int) -> str:
    """What a place-derived id hashes: the file's place and the record's number."""
    return f"{origin}#{number}"


def is_place_id(article_id: str, origin: str | None) -> bool:
    """True when `article_id` is the id `make_article_id` derives from the place `origin`
    (a whole file, or one of its records), not one given by an `id` or `url` field."""
    if not origin:
        return False
    match = _PLACE_ID.search(article_id)
    if match is None:
        return False
    numbers = {0, int(match.group(1))} if match.group(1) else {0}
    return any(_digest(place_key(origin, n)) == match.group(2) for n in numbers)


_PLACE_ID = re.compile(r"(?:-(\d{1,9}))?-([0-9a-f]{10})$")


def _place_name(origin: str, number: int) -> str:
    stem = Path(origin).stem
    return stem if not number else f"{_slug(stem, 28, 'record')}-{number}"


def _slug(name: str, limit: int = 40, empty: str = "article") -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:limit].rstrip("-") or empty


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _hash(*parts: str | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode())
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]
