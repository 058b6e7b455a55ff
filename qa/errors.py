"""The error hierarchy of article-qa. Messages name the file, field or setting at fault."""

from __future__ import annotations


class QAError(Exception):
    """Base of every error article-qa raises on purpose."""


class ArticleError(QAError):
    """An input file (or one record of it) cannot be read as an article."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ConfigError(QAError):
    """A setting (environment variable or option) has an unusable value."""


class IndexNotFoundError(QAError):
    """No index exists where one was expected."""


class IndexFormatError(QAError):
    """The index on disk is damaged or of an unknown format version."""


class IndexMismatchError(QAError):
    """The index was built otherwise than configured: its fingerprint (embedding model,
    chunker version, chunk size) differs, so it is refused rather than mixed."""


class ModelMismatchError(IndexMismatchError):
    """The index was built with a different embedding model than the one configured."""


class LLMError(QAError):
    """An LLM provider failed after retries."""


class EvalDataError(QAError):
    """An evaluation file has a malformed record."""


class QuestionError(QAError):
    """A question that cannot be asked: empty, blank or too long."""
