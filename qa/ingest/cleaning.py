"""Cleaning of scraped article text: markup leftovers, boilerplate, source and author trailers."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
# the look-behind lets a match start only where a name starts: linear on a long unbroken word
_ATTRIBUTE = re.compile(r"(?<![\w:.-])[\w:.-]+[ \t]*=[ \t]*[\"“”'‘’][^\"“”'‘’\n]*[\"“”'‘’]")
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|sources|via|quelle|originally published (?:by|in|on))\s*:\s*(.{2,80}?)\s*$",
    re.IGNORECASE,
)
# "By Jonas Vik", "By Jonas Vik, Harbour Weekly — 2 April 2024" (emphasis already stripped)
_BYLINE = re.compile(
    r"^\s*(?:by|written by|author:)\s+(?P<name>[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){0,3})"
    r"(?:[ \t]*,[ \t]*(?P<source>[^,—–|\n]{2,60}?))?"
    r"(?:[ \t]*(?:[—–|]|--?)[ \t]*(?P<date>[^\n]{4,40}?))?[ \t]*$",
    re.IGNORECASE,
)
# a wire story's dateline before its first sentence: "PINECREST VALLEY, Aug 14 - ",
# "LONDON, March 3 (Reuters) - ", "KYIV, Ukraine (AP) — ", "(CNN) — "; the place in capitals
_DATELINE = re.compile(
    r"^(?P<dateline>"
    r"(?:[A-Z][A-Z.'’-]{2,}(?:[ \t]+[A-Z][A-Z.'’-]+){0,3}"  # PINECREST VALLEY, ST. PAUL; not "AI"
    r"(?:,[ \t]*[A-Z][a-z.]+(?:[ \t]+[A-Z][a-z.]+){0,2})??"  # , Ukraine
    r"(?:,?[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?)?"  # , Aug 14
    r"(?:[ \t]*\([A-Z][A-Za-z .&]{1,30}\))?"  # (Reuters)
    r"|\([A-Z][A-Za-z .&]{1,30}\))"  # (CNN)
    # a hyphen with a space each side ("COVID-19 cases", "USA-China talks" are no datelines)
    r"(?:[ \t]+--?[ \t]+|[ \t]*[—–][ \t]*))(?=[A-Z0-9\"“‘'])"
)
_RULE = re.compile(r"^[ \t]*([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_BIO_WORDS = re.compile(
    r"\b(covers|reports on|writes about|is an? (?:[\w-]+ ){0,3}(?:reporter|journalist|writer|editor|"
    r"correspondent|columnist)|follow (?:him|her|them)|contact|e-?mail|twitter|mastodon|bluesky)\b|@\w",
    re.IGNORECASE,
)
TRAILER_MAX_CHARS = 800
_NAME = r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
_BIO_PATTERNS = (
    re.compile(rf"\b(?:I am|I'm|I’m|My name is)\s+{_NAME}"),
    re.compile(
        rf"^{_NAME}\s+(?:is|has been|was)\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,4}}"
        r"(?:journalist|reporter|writer|editor|correspondent|author|columnist|contributor)"
    ),
    re.compile(rf"^{_NAME}\s+(?:covers|reports on|writes about)\b"),
)
_BOILERPLATE = re.compile(
    r"^\s*(?:advertisement|advert|sponsored( content)?|read more\b.*|related( articles?)?:?.*|"
    r"share (?:this|on)\b.*|sign up\b.*|subscribe\b.*|follow us\b.*|click here\b.*|"
    r"all rights reserved\.?|©.*|copyright ©?.*|also read:?.*|recommended:?.*)\s*$",
    re.IGNORECASE,
)
_SENTENCE_ENDS = (".", "!", "?", '"', "”", "’", "'")
_DATELINE_MIN_STORY = 40  # characters after a dateline: a sentence, not a title "PARIS - NEWS"
_TRAILER_WINDOW = 8  # a source line further than this from the end is part of the story


@dataclass(frozen=True)
class CleanText:
    """Cleaned main text plus the metadata found in its leftovers."""

    text: str
    source: str | None = None
    author: str | None = None
    published: str | None = None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """`text` without lone surrogates (a JSON `"\\ud800"` escape decodes to one): they
    cannot be written as UTF-8, so SQLite, hashes and output would fail on them."""
    return _LONE_SURROGATE.sub("", text) if _LONE_SURROGATE.search(text) else text


# terminal escape sequences: CSI (colours, cursor moves), OSC (window titles, links; ended
# by BEL or ESC \\, and one left open by its line's end: never the rest of an article), and
# two-character escapes; then the C0 and C1 controls left over
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# marks that reorder how text is shown (embeddings, overrides, isolates, directional marks)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_terminal_controls(text: str) -> str:
    """`text` without terminal escape sequences and control characters (tabs and line
    ends stay): nothing in an article may recolour, retitle or move a terminal."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ANSI.sub("", text))


