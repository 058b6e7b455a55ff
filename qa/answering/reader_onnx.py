"""The reader as an ONNX Runtime graph (int8 by default), exported once from its local
weights into the cache folder: the query path reads passages without importing torch."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from qa.ingest.onnx_models import (
    encoder_graph,
    encoder_target,
    export_module,
    fingerprint,
    session,
)


def reader_target(folder: Path, cache_dir: Path, int8: bool = False) -> Path:
    suffix = "-int8" if int8 else ""
    return cache_dir / f"reader-{fingerprint(folder / 'model.safetensors')}{suffix}.onnx"


def reader_graph(folder: Path, cache_dir: Path, int8: bool = False) -> Path:
    """The ONNX file of the reader in `folder`, exported on first use into `cache_dir`; with `int8`, its
    weights quantized (ONNX Runtime's dynamic quantization: int8 matrix products, about
    twice as fast on this CPU)."""
    target = reader_target(folder, cache_dir, int8)
    if target.exists():
        return target
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        source = reader_graph(folder, cache_dir)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        try:
            quiet = logging.getLogger()  # quantization advises pre-processing on the root logger
            level = quiet.level
            quiet.setLevel(logging.ERROR)
            try:
                quantize_dynamic(str(source), tmp, weight_type=QuantType.QInt8)
            finally:
                quiet.setLevel(level)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return target
    from qa.answering.reader_net import load_reader

    export_module(target, lambda: load_reader(folder), ("start_logits", "end_logits", "answerable_logit"))
    return target


def reader_session(folder: Path, cache_dir: Path, int8: bool = False) -> Any:
    return session(reader_graph(folder, cache_dir, int8))


def prepare_query_path(model_path: str | Path, reader_folder: Path | None, cache_dir: Path) -> list[Path]:
    """Export what the query path runs (the encoder, the reader) if not cached yet; the
    files it had to make. `qa index` calls this so the first `qa ask` starts fast."""
    made = []
    target = encoder_target(model_path, cache_dir)
    if target is not None and not target.exists():
        made.append(encoder_graph(model_path, cache_dir))
    if reader_folder is not None:
        for int8 in (False, True):
            if not reader_target(reader_folder, cache_dir, int8).exists():
                made.append(reader_graph(reader_folder, cache_dir, int8))
    return made
