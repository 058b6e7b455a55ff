"""ONNX Runtime sessions for the query path: the embedding model's encoder here, the reader
in `qa.answering.reader_onnx`; exported once from the local weights (never downloaded) into
a cache folder.

Importing torch costs seconds; ONNX Runtime a fraction of one. So a cold `qa ask` embeds the
question and reads the passages with ONNX Runtime; torch loads only to export (first use
after an install or a model change) or to embed passages when indexing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any

EXPORT_VERSION = 1  # bump when the export changes, so stale cached graphs are not reused
OPSET = 17
_SESSIONS: dict[str, Any] = {}
_LOCK = threading.Lock()


def fingerprint(weights: Path) -> str:
    stat = weights.stat()
    key = f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{EXPORT_VERSION}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def encoder_target(model_path: str | Path, cache_dir: Path) -> Path | None:
    """Where the encoder's ONNX file goes in `cache_dir` (None: the folder holds no weights)."""
    folder = Path(model_path)
    names = ("model.safetensors", "pytorch_model.bin")
    weights = next((folder / n for n in names if (folder / n).exists()), None)
    return None if weights is None else cache_dir / f"encoder-{fingerprint(weights)}.onnx"


def encoder_graph(model_path: str | Path, cache_dir: Path) -> Path:
    """The ONNX file of the BERT encoder at `model_path` (token embeddings out), exported
    on first use."""
    target = encoder_target(model_path, cache_dir)
    if target is None:
        raise FileNotFoundError(f"no model weights in {model_path}")
    if not target.exists():
        export_module(target, lambda: _encoder_module(Path(model_path)), ("token_embeddings",))
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


def encoder_session(model_path: str | Path, cache_dir: Path) -> Any:
    # one question of a dozen tokens: a second thread costs more than it saves
    return session(encoder_graph(model_path, cache_dir), threads=1)


def _encoder_module(folder: Path) -> Any:
    import torch
    import transformers
    from transformers import AutoModel

    transformers.logging.set_verbosity_error()  # no "Loading weights" bar in a server's log
    transformers.utils.logging.disable_progress_bar()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(folder))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    return Encoder().eval()


def export_module(target: Path, build: Any, outputs: tuple[str, ...]) -> None:
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
        axes[name] = {0: batch} if name.endswith("_logit") else {0: batch, 1: length}
    try:
        # the tracer's warnings are about graph details, not the user's doing: kept out of logs
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
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
