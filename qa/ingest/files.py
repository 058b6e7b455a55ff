"""Files and folders of articles: which files to read (regular files only, links followed
inside the folder given, hidden entries passed over, each file once), how they are named
in reports, where each sits in its collection, and their bytes, read within a limit.
What is in a file is `qa.ingest.articles`' business."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from qa.errors import ArticleError
from qa.types import Ignored, Skipped

_SKIP_DIRS = {"node_modules", "__pycache__"}


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


def is_undecodable(name: str) -> bool:
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


def list_files(
    paths: Iterable[str | Path], suffixes: tuple[str, ...], links_outside: bool = False
) -> Iterator[tuple[Path, Path] | Skipped | Ignored]:
    """(file, the folder its identity is relative to) for each file of the kinds `suffixes`
    names to read; see `_expand`. Names of what is skipped or ignored come as
    `display_name` renders them."""
    for entry in _expand(paths, suffixes, links_outside):
        if isinstance(entry, Skipped):
            yield Skipped(display_name(entry.path), entry.reason)
        elif isinstance(entry, Ignored):
            yield Ignored(display_name(entry.path))
        else:
            yield entry


def _expand(
    paths: Iterable[str | Path], suffixes: tuple[str, ...], links_outside: bool = False
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
        if is_undecodable(str(path)):
            yield Skipped(str(path), _UNDECODABLE_NAME)
            continue
        try:
            mode = os.stat(path).st_mode  # follows symbolic links
        except OSError as error:
            yield Skipped(str(path), _os_reason(error, "cannot read"))
            continue
        if stat.S_ISDIR(mode):
            for item in _walk(path, suffixes, links_outside):
                yield _once(item, path, seen) if isinstance(item, Path) else item
        elif path.suffix.lower() in suffixes:
            yield _once(path, path.parent, seen)
        else:
            kinds = ", ".join(suffixes)
            yield Skipped(str(path), f"unsupported file type {path.suffix!r} (use {kinds})")


def _once(path: Path, root: Path, seen: dict[str, str]) -> tuple[Path, Path] | Skipped:
    real = os.path.realpath(path)
    if real in seen:
        return Skipped(str(path), f"the same file as {display_name(seen[real])} (read once)")
    seen[real] = str(path)
    return path, root


def _walk(
    folder: Path, suffixes: tuple[str, ...], links_outside: bool = False
) -> Iterator[Path | Skipped | Ignored]:
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
            reason = _folder_reason(Path(root) / name, top, suffixes)
            if reason:
                yield Skipped(str(Path(root) / name), reason)
            elif name not in _SKIP_DIRS:
                entered.append(name)
        dirs[:] = entered
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith("."):
                yield Ignored(str(path))
            elif is_undecodable(name) and name.lower().endswith(suffixes):
                yield Skipped(str(path), _UNDECODABLE_NAME)
            elif os.path.islink(path):
                reason = _file_link_reason(path, top, suffixes, links_outside)
                if reason:
                    yield Skipped(str(path), reason)
                elif name.lower().endswith(suffixes):
                    yield path
            elif name.lower().endswith(suffixes):
                yield path
    for error in errors:
        yield Skipped(str(error.filename or folder), _os_reason(error, "cannot read the folder"))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _folder_reason(path: Path, top: str, suffixes: tuple[str, ...]) -> str | None:
    """Why a folder met while walking is not entered, or None to enter it."""
    if is_undecodable(path.name):
        return _UNDECODABLE_NAME
    if os.path.islink(path):
        target = os.path.realpath(path)
        if _inside(os.path.realpath(path.parent), target):
            return "symbolic link loop (a link to a folder that contains it); not followed"
        if not _inside(target, top):
            return f"link to a folder outside the folder being indexed ({display_name(target)}); not followed"
        return "link to a folder inside the folder being indexed; its files are read there, not twice"
    if path.name.lower().endswith(suffixes):
        return (
            f"a folder named like an article file ({path.suffix}); not read, to index its files "
            "rename it or give it as a path"
        )
    return None


def _file_link_reason(path: Path, top: str, suffixes: tuple[str, ...], links_outside: bool) -> str | None:
    """Why a link met while walking (that is no folder) is not read, or None to read it."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP or path.name.lower().endswith(suffixes):
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


def read_bytes(path: Path, max_file_bytes: int) -> bytes:
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
