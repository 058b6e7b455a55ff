"""Settings read from the environment, with the defaults the product ships with."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import ConfigError

DEFAULT_EMBED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# Confidence under which the extractive answerer abstains; calibrated with `qa eval --out`.
DEFAULT_ABSTAIN_BELOW = 0.55
PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
DEFAULT_LLM_BACKOFF_S = 0.5  # first retry's wait; doubled each retry, at most 10 s
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


def default_cache_dir() -> Path:
    """~/.cache/article-qa, XDG_CACHE_HOME respected: the cache without `QA_CACHE_DIR`."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "article-qa"


def cache_dir_setting() -> Path:
    """`QA_CACHE_DIR`, else `default_cache_dir()`: the one rule for where exported models
    and the evaluation's indexes are cached."""
    raw = os.environ.get("QA_CACHE_DIR", "").strip()
    return Path(raw).expanduser() if raw else default_cache_dir()


# what turns a model setting off (`QA_READER=off`, `QA_JUDGE=off`)
OFF_WORDS = ("off", "none", "0", "false")


def _env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class IndexSettings:
    """How an index is written and searched."""

    commit_chunks: int = 512  # chunks per transaction, at most
    commit_seconds: float = 3.0  # and a commit at least this often
    embed_chunks: int = 64  # chunks embedded together
    ann_threshold: int = 100_000  # vectors from which search is approximate (IVF)


@dataclass(frozen=True)
class ModelSettings:
    """How the embedding model and the reader run."""

    precision: str = "auto"  # auto, fp32, bf16 or fp16, resolved against the device
    query_backend: str = "onnx"  # how questions are embedded: onnx or torch
    reader: str = ""  # "": the shipped reader; "off"; or a reader folder
    reader_backend: str = "onnx-int8"
    judge: bool = True  # the sentence judge shipped beside the reader refuses doubtful answers


@dataclass(frozen=True)
class LLMSettings:
    """How a hosted model is called (its id, timeout and retries are `Settings` fields)."""

    api_base: str | None = None
    backoff_s: float = DEFAULT_LLM_BACKOFF_S


@dataclass(frozen=True)
class ServerSettings:
    """Who may use the server; `qa serve`'s options win over these."""

    auth: str | None = None  # user:password
    auth_file: str | None = None
    api_keys: str | None = None  # comma- or space-separated
    api_keys_file: str | None = None
    open_browser: bool = False


SECRET_SETTINGS = ("server.auth", "server.api_keys")  # shown as set or unset, never printed


@dataclass(frozen=True)
class Settings:
    """Every tunable of article-qa, grouped where they belong together (`index`, `models`,
    `llm`, `server`). `Settings.from_env()` is the one place the `QA_*` variables are read
    (each process reads them once, a worker or a test's subprocess included); the values
    are passed down to where they are used. `qa info` prints them (`effective()`)."""

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
    index_dir: str = ""  # "": ./index in the current folder when used
    cache_dir: Path = field(default_factory=default_cache_dir)
    index: IndexSettings = field(default_factory=IndexSettings)
    models: ModelSettings = field(default_factory=ModelSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    server: ServerSettings = field(default_factory=ServerSettings)

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
            index_dir=_env_str("QA_INDEX_DIR"),
            cache_dir=cache_dir_setting(),
            index=IndexSettings(
                commit_chunks=_env_int("QA_COMMIT_CHUNKS", IndexSettings.commit_chunks),
                commit_seconds=_env_float("QA_COMMIT_SECONDS", IndexSettings.commit_seconds),
                embed_chunks=_env_int("QA_EMBED_CHUNKS", IndexSettings.embed_chunks),
                ann_threshold=_env_int("QA_ANN_THRESHOLD", IndexSettings.ann_threshold),
            ),
            models=ModelSettings(
                precision=_env_str("QA_PRECISION", ModelSettings.precision),
                query_backend=_env_str("QA_QUERY_BACKEND", ModelSettings.query_backend).lower(),
                reader=_env_str("QA_READER"),
                reader_backend=_env_str("QA_READER_BACKEND", ModelSettings.reader_backend).lower(),
                judge=_env_str("QA_JUDGE", "on").lower() not in OFF_WORDS,
            ),
            llm=LLMSettings(
                api_base=_env_str("QA_API_BASE") or None,
                backoff_s=_env_float("QA_LLM_BACKOFF", DEFAULT_LLM_BACKOFF_S),
            ),
            server=ServerSettings(
                auth=_env_str("QA_AUTH") or None,
                auth_file=_env_str("QA_AUTH_FILE") or None,
                api_keys=os.environ.get("QA_API_KEYS"),
                api_keys_file=_env_str("QA_API_KEYS_FILE") or None,
                open_browser=_env_flag("QA_OPEN_BROWSER"),
            ),
        )
        settings.validate()
        return settings

    def index_path(self) -> Path:
        """`QA_INDEX_DIR`, else `./index` in the current folder: what `--index-dir`'s help
        says, for every command, wherever the package is installed."""
        return Path(self.index_dir).expanduser() if self.index_dir else Path.cwd() / "index"

    def effective(self) -> dict[str, Any]:
        """Every setting by dotted name (`index.commit_chunks`), secrets shown as set or
        unset: what `qa info` prints."""
        flat: dict[str, Any] = {}
        for name, value in asdict(self).items():
            parts = value.items() if isinstance(value, dict) else [("", value)]
            for part, leaf in parts:
                key = f"{name}.{part}" if part else name
                if key in SECRET_SETTINGS:
                    leaf = "set" if leaf else "unset"
                flat[key] = str(leaf) if isinstance(leaf, Path) else leaf
        flat["index_dir"] = str(self.index_path())
        return flat

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
        if self.llm.backoff_s < 0:
            raise ConfigError(f"QA_LLM_BACKOFF={self.llm.backoff_s} must not be negative")
