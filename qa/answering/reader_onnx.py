"""The reader and its sentence judge as ONNX Runtime graphs (int8 by default), exported once
from their local weights into the cache folder: the query path reads passages without
importing torch."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from qa.answering.windows import WEIGHTS
from qa.ingest.onnx_models import (
    encoder_graph,
    encoder_target,
    export_module,
    fingerprint,
    session,
)


def reader_target(folder: Path, cache_dir: Path, int8: bool = False) -> Path:
    suffix = "-int8" if int8 else ""
    return cache_dir / f"reader-{fingerprint(folder / WEIGHTS)}{suffix}.onnx"


def reader_graph(folder: Path, cache_dir: Path, int8: bool = False) -> Path:
    """The ONNX file of the reader in `folder`, exported on first use into `cache_dir`; with `int8`, its
    weights quantized (ONNX Runtime's dynamic quantization: int8 matrix products, about
    twice as fast on this CPU)."""

    def build() -> Any:
        from qa.answering.reader_net import load_reader

        return load_reader(folder)

    return _graph(
        reader_target(folder, cache_dir, int8),
        reader_target(folder, cache_dir),
        build,
        ("start_logits", "end_logits", "answerable_logit"),
        int8,
    )


def judge_target(reader_folder: Path, cache_dir: Path, int8: bool = False) -> Path:
    from qa.answering.judge import JUDGE_FOLDER

    # the judge runs on the reader's embeddings: its graph changes with either file
    reader = fingerprint(reader_folder / WEIGHTS)
    own = fingerprint(reader_folder / JUDGE_FOLDER / WEIGHTS)
    return cache_dir / f"judge-{own}-{reader}{'-int8' if int8 else ''}.onnx"


def judge_graph(reader_folder: Path, cache_dir: Path, int8: bool = False) -> Path:
    """The ONNX file of the sentence judge shipped with the reader in `reader_folder`
    (`qa.answering.judge`), exported on first use into `cache_dir`, int8 as the reader's."""

    def build() -> Any:
        from qa.answering.judge import JUDGE_FOLDER
        from qa.answering.judge_net import load_judge

        return load_judge(reader_folder / JUDGE_FOLDER, reader_folder)

    return _graph(
        judge_target(reader_folder, cache_dir, int8),
        judge_target(reader_folder, cache_dir),
        build,
        ("judge_logit",),
        int8,
    )


def _graph(target: Path, plain: Path, build: Any, outputs: tuple[str, ...], int8: bool) -> Path:
    """`target`: the module `build()` returns, exported to `plain` (ONNX), then with `int8`
    quantized into `target`; made once, reused after."""
    if target.exists():
        return target
    if not plain.exists():
        export_module(plain, build, outputs)
    if not int8:
        return plain
    from onnxruntime.quantization import QuantType, quantize_dynamic

    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        quiet = logging.getLogger()  # quantization advises pre-processing on the root logger
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        # quantization writes (then deletes) "<input>-inferred.onnx" beside its input: from a
        # private link of it, so that processes starting together (Serve replicas, a server
        # and `qa eval`) never delete each other's
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as private:
            source = Path(private) / plain.name
            try:
                os.link(plain, source)
            except OSError:
                shutil.copyfile(plain, source)
            try:
                quantize_dynamic(str(source), tmp, weight_type=QuantType.QInt8)
            finally:
                quiet.setLevel(level)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def reader_session(folder: Path, cache_dir: Path, int8: bool = False) -> Any:
    return session(reader_graph(folder, cache_dir, int8))


def judge_session(reader_folder: Path, cache_dir: Path, int8: bool = True) -> Any:
    # one sentence pair: on one thread, as the query encoder (a second pool of threads
    # spinning beside the reader's cost the query path 17 ms at the median, the call itself 3)
    return session(judge_graph(reader_folder, cache_dir, int8), threads=1)


def prepare_query_path(
    model_path: str | Path, reader_folder: Path | None, cache_dir: Path, judge: bool = False
) -> list[Path]:
    """Export what the query path runs (the encoder, the reader and, with `judge`, the
    reader's sentence judge) if not cached yet; the files it had to make. `qa index` calls
    this so the first `qa ask` starts fast."""
    made = []
    target = encoder_target(model_path, cache_dir)
    if target is not None and not target.exists():
        made.append(encoder_graph(model_path, cache_dir))
    if reader_folder is not None:
        for int8 in (False, True):
            if not reader_target(reader_folder, cache_dir, int8).exists():
                made.append(reader_graph(reader_folder, cache_dir, int8))
        if judge and not judge_target(reader_folder, cache_dir, True).exists():
            made.append(judge_graph(reader_folder, cache_dir, True))
    return made
