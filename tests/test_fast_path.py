"""Fast on a CPU: bf16 where the CPU has it (forced either way, with a quiet fallback), and
the ONNX Runtime query path giving the same vectors and hits as torch."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.errors import ConfigError
from qa.ingest.embedding import Embedder
from qa.ingest.precision import cpu_supports_bf16, resolve_precision

QUESTIONS = [
    "Who led the negotiations with Prigozhin?",
    "How many trucks were stranded?",
    "How many steel cables were replaced on the bridge?",
    "When will the library open?",
    "What did the council approve?",
    "Who won the national chess title?",
    "What is the capital of Peru?",
]


def test_precision_is_chosen_from_the_cpu_and_can_be_forced(caplog: pytest.LogCaptureFixture) -> None:
    assert resolve_precision("auto", supported=True) == "bf16"
    assert resolve_precision("auto", supported=False) == "fp32"
    assert resolve_precision("fp32", supported=True) == "fp32"
    assert resolve_precision("BF16", supported=True) == "bf16"
    with caplog.at_level(logging.WARNING):
        for _ in range(3):  # forced bf16 on a CPU without it: fp32, said once
            assert resolve_precision("bf16", supported=False) == "fp32"
    assert len([r for r in caplog.records if "does not compute natively" in r.message]) <= 1
    assert resolve_precision("auto", supported=False, gpu=True) == "fp16"
    assert resolve_precision("fp16", supported=True) == "fp32"  # fp16 only on a GPU
    with pytest.raises(ConfigError, match="QA_PRECISION"):
        resolve_precision("fp8", supported=True)


def test_cpu_flags_decide_bf16(tmp_path: Path) -> None:
    with_amx = tmp_path / "amx"
    with_amx.write_text("processor : 0\nflags : fpu sse avx512f amx_bf16 amx_tile\n")
    without = tmp_path / "old"
    without.write_text("processor : 0\nflags : fpu sse avx2\n")
    assert cpu_supports_bf16(str(with_amx)) and not cpu_supports_bf16(str(without))
    assert not cpu_supports_bf16(str(tmp_path / "missing"))


@pytest.fixture(scope="module")
def passages() -> tuple[list[str], list[list[tuple[int, int]]]]:
    texts = [
        "The bridge reopened on Friday after two years. Repairs cost 310 million euros.",
        "Heavy snow closed the Brenner pass. About 300 trucks were stranded overnight.",
        "The council approved a budget of 12.5 million dollars for a new library.",
    ]
    spans = [[(0, t.index(".") + 1), (t.index(".") + 2, len(t))] for t in texts]
    return texts, spans


def test_bf16_and_fp32_passage_vectors_agree(passages: tuple[list[str], list[list[tuple[int, int]]]]) -> None:
    if not cpu_supports_bf16():
        pytest.skip("this CPU has no native bf16")
    texts, spans = passages
    fp32 = Embedder(precision="fp32").encode_passages(texts, spans)
    bf16 = Embedder(precision="bf16").encode_passages(texts, spans)
    assert np.min(np.sum(fp32.passages * bf16.passages, axis=1)) >= 0.999
    for a, b in zip(fp32.sentences, bf16.sentences, strict=True):
        assert np.min(np.sum(a * b, axis=1)) >= 0.999


def test_onnx_query_vectors_match_torch() -> None:
    onnx = Embedder(query_backend="onnx").encode_queries(QUESTIONS)
    torch = Embedder(query_backend="torch").encode_queries(QUESTIONS)
    assert onnx.shape == torch.shape == (len(QUESTIONS), 384)
    assert np.min(np.sum(onnx * torch, axis=1)) >= 0.9999


def test_onnx_and_torch_query_paths_return_the_same_hits(built_index_dir: Path) -> None:
    from qa.config import Settings
    from qa.index import Index

    with Index.open(built_index_dir, Settings(), create=False) as index:
        index.retriever.embedder = Embedder(query_backend="onnx")
        onnx_hits = [[h.chunk.id for h in index.search(q, k=5)] for q in QUESTIONS]
        index.retriever.embedder = Embedder(query_backend="torch")
        torch_hits = [[h.chunk.id for h in index.search(q, k=5)] for q in QUESTIONS]
    assert onnx_hits == torch_hits


def test_asking_imports_neither_torch_nor_transformers(built_index_dir: Path) -> None:
    code = (
        "import sys\n"
        "from qa.pipeline import QA\n"
        f"qa = QA.open({str(built_index_dir)!r})\n"
        "answer = qa.answer('Who led the negotiations with Prigozhin?')\n"
        "assert 'Lukashenko' in answer.text, answer.text\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
