"""Settings read from the environment, with the defaults the product ships with."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ConfigError

DEFAULT_EMBED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# Confidence under which the extractive answerer abstains; calibrated with `qa eval --out`.
DEFAULT_ABSTAIN_BELOW = 0.55
PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
MAX_QUESTION_CHARS = 4000
EMPTY_QUESTION = "the question is empty: ask a question about the articles"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None


def _env_optional_float(name: str) -> float | None:
    raw = os.environ.get(name, "").strip()
    return _env_float(name, 0.0) if raw else None


def question_problem(question: str) -> str | None:
    """Why `question` cannot be asked (empty or blank, or over `MAX_QUESTION_CHARS`), or
    None: the one rule the API, the chat and the CLI apply before answering."""
    text = question.strip()
    if not text:
        return EMPTY_QUESTION
    if len(text) > MAX_QUESTION_CHARS:
        return f"the question is over {MAX_QUESTION_CHARS:,} characters"
    return None


def default_index_dir() -> Path:
    """`QA_INDEX_DIR`, else `./index` in the current folder: what `--index-dir`'s help says,
    for every command, wherever the package is installed (a source checkout included)."""
    raw = os.environ.get("QA_INDEX_DIR", "").strip()
    if raw:
        return Path(raw).expanduser()
    return Path.cwd() / "index"


@dataclass(frozen=True)
class Settings:
    """Every tunable of article-qa; `Settings.from_env()` reads the `QA_*` variables."""

    embed_model: str = DEFAULT_EMBED_MODEL
    llm_model: str | None = None
    max_file_mb: float = 50.0
    max_article_chars: int = 2_000_000
    chunk_words: int = 180
    top_k: int = 6
    max_chunks_per_article: int = 0  # 0: half of k, at least 2
    llm_timeout_s: float = 60.0
    llm_retries: int = 2
    host: str = "127.0.0.1"
    port: int = 7860
    max_upload_mb: float = 20.0
    abstain_below: float | None = None  # None: each answerer's calibrated default

    @classmethod
    def from_env(cls) -> Settings:
        model = os.environ.get("QA_MODEL", "").strip() or None
        if model in {"extractive", "none"}:
            model = None
        settings = cls(
            embed_model=os.environ.get("QA_EMBED_MODEL", "").strip() or DEFAULT_EMBED_MODEL,
            llm_model=model,
            max_file_mb=_env_float("QA_MAX_FILE_MB", cls.max_file_mb),
            max_article_chars=_env_int("QA_MAX_ARTICLE_CHARS", cls.max_article_chars),
            chunk_words=_env_int("QA_CHUNK_WORDS", cls.chunk_words),
            top_k=_env_int("QA_TOP_K", cls.top_k),
            max_chunks_per_article=_env_int("QA_MAX_CHUNKS_PER_ARTICLE", cls.max_chunks_per_article),
            llm_timeout_s=_env_float("QA_LLM_TIMEOUT", cls.llm_timeout_s),
            llm_retries=_env_int("QA_LLM_RETRIES", cls.llm_retries),
            host=os.environ.get("QA_HOST", "").strip() or cls.host,
            port=_env_int("QA_PORT", cls.port),
            max_upload_mb=_env_float("QA_MAX_UPLOAD_MB", cls.max_upload_mb),
            abstain_below=_env_optional_float("QA_ABSTAIN_BELOW"),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 20 <= self.chunk_words <= 400:
            raise ConfigError(f"QA_CHUNK_WORDS={self.chunk_words} must be between 20 and 400")
        if self.top_k < 1:
            raise ConfigError(f"QA_TOP_K={self.top_k} must be at least 1")
        if self.max_file_mb <= 0:
            raise ConfigError(f"QA_MAX_FILE_MB={self.max_file_mb} must be positive")
        if self.max_article_chars < 1000:
            raise ConfigError(f"QA_MAX_ARTICLE_CHARS={self.max_article_chars} must be at least 1000")
        if self.max_upload_mb <= 0:
            raise ConfigError(f"QA_MAX_UPLOAD_MB={self.max_upload_mb} must be positive")
        if self.llm_timeout_s <= 0:
            raise ConfigError(f"QA_LLM_TIMEOUT={self.llm_timeout_s} must be a positive number of seconds")
        if self.llm_retries < 0:
            raise ConfigError(f"QA_LLM_RETRIES={self.llm_retries} must be 0 or more")
