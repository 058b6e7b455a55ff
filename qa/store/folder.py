"""The files of an index folder: their names, the manifest read back, and a file replaced
atomically (a fresh temporary file, synced, then renamed), so a kill leaves the old file or
the new one. Shared by the store and the vector cache, which import nothing of each other
for it."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
DOCSTORE = "docstore.sqlite"
VECTORS = "vectors.faiss"


def read_manifest(root: Path) -> dict[str, Any] | None:
    """The manifest of the index at `root`, or None when there is none yet."""
    path = Path(root) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None  # derived from the docstore: a damaged one is written anew
    return data if isinstance(data, dict) else None


def temp_path(root: Path, name: str) -> Path:
    """A fresh temporary file beside `name`: writers in two processes never share one."""
    handle, path = tempfile.mkstemp(dir=root, prefix=f".{name}.", suffix=".tmp")
    os.close(handle)
    return Path(path)


def fsync_replace(tmp: Path, target: Path) -> None:
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
