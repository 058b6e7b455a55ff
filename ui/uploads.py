"""Articles uploaded from the page: kept under `<index_dir>/uploads/` with safe names, then
indexed, with a result per file (added, updated, unchanged, skipped and why)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from qa.index import Index, Progress
from qa.ingest.articles import SUPPORTED_SUFFIXES

UPLOADS_DIR = "uploads"
INCOMING_DIR = ".incoming"  # Gradio's own copies of files being uploaded
MAX_NAME_CHARS = 120


def upload_area(index_dir: Path) -> Path:
    """The folder where uploaded articles are kept: `<index_dir>/uploads/`."""
    return Path(index_dir) / UPLOADS_DIR


def incoming_area(index_dir: Path) -> Path:
    """Where Gradio writes files while they are uploaded (`GRADIO_TEMP_DIR`)."""
    return upload_area(index_dir) / INCOMING_DIR


def safe_file_name(name: str) -> str:
    """A file name that cannot leave its folder: the last path component only, letters,
    digits, `_`, `-` and `.` (no leading dot), at most ~120 characters, suffix kept."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name))[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    suffix = Path(base).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        suffix = ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._-")
    stem = re.sub(r"\.{2,}", ".", stem)[: MAX_NAME_CHARS - len(suffix)] or "upload"
    return stem + suffix


def store_upload(source: Path, name: str, area: Path, taken: set[Path] | None = None) -> Path:
    """Copy `source` into `area` as `safe_file_name(name)` (atomically; a re-upload of that
    name replaces the earlier file, so an edited article is updated) and return the new
    path; a name already `taken` in this batch gets a content hash, and nothing is ever
    written outside `area`."""
    area.mkdir(parents=True, exist_ok=True)
    root = area.resolve()
    target = (root / safe_file_name(name)).resolve()
    if taken is not None and target in taken:
        digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()[:8]
        target = target.with_name(f"{target.stem}-{digest}{target.suffix}")
    if target.parent != root:
        raise ValueError(f"upload name {name!r} does not stay in {root}")
    handle, temp = tempfile.mkstemp(dir=root, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def discard_incoming(path: Path, incoming: Path) -> None:
    """Delete Gradio's temporary copy of an upload, if it lies in `incoming`."""
    try:
        resolved = path.resolve()
        root = incoming.resolve()
        if root in resolved.parents:
            resolved.unlink(missing_ok=True)
            if resolved.parent != root and not any(resolved.parent.iterdir()):
                resolved.parent.rmdir()
    except OSError:
        pass


@dataclass
class FileResult:
    """What indexing did with one uploaded file."""

    name: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # reasons

    def to_dict(self) -> dict[str, Any]:
        """The result as the API gives it (with its status)."""
        return {"name": self.name, "status": self.status, "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": self.skipped}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileResult:
        return cls(data["name"], data["added"], data["updated"], data["unchanged"], data["skipped"])

    @property
    def status(self) -> str:
        for label, items in (("added", self.added), ("updated", self.updated), ("unchanged", self.unchanged)):
            if items:
                return label
        return "skipped"

    def detail(self) -> str:
        counts = [
            f"{len(items)} {label}"
            for label, items in (
                ("added", self.added),
                ("updated", self.updated),
                ("unchanged", self.unchanged),
            )
            if items
        ]
        parts = ["articles: " + ", ".join(counts)] if counts else []
        parts += self.skipped
        return "; ".join(parts)


def index_uploads(
    index: Index,
    files: Sequence[tuple[Path, str]],
    max_upload_mb: float,
    progress: Progress | None = None,
) -> list[FileResult]:
    """Store each `(temporary path, original name)` in the index's upload area and index
    them in one run; files over `max_upload_mb` or of another type are skipped."""
    area = upload_area(index.path)
    limit = int(max_upload_mb * 2**20)
    results: list[FileResult] = []
    stored: dict[Path, FileResult] = {}
    for temp, name in files:
        result = FileResult(Path(name).name or "upload")
        results.append(result)
        suffix = Path(result.name).suffix.lower()
        size = temp.stat().st_size if temp.exists() else -1
        if suffix not in SUPPORTED_SUFFIXES:
            result.skipped.append(
                f"unsupported file type {suffix or '(none)'!r} (use {', '.join(SUPPORTED_SUFFIXES)})"
            )
        elif size < 0:
            result.skipped.append("the upload did not arrive")
        elif size > limit:
            result.skipped.append(
                f"file is {size / 2**20:.1f} MB, over the {max_upload_mb:g} MB upload limit (QA_MAX_UPLOAD_MB)"
            )
        else:
            stored[store_upload(temp, result.name, area, set(stored))] = result
    if stored:
        report = index.add(list(stored), progress=progress, max_file_mb=max_upload_mb)
        by_file = {str(path): result for path, result in stored.items()}
        for ids, attribute in (
            (report.added, "added"),
            (report.updated, "updated"),
            (report.unchanged, "unchanged"),
        ):
            for article_id in ids:
                owner = by_file.get(report.sources.get(article_id, ""))
                if owner is not None:
                    getattr(owner, attribute).append(article_id)
        for skipped in report.skipped:
            for path, result in stored.items():
                if skipped.path == str(path) or skipped.path.startswith((f"{path}:", f"{path}[")):
                    where = skipped.path[len(str(path)) :]
                    result.skipped.append(
                        f"{where.lstrip(':')}: {skipped.reason}" if where else skipped.reason
                    )
                    break
    return results


def results_html(results: Sequence[FileResult]) -> str:
    """A table of per-file results (names and reasons escaped)."""
    if not results:
        return ""
    rows = "".join(
        f'<tr class="qa-upload-{r.status}"><td>{escape(r.name)}</td><td>{r.status}</td>'
        f"<td>{escape(r.detail())}</td></tr>"
        for r in results
    )
    return (
        '<table class="qa-uploads"><thead><tr><th>File</th><th>Result</th><th>Details</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def plural(count: int, noun: str) -> str:
    """ "1 article", "2 articles", "0 passages"."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def stats_html(info: dict[str, Any]) -> str:
    """The index statistics line."""
    size = info.get("size_bytes", 0) / 2**20
    articles = plural(int(info.get("articles", 0)), "article").split(" ", 1)
    passages = plural(int(info.get("chunks", 0)), "passage").split(" ", 1)
    return (
        f'<div class="qa-stats"><b>{articles[0]}</b> {articles[1]} · <b>{passages[0]}</b> {passages[1]} · '
        f"{escape(str(info.get('model', '')))} · {size:.1f} MB</div>"
    )
