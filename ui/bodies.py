"""The API's request bodies (pydantic): OpenAI's chat completion request, `/v1/answer`'s,
articles as JSON, filters; every string must be Unicode text."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa.config import MAX_QUESTION_CHARS, question_problem
from qa.types import Filters
from ui.handlers import MAX_K

API_MODEL = "article-qa"  # the model name a client asks for: the server's answerer


def surrogate_at(value: Any, where: str = "") -> str | None:
    """Where in `value` (strings, lists, dicts) a string holds a lone surrogate (JSON
    allows `"\\ud800"`; it is no Unicode text and cannot be encoded): "" for `value`
    itself, ".text" or "[0].text" inside it; None when every string is text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key).encode("utf-8", "backslashreplace").decode("utf-8")
            found = surrogate_at(key, f"{where}.{name}") if isinstance(key, str) else None
            found = surrogate_at(item, f"{where}.{name}") if found is None else found
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for number, item in enumerate(value):
            found = surrogate_at(item, f"{where}[{number}]")
            if found is not None:
                return found
    return None


class ApiBody(BaseModel):
    """A request body whose every string must be Unicode text (no lone surrogates), so a
    bad one is a 400 that names its field rather than a failure deep in the answering."""

    @field_validator("*", mode="after")
    @classmethod
    def _unicode_text(cls, value: Any) -> Any:
        where = surrogate_at(value)
        if where is not None:
            raise ValueError(not_text(where))
        return value


def not_text(where: str = "") -> str:
    return (
        f"the text{' at ' + where.lstrip('.') if where else ''} holds a lone surrogate "
        "(such as \\ud800), which is not Unicode text: send UTF-8 text"
    )


class FiltersBody(ApiBody):
    """Restrictions on retrieval."""

    model_config = ConfigDict(extra="forbid")
    sources: list[str] = Field(default_factory=list, max_length=50)
    published_from: str | None = Field(None, description="ISO date, inclusive", max_length=32)
    published_to: str | None = Field(None, description="ISO date, inclusive", max_length=32)
    article_ids: list[str] = Field(default_factory=list, max_length=500)

    def to_filters(self) -> Filters:
        return Filters(tuple(self.sources), self.published_from, self.published_to, tuple(self.article_ids))


class ChatMessage(ApiBody):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # OpenAI's content parts: the text ones
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(ApiBody):
    """OpenAI's chat completion request; fields other clients send (temperature, ...) are
    accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = API_MODEL
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    filters: FiltersBody | None = None
    k: int | None = Field(None, ge=1, le=MAX_K)


class AnswerRequest(ApiBody):
    """`/v1/answer`: a question, optional history (chat messages), model, k and filters."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=MAX_QUESTION_CHARS + 1000)  # the stripped text is checked

    @field_validator("question", mode="after")
    @classmethod
    def _a_question(cls, value: str) -> str:
        problem = question_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value.strip()

    history: list[ChatMessage] = Field(default_factory=list)
    model: str = API_MODEL
    filters: FiltersBody | None = None
    k: int | None = Field(None, ge=1, le=MAX_K)


class ArticlesRequest(ApiBody):
    """`POST /v1/articles` as JSON: articles like the lines of a .jsonl file."""

    articles: list[dict[str, Any]] = Field(min_length=1, max_length=1000)