def clean_title(title: str) -> str:
    """A title on one line, as shown: no terminal escapes or control characters, no
    bidirectional controls (which can make a title read as something else), no lone
    surrogates, runs of spaces as one."""
    title = _BIDI.sub("", without_terminal_controls(without_lone_surrogates(title)))
    return " ".join(title.split())


def normalise_whitespace(text: str) -> str:
    """Unix line ends, no trailing blanks, no non-breaking spaces, at most one empty line,
    no terminal escape sequences or control characters."""
    text = without_terminal_controls(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\ufeff", "").replace("\u200b", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def is_markup_leftover(line: str) -> bool:
    """True for a line made only of HTML tags or attribute fragments (`class="x">`)."""
    if not line.strip() or ("<" not in line and ">" not in line and "=" not in line):
        return False
    rest = _ATTRIBUTE.sub(" ", _TAG.sub(" ", _drop_comments(line)))
    rest = rest.replace("<", " ").replace(">", " ").replace("/", " ")
    had_markup = rest != line
    return had_markup and not re.search(r"[^\W_]", rest)


def _drop_comments(line: str) -> str:
    """`line` with its `<!-- ... -->` comments blanked out (a linear scan, where a lazy
    pattern would rescan the line from every unclosed `<!--`)."""
    parts, position = [], 0
    while (start := line.find("<!--", position)) >= 0 and (end := line.find("-->", start + 4)) >= 0:
        parts += [line[position:start], " "]
        position = end + 3
    parts.append(line[position:])
    return "".join(parts)


def clean_article_text(raw: str) -> CleanText:
    """Strip scraping leftovers from an article's text and lift its source and author.

    Drops lines that are only markup fragments or boilerplate (advertisement, share,
    subscribe), a leading byline (kept as the author), and a trailer that begins with a
    `Source: X` line near the end (X kept as the source, an author named in a following
    biography kept as the author).
    """
    lines = normalise_whitespace(raw).split("\n")
    lines = [line for line in lines if not is_markup_leftover(line) and not _BOILERPLATE.match(line)]
    author = source = published = None
    content = [i for i, line in enumerate(lines) if line.strip()]
    for i in content[:2]:  # a byline opens the text, or follows the title line
        byline = _BYLINE.match(lines[i])
        if byline:
            author, source, published = byline.group("name"), byline.group("source"), byline.group("date")
            lines[i] = ""
            break
    content = [i for i, line in enumerate(lines) if line.strip()]
    for i in content[:3]:  # the story's first line, after its title and byline
        dateline = _DATELINE.match(lines[i])
        story = lines[i][dateline.end() :].rstrip() if dateline else ""
        # a sentence after it, not a title ("BREAKING - Storm hits the coast")
        if dateline and len(story) > _DATELINE_MIN_STORY and story.endswith(_SENTENCE_ENDS):
            # a line of its own, so its capitals open no sentence: "Around" of "VALMORA, Feb
            # 6 - Around 14,000 teachers" is no name, "BRENNICK" no answer to quote
            lines[i] = dateline.group("dateline").rstrip() + "\n" + lines[i][dateline.end() :]
            break
    lines, bio = _without_trailer_after_rule(lines, author)
    author = author or (find_author_in_bio(bio) if bio else None)
    content = [i for i, line in enumerate(lines) if line.strip()]
    for i in reversed(content[-_TRAILER_WINDOW:]):
        match = _SOURCE_LINE.match(lines[i])
        if match and i != content[0]:
            source = match.group(1).rstrip(".")
            author = author or find_author_in_bio(" ".join(lines[i + 1 :]))
            lines = lines[:i]
            break
    return CleanText(normalise_whitespace("\n".join(lines)), source, author, published)


def _without_trailer_after_rule(lines: list[str], author: str | None) -> tuple[list[str], str]:
    """Drop a short closing part after the last horizontal rule when it reads like an
    author's bio ("Jonas Vik covers fisheries ... Follow him on Mastodon."), and every
    rule line; the bio's text is returned for the author's name."""
    rules = [i for i, line in enumerate(lines) if _RULE.match(line)]
    bio = ""
    if rules:
        tail = "\n".join(lines[rules[-1] + 1 :]).strip()
        named = bool(author) and author is not None and author.split()[-1] in tail
        if tail and len(tail) <= TRAILER_MAX_CHARS and (named or _BIO_WORDS.search(tail)):
            bio = tail
            lines = lines[: rules[-1]]
    return [line for line in lines if not _RULE.match(line)], bio


def find_author_in_bio(text: str) -> str | None:
    """The name in a short author biography ("I am Jane Doe, a journalist ..."), if any."""
    for pattern in _BIO_PATTERNS:
        match = pattern.search(text.strip())
        if match:
            return match.group(1).strip().rstrip(",.")
    return None


# Bracketed parts exclude their own opener, so a scan from an unclosed "[" or "(" stops
# at the next one: linear time on any line.
_MD_LINK = re.compile(r"(?<!!)\[([^\[\]\n]+)\]\([^()\n]*\)")
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_MD_REF_DEF = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]+\S+.*$", re.MULTILINE)
_MD_EMPHASIS = re.compile(
    r"(\*\*)(?=\S)([^*\n]+?)(?<=\S)\*\*|(\*)(?=\S)([^*\n]+?)(?<=\S)\*|"
    r"(?<!\w)(__)(?=\S)([^_\n]+?)(?<=\S)__(?!\w)|(?<!\w)(_)(?=\S)([^_\n]+?)(?<=\S)_(?!\w)|"
    r"(~~)(?=\S)([^~\n]+?)(?<=\S)~~|(`)([^`\n]+)`"
)
_MD_LINE_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S)|\d{1,3}[.)]\s+(?=\S))")
_MD_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
# Patterns with an opener and a closer (links, emphasis) rescan the rest of the line from
# each unclosed opener; on pieces of at most this many characters their cost stays linear.
REGEX_PIECE_CHARS = 2000


def strip_markdown(text: str) -> str:
    """Plain text of a Markdown document: links keep their words, images and rules go."""
    text = re.sub(r"^```.*$", "", text, flags=re.MULTILINE)
    text = _MD_REF_DEF.sub("", _MD_RULE.sub("---", text))  # rules stay: cleaning reads what follows one
    lines = []
    for line in text.split("\n"):
        line = _MD_LINE_PREFIX.sub("", line)
        line = line.replace("|", " ").strip() if line.count("|") >= 2 else line
        lines.append("".join(_strip_inline_markdown(piece) for piece in _pieces(line)))
    return "\n".join(lines)


def _strip_inline_markdown(text: str) -> str:
    text = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", text))
    return _MD_EMPHASIS.sub(lambda m: next(g for g in m.groups()[1::2] if g is not None), text)


def _pieces(line: str, size: int = REGEX_PIECE_CHARS) -> list[str]:
    """`line` cut after spaces into pieces of at most `size` characters that join back
    into `line` (one piece when short)."""
    pieces, start = [], 0
    while len(line) - start > size:
        space = line.rfind(" ", start + size // 2, start + size)
        end = space + 1 if space >= 0 else start + size
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return pieces
