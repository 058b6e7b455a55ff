"""The LLM answerer: any litellm model, prompted with numbered passages, streamed, with its
citation markers checked against the passages they name. Retries transient provider
errors with backoff, then raises `LLMError` for the pipeline to fall back on."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from qa.answerer import Draft, Restart
from qa.citations import ground_claims
from qa.errors import LLMError
from qa.prompts import ANSWER_SYSTEM, ANSWER_USER, NO_ANSWER_PATTERNS, format_passage
from qa.retrieval import Retrieval

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}
_SECRET = re.compile(r"\b(sk|key|token)[-_][A-Za-z0-9_-]{6,}", re.I)


def load_litellm() -> Any:
    """litellm, imported on first use, with its network lookups and chatter switched off."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_LOG", "ERROR")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


def is_retryable(error: Exception) -> bool:
    """Timeouts, dropped connections, 429 and 5xx are worth another try; 4xx are not."""
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return status in RETRY_STATUS
    name = type(error).__name__
    return any(word in name for word in ("Timeout", "Connection", "ServiceUnavailable", "RateLimit", "InternalServer"))


def describe_error(error: Exception) -> str:
    """A short, key-free description of a provider error for notices and logs."""
    status = getattr(error, "status_code", None)
    label = type(error).__name__ + (f" {status}" if isinstance(status, int) else "")
    return _SECRET.sub("[redacted]", label)


class LLMClient:
    """Chat completions through litellm with retries and backoff; keys come from the env."""

    def __init__(
        self,
        model: str,
        timeout_s: float = 60.0,
        retries: int = 2,
        api_base: str | None = None,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.model = model
        self.timeout_s = timeout_s
        self.retries = retries
        self.api_base = api_base or os.environ.get("QA_API_BASE") or None
        self.backoff_s = backoff_s
        self.sleep = sleep

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str | Restart]:
        """Text deltas of one completion; a `Restart` before the deltas of each retry."""
        litellm = load_litellm()
        for attempt in range(self.retries + 1):
            produced = False
            try:
                response = litellm.completion(
                    model=self.model,
                    messages=messages,
                    stream=True,
                    timeout=self.timeout_s,
                    num_retries=0,
                    temperature=0.0,
                    **({"api_base": self.api_base} if self.api_base else {}),
                )
                for part in response:
                    delta = _delta_text(part)
                    if delta:
                        produced = True
                        yield delta
                return
            except Exception as error:
                if attempt >= self.retries or not is_retryable(error):
                    raise LLMError(f"{self.model} failed: {describe_error(error)}") from None
                if produced:
                    yield Restart()
                self.sleep(_retry_delay(error, attempt, self.backoff_s))

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The whole text of one completion."""
        parts: list[str] = []
        for item in self.stream(messages):
            if isinstance(item, Restart):
                parts.clear()
            else:
                parts.append(item)
        return "".join(parts)


class LLMAnswerer:
    """Answers from numbered passages with any litellm model; cites `[n]` per sentence."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.name = client.model

    def messages(self, question: str, retrieval: Retrieval) -> list[dict[str, str]]:
        passages = "\n\n".join(
            format_passage(p.hit.rank, p.hit.article.title, p.hit.chunk.text, p.hit.article.source, p.hit.article.published)
            for p in retrieval.passages
        )
        return [
            {"role": "system", "content": ANSWER_SYSTEM},
            {"role": "user", "content": ANSWER_USER.format(passages=passages, question=question)},
        ]

    def answer(self, question: str, retrieval: Retrieval) -> Draft:
        draft = None
        for item in self.stream(question, retrieval):
            if isinstance(item, Draft):
                draft = item
        assert draft is not None
        return draft

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Restart | Draft]:
        parts: list[str] = []
        for item in self.client.stream(self.messages(question, retrieval)):
            if isinstance(item, Restart):
                parts.clear()
            else:
                parts.append(item)
            yield item
        yield self.draft_from_text("".join(parts), retrieval)

    def draft_from_text(self, text: str, retrieval: Retrieval) -> Draft:
        """Check the model's markers against the passages and build the cited draft."""
        hits = [p.hit for p in retrieval.passages]
        text, citations, unsupported = ground_claims(text, hits)
        refused = any(re.search(p, text, re.I) for p in NO_ANSWER_PATTERNS)
        abstained = not text.strip() or (refused and not any(c.supported for c in citations))
        return Draft(text.strip(), citations, abstained, self.name, unsupported=unsupported)


def _delta_text(part: Any) -> str:
    try:
        return part.choices[0].delta.content or ""
    except (AttributeError, IndexError):
        return ""


def _retry_delay(error: Exception, attempt: int, backoff_s: float) -> float:
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        return min(float(headers.get("retry-after", "")), 10.0)
    except (TypeError, ValueError):
        return backoff_s * (2**attempt)
