"""Every write the web faces make (uploads, JSON articles, removals) goes through a writer:
`LocalWriter` writes to the index in this process; `RemoteWriter` sends the same calls to
the one writer deployment of a Ray Serve application, so replicas never write themselves."""

from __future__ import annotations

import json
import logging
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from qa.config import Settings
from qa.errors import ArticleError
from qa.index import Index, Progress
from qa.ingest.articles import article_from_record
from qa.store.store import writer_lock
from ui.uploads import FileResult, discard_incoming, incoming_area, index_uploads, upload_area

log = logging.getLogger(__name__)


class Writer(Protocol):
    def add_files(self, files: Sequence[tuple[str, bytes]]) -> list[FileResult]: ...

    def add_paths(
        self, files: Sequence[tuple[Path, str]], progress: Progress | None = None
    ) -> list[FileResult]: ...

    def add_records(self, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]: ...

    def remove(self, article_id: str) -> str | None: ...


class LocalWriter:
    """Writes to `index` here: the chat's checks and per-file results for every face."""

    def __init__(self, index: Index, settings: Settings) -> None:
        self.index = index
        self.settings = settings

    def add_paths(
        self, files: Sequence[tuple[Path, str]], progress: Progress | None = None
    ) -> list[FileResult]:
        """Files already on this machine (`(temporary path, original name)`)."""
        started = time.perf_counter()
        with writer_lock(self.index.path):  # never into a folder a rebuild is swapping
            results = index_uploads(self.index, files, self.settings.max_upload_mb, progress)
        log.info(
            "upload done in %.1f s: %s",
            time.perf_counter() - started,
            "; ".join(f"{r.name} {r.status}" + (f" ({r.detail()})" if r.detail() else "") for r in results),
        )
        return results

    def add_files(self, files: Sequence[tuple[str, bytes]]) -> list[FileResult]:
        """Files as bytes (an API upload, or a call from another process)."""
        incoming = incoming_area(self.index.path)
        incoming.mkdir(parents=True, exist_ok=True)
        staged: list[tuple[Path, str]] = []
        try:
            for name, content in files:
                with tempfile.NamedTemporaryFile(dir=incoming, prefix="api-", delete=False) as handle:
                    handle.write(content)
                staged.append((Path(handle.name), name or "upload"))
            return self.add_paths(staged)
        finally:
            for path, _ in staged:
                discard_incoming(path, incoming)

    def add_records(self, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """JSON articles: checked like .jsonl lines, kept in the upload area (so a rebuild
        keeps them) under ids of their own (given, from the URL, or from the content)."""
        results: list[dict[str, Any]] = []
        kept: list[dict[str, Any]] = []
        for number, record in enumerate(records):
            try:
                article = article_from_record(record, where=f"articles[{number}]")
            except ArticleError as error:
                results.append({"index": number, "id": None, "status": "skipped", "reason": error.reason})
                continue
            kept.append({**record, "id": article.id})
            results.append({"index": number, "id": article.id, "status": None, "reason": None})
        if not kept:
            return results
        upload_area(self.index.path).mkdir(parents=True, exist_ok=True)
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept)
        name = f"api-{uuid.uuid5(uuid.NAMESPACE_URL, body).hex[:16]}.jsonl"
        (file_result,) = self.add_files([(name, body.encode("utf-8"))])
        status = {i: "added" for i in file_result.added} | {i: "updated" for i in file_result.updated}
        status |= {i: "unchanged" for i in file_result.unchanged}
        for item in results:
            if item["id"] is not None:
                item["status"] = status.get(item["id"], "skipped")
                if item["status"] == "skipped":
                    item["reason"] = "; ".join(file_result.skipped) or "not indexed"
        return results

    def remove(self, article_id: str) -> str | None:
        """Remove an article and its uploaded file; its title, or None when there is none."""
        article = self.index.get_article(article_id)
        if article is None or not self.index.remove(article_id):  # and its uploaded file or record
            return None
        log.info("removed article %s (%s)", article_id, article.title)
        return article.title


class RemoteWriter:
    """The same calls, sent to the writer deployment behind a Ray Serve handle."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def add_files(self, files: Sequence[tuple[str, bytes]]) -> list[FileResult]:
        return [FileResult.from_dict(r) for r in self.handle.add_files.remote(list(files)).result()]

    def add_paths(
        self, files: Sequence[tuple[Path, str]], progress: Progress | None = None
    ) -> list[FileResult]:
        return self.add_files([(name, Path(path).read_bytes()) for path, name in files])

    def add_records(self, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(self.handle.add_records.remote(list(records)).result())

    def remove(self, article_id: str) -> str | None:
        title = self.handle.remove.remote(article_id).result()
        return None if title is None else str(title)
