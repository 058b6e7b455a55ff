"""An index's identity: what its chunks and vectors were made with (index format, embedding
model, chunker version, chunk size, overlap) and how they are stored (the storage layout,
see `qa.store.docstore`), one fingerprint of them. An index is opened
only by a configuration of the same fingerprint, so chunks or vectors of two kinds are
never mixed in one index, nor an old index measured as a new one (the eval cache key).

The chunk size is the one part an index keeps from when it was built: `QA_CHUNK_WORDS`
sizes new indexes (a rebuild, an eval cache), and an existing index goes on chunking at
its own size whatever is configured, so its chunks are of one size either way. So does the
storage layout: an older index is read and written in its own (its parts are never of
two layouts), and opened by the configuration that builds new indexes in the newest; the
fingerprint of layout 1 is the one written before layouts were recorded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from qa.ingest.chunking import CHUNK_OVERLAP, CHUNKER_VERSION
from qa.store.docstore import FORMAT_VERSION, STORAGE_LAYOUT

# what indexes written before the chunking was recorded in full were made with
_FIRST_CHUNKING = {"chunker": 1, "chunk_words": 180, "overlap": 1}


@dataclass(frozen=True)
class IndexIdentity:
    """The settings an index was built with; equal fingerprints can share an index."""

    format_version: int
    model: str
    chunker: int
    chunk_words: int
    overlap: int
    storage: int = 1

    @classmethod
    def configured(cls, model: str, chunk_words: int) -> IndexIdentity:
        """The identity this version of article-qa builds with `model` and `chunk_words`."""
        return cls(FORMAT_VERSION, model, CHUNKER_VERSION, chunk_words, CHUNK_OVERLAP, STORAGE_LAYOUT)

    @classmethod
    def recorded(cls, meta: dict[str, str]) -> IndexIdentity:
        """The identity a docstore's meta rows record (format, model, chunking settings)."""
        chunking = {**_FIRST_CHUNKING, **json.loads(meta.get("settings") or "{}")}
        return cls(
            int(meta["format_version"]),
            meta["model"],
            int(chunking["chunker"]),
            int(chunking["chunk_words"]),
            int(chunking["overlap"]),
            int(meta.get("storage", "1")),
        )

    def expected_of(self, recorded: IndexIdentity) -> IndexIdentity:
        """What this configuration accepts of the existing index `recorded`: everything as
        configured but the chunk size and the storage layout, which the index keeps (see
        the module doc)."""
        return replace(self, chunk_words=recorded.chunk_words, storage=recorded.storage)

    @property
    def chunking(self) -> dict[str, Any]:
        """The chunking settings as the docstore and the manifest record them."""
        return {"chunk_words": self.chunk_words, "overlap": self.overlap, "chunker": self.chunker}

    @property
    def fingerprint(self) -> str:
        """A short hash of every field: equal exactly when the identities are."""
        fields = asdict(self)
        if self.storage == 1:  # as fingerprinted before layouts were recorded
            del fields["storage"]
        data = json.dumps(fields, sort_keys=True).encode()
        return hashlib.sha256(data).hexdigest()[:16]

    def differences(self, configured: IndexIdentity) -> list[str]:
        """What differs between this (an index's) identity and `configured`, in words."""
        names = {
            "format_version": "index format",
            "model": "embedding model",
            "chunker": "chunker version",
            "chunk_words": "chunk size (QA_CHUNK_WORDS)",
            "overlap": "chunk overlap",
            "storage": "storage layout",
        }
        mine, theirs = asdict(self), asdict(configured)
        return [
            f"{label} {mine[field]!r} in the index, {theirs[field]!r} configured"
            for field, label in names.items()
            if mine[field] != theirs[field]
        ]
