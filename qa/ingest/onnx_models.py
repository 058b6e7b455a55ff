"""ONNX Runtime sessions for the query path: the embedding model's encoder and the reader,
exported once from the local weights (never downloaded) into a cache folder.

Importing torch costs seconds; ONNX Runtime a fraction of one. So a cold `qa ask` embeds the
question and reads the passages with ONNX Runtime; torch loads only to export (first use
after an install or a model change) or to embed passages when indexing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

EXPORT_VERSION = 1  # bump when the export changes, so stale cached graphs are not reused
OPSET = 17
_SESSIONS: dict[str, Any] = {}
_LOCK = threading.Lock()


def cache_dir() -> Path:
    """`QA_CACHE_DIR`, else ~/.cache/article-qa (XDG_CACHE_HOME respected)."""
    raw = os.environ.get("QA_CACHE_DIR", "").strip()
    if raw:
        return Path(raw).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "article-qa"


def _fingerprint(weights: Path) -> str:
    stat = weights.stat()
    key = f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{EXPORT_VERSION}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def encoder_target(model_path: str | Path) -> Path | None:
    """Where the encoder's ONNX file goes (None: the folder holds no weights)."""
    folder = Path(model_path)
    names = ("model.safetensors", "pytorch_model.bin")
    weights = next((folder / n for n in names if (folder / n).exists()), None)
    return None if weights is None else cache_dir() / f"encoder-{_fingerprint(weights)}.onnx"


def encoder_graph(model_path: str | Path) -> Path:
    """The ONNX file of the BERT encoder at `model_path` (token embeddings out), exported
    on first use."""
    target = encoder_target(model_path)
    if target is None:
        raise FileNotFoundError(f"no model weights in {model_path}")
    if not target.exists():
        _export(target, lambda: _encoder_module(Path(model_path)), ("token_embeddings",))
    return target


def reader_target(folder: Path, int8: bool = False) -> Path:
    suffix = "-int8" if int8 else ""
    return cache_dir() / f"reader-{_fingerprint(folder / 'model.safetensors')}{suffix}.onnx"


def reader_graph(folder: Path, int8: bool = False) -> Path:
    """The ONNX file of the reader in `folder`, exported on first use; with `int8`, its
    weights quantized (ONNX Runtime's dynamic quantization: int8 matrix products, about
    twice as fast on this CPU)."""
    target = reader_target(folder, int8)
    if target.exists():
        return target
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        source = reader_graph(folder)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        try:
            quantize_dynamic(str(source), tmp, weight_type=QuantType.QInt8)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return target
    from qa.answering.reader_net import load_reader

    _export(target, lambda: load_reader(folder), ("start_logits", "end_logits", "answerable_logit"))
    return target


def session(path: Path, threads: int | None = None) -> Any:
    """An ONNX Runtime session for `path`, one per process, on `threads` threads (default
    every core)."""
    with _LOCK:
        key = str(path)
        if key not in _SESSIONS:
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.intra_op_num_threads = threads or os.cpu_count() or 1
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            _SESSIONS[key] = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        return _SESSIONS[key]


def reader_session(folder: Path, int8: bool = False) -> Any:
    return session(reader_graph(folder, int8))


def encoder_session(model_path: str | Path) -> Any:
    # one question of a dozen tokens: a second thread costs more than it saves
    return session(encoder_graph(model_path), threads=1)


def _encoder_module(folder: Path) -> Any:
    import torch
    from transformers import AutoModel

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(folder))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    return Encoder().eval()


def _export(target: Path, build: Any, outputs: tuple[str, ...]) -> None:
    """Export the module `build()` returns to `target` (atomically: temp file, rename)."""
    import torch

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    target.parent.mkdir(parents=True, exist_ok=True)
    module = build()
    example = torch.ones((2, 16), dtype=torch.long)
    mask = example.clone()
    mask[1, 9:] = 0  # a padded row, so that no mask shortcut of an all-ones batch is traced
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    batch, length = "batch", "tokens"
    axes = {name: {0: batch, 1: length} for name in ("input_ids", "attention_mask", "token_type_ids")}
    for name in outputs:
        axes[name] = {0: batch} if name == "answerable_logit" else {0: batch, 1: length}
    try:
        with torch.no_grad():
            torch.onnx.export(
                module,
                (example, mask, torch.zeros_like(example)),
                tmp,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=list(outputs),
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def prepare_query_path(model_path: str | Path, reader_folder: Path | None) -> list[Path]:
    """Export what the query path runs (the encoder, the reader) if not cached yet; the
    files it had to make. `qa index` calls this so the first `qa ask` starts fast."""
    made = []
    target = encoder_target(model_path)
    if target is not None and not target.exists():
        made.append(encoder_graph(model_path))
    if reader_folder is not None:
        for int8 in (False, True):
            if not reader_target(reader_folder, int8).exists():
                made.append(reader_graph(reader_folder, int8))
    return made
