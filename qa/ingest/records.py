"""Articles from records: the fields of a record (a JSON object, or what a reader found in
a file) checked and cleaned into an `Article`, its stable id and its content hash."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from qa.errors import ArticleError
from qa.ingest.cleaning import clean_article_text, clean_title, normalise_whitespace, without_lone_surrogates
from qa.types import Article

_TEXT_FIELDS = ("text", "content", "body")
_READABLE_WORD = re.compile(r"(?<!\w)\w{1,40}(?!\w)")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")


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
    title = clean_title(fields["title"] or "") or clean_title(first_words(text))
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


def first_words(text: str, limit: int = 12) -> str:
    words = text.split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")
