"""The LLM answerer: any litellm model, prompted with numbered passages, streamed, with its
citation markers checked against the passages they name. Retries transient provider
errors with backoff, then raises `LLMError` for the pipeline to fall back on.

Settings: the model id comes from `QA_MODEL` or `--model` (any litellm id, such as
`openai/gpt-4o-mini` or `ollama/llama3`); `QA_API_BASE` points it at another endpoint (an
OpenAI-compatible server, say); `QA_LLM_TIMEOUT` and `QA_LLM_RETRIES` (see `Settings`)
bound each attempt and the retries; `QA_LLM_BACKOFF` is the delay in seconds before the
first retry, doubled for each further one (default 0.5; a `Retry-After` header wins, up to
10 s). API keys come only from the provider's own environment variables (`OPENAI_API_KEY`,
`ANTHROPIC_API_KEY`, …): this module never takes, stores or logs one, and every error text
it passes on is redacted. litellm is imported only when a model is used, switched to its
bundled model cost map and offline mode first, so it fetches nothing on its own.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from qa.answering.answerer import Answerer, Draft, DraftStream, Restart
from qa.answering.citations import ground_claims, split_claims, strip_markers
from qa.answering.prompts import ANSWER_SYSTEM, ANSWER_USER, NO_ANSWER_PATTERNS, format_passage
from qa.answering.registry import AnswererParts, register_answerer
from qa.answering.retrieval import Retrieval
from qa.config import DEFAULT_LLM_BACKOFF_S
from qa.errors import ConfigError, LLMError

log = logging.getLogger(__name__)

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}
AUTH_STATUS = {401, 403}
DEFAULT_BACKOFF_S = DEFAULT_LLM_BACKOFF_S
MAX_RETRY_AFTER_S = 10.0
# Set before litellm is imported: its bundled cost map, and no catalog fetches of its own.
LITELLM_ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_OFFLINE_MODE": "true", "LITELLM_LOG": "ERROR"}

_SECRET = re.compile(r"\b(?:sk|pk|rk|key|token)[-_][A-Za-z0-9_-]{6,}|\bBearer\s+\S+", re.I)
_SECRET_NAME = re.compile(r"(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)(?:_|$)", re.I)
_URL_USERINFO = re.compile(r"(\w+://)[^/\s@]+@")
_NO_KEY = re.compile(r"credential|api[-_ ]?key", re.I)
# where provider and network errors come from; anything else raised on the LLM path is a
# bug of ours and must surface as one, not as "the model failed"
_PROVIDER_MODULES = {
    "litellm",
    "openai",
    "anthropic",
    "httpx",
    "httpcore",
    "aiohttp",
    "requests",
    "urllib3",
    "h11",
}
_RETRYABLE_NAMES = (
    "Timeout",
    "Connection",
    "ServiceUnavailable",
    "RateLimit",
    "InternalServer",
    "RemoteProtocol",
)


def load_litellm() -> Any:
    """litellm, imported on first use, with its network lookups and chatter switched off."""
    for name, value in LITELLM_ENV.items():
        if not os.environ.get(name, "").strip():
            os.environ[name] = value
    try:
        import litellm
    except ImportError:
        raise LLMError("litellm is not installed; install it (pip install litellm) to use QA_MODEL") from None
    litellm.suppress_debug_info = True
    return litellm


def redact(text: str) -> str:
    """`text` without anything that looks like a credential, nor the value of any
    environment variable named like one (`*_API_KEY`, `*_TOKEN`, `*SECRET*`, …)."""
    for name, value in os.environ.items():
        if len(value) >= 8 and _SECRET_NAME.search(name):
            text = text.replace(value, "[redacted]")
    text = _URL_USERINFO.sub(r"\1[redacted]@", text)  # https://user:password@host
    return _SECRET.sub("[redacted]", text)


def status_of(error: Exception) -> int | None:
    """The HTTP status a provider error carries, if any."""
    status = getattr(error, "status_code", None)
    return status if isinstance(status, int) else None


def is_provider_error(error: BaseException) -> bool:
    """True for errors of the provider, its SDK or the network (timeouts, refused
    connections, HTTP errors), False for everything else: our own bugs."""
    module = type(error).__module__.split(".")[0]
    return module in _PROVIDER_MODULES or isinstance(error, (OSError, TimeoutError))


def is_retryable(error: Exception) -> bool:
    """Timeouts, dropped connections, 429 and 5xx are worth another try; 4xx are not."""
    status = status_of(error)
    if status is not None:
        return status in RETRY_STATUS
    name = type(error).__name__
    return any(word in name for word in _RETRYABLE_NAMES)


def describe_error(
    error: Exception, timeout_s: float | None = None, missing_keys: tuple[str, ...] = ()
) -> str:
    """A short, key-free description of a provider error for notices and logs: its type,
    status and what it means for the reader."""
    status = status_of(error)
    name = type(error).__name__
    label = name + (f" {status}" if status is not None else "")
    if missing_keys:
        reason = f"no API key: set {' or '.join(missing_keys)} in the environment"
    elif status in AUTH_STATUS:
        reason = "the provider refused the API key: check the key set in the environment"
    elif status == 408 or "Timeout" in name:
        reason = f"no reply within {timeout_s:g} s" if timeout_s else "timed out"
    elif status == 429:
        reason = "rate limited"
    elif status is None or status >= 500:
        reason = "the provider or the connection failed"
    else:  # other 4xx: the provider's words say what to fix (an unknown model, say)
        reason = redact(" ".join(str(error).split()))[:200]  # redact first: a cut key would slip through
    return redact(f"{label}: {reason}")


class LLMClient:
    """Chat completions through litellm with retries and backoff; keys come from the env.

    A client that has given up on a provider (retries spent, or its key refused) fails
    again at once on later calls, so a question's follow-up condensing and its answer do
    not each wait out the same outage; the pipeline makes one client per question.
    """

    def __init__(
        self,
        model: str,
        timeout_s: float = 60.0,
        retries: int = 2,
        api_base: str | None = None,
        backoff_s: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not model.strip():
            raise ConfigError("the model id (QA_MODEL or --model) is empty")
        self.model = model.strip()
        self.timeout_s = timeout_s
        self.retries = max(0, retries)
        self.api_base = api_base or None
        self.backoff_s = DEFAULT_BACKOFF_S if backoff_s is None else backoff_s
        self.sleep = sleep
        self.failure: LLMError | None = None

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str | Restart]:
        """Text deltas of one completion; a `Restart` before the deltas of each retry.
        Raises `LLMError` (with a redacted reason) when no attempt succeeds."""
        if self.failure is not None:
            raise LLMError(str(self.failure))
        litellm = load_litellm()
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            produced = False
            try:
                response = litellm.completion(
                    model=self.model,
                    messages=messages,
                    stream=True,
                    timeout=self.timeout_s,
                    num_retries=0,  # retries are ours, with backoff and restarts
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
                if not is_provider_error(error):
                    raise  # a bug of ours: shown as one, never retried or blamed on the model
                missing = self._missing_keys(litellm, error)
                description = describe_error(error, self.timeout_s, missing)
                if attempt < attempts and is_retryable(error) and not missing:
                    log.info("%s: %s; retry %d of %d", self.model, description, attempt, self.retries)
                    if produced:
                        yield Restart()
                    self.sleep(retry_delay(error, attempt - 1, self.backoff_s))
                    continue
                tries = f", after {attempt} tries" if attempt > 1 else ""
                failure = LLMError(f"The model {self.model} did not answer ({description}{tries})")
                log.warning("%s", failure)
                if is_retryable(error) or missing or status_of(error) in AUTH_STATUS:
                    self.failure = failure
                raise failure from None

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The whole text of one completion."""
        return DraftStream(self.stream(messages)).finish_text()

    def _missing_keys(self, litellm: Any, error: Exception) -> tuple[str, ...]:
        """API key variables the model's provider needs and the environment lacks, when
        `error` is about credentials (some SDKs report a missing key as a 500)."""
        if status_of(error) not in AUTH_STATUS and not _NO_KEY.search(str(error)):
            return ()
        try:
            report = litellm.validate_environment(self.model, api_base=self.api_base)
        except Exception:
            return ()
        return tuple(k for k in report.get("missing_keys", []) if k.endswith(("_KEY", "_TOKEN")))


class LLMAnswerer(Answerer):
    """Answers from numbered passages with any litellm model; cites `[n]` per sentence.
    Registered for model ids: its name is the litellm model id it was chosen by."""

    name = "llm"
    can_stream = True
    streams_raw_markers = True  # deltas carry the model's passage numbers, grounded at the end
    needs_llm = True

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.name = client.model

    def complete(self, messages: list[dict[str, str]]) -> str:
        return self.client.complete(messages)

    def messages(self, question: str, retrieval: Retrieval) -> list[dict[str, str]]:
        """The chat messages: the rules, then passages numbered 1..N in retrieval order
        (the numbers `ground_claims` resolves), each with its title, source and date."""
        passages = "\n\n".join(
            format_passage(
                number, p.hit.article.title, p.hit.chunk.text, p.hit.article.source, p.hit.article.published
            )
            for number, p in enumerate(retrieval.passages, 1)
        )
        return [
            {"role": "system", "content": ANSWER_SYSTEM},
            {"role": "user", "content": ANSWER_USER.format(passages=passages, question=question)},
        ]

    def answer(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> Draft:
        return self.stream(question, retrieval, avoid).finish()

    def stream(self, question: str, retrieval: Retrieval, avoid: Sequence[str] = ()) -> DraftStream:
        """The model's text deltas as they come (markers unchecked), then the checked
        `Draft`. An empty completion is an `LLMError`, as is a provider failure. `avoid`
        is not needed: the model sees the conversation through the condensed question."""
        return DraftStream(self._items(question, retrieval))

    def _items(self, question: str, retrieval: Retrieval) -> Iterator[str | Restart | Draft]:
        completion = DraftStream(self.client.stream(self.messages(question, retrieval)))
        yield from completion
        if not completion.text.strip():
            raise LLMError(f"The model {self.name} returned an empty answer")
        yield self.draft_from_text(completion.text, retrieval)

    def draft_from_text(self, text: str, retrieval: Retrieval) -> Draft:
        """Check the model's markers against the passages and build the cited draft:
        out-of-range markers dropped, each claim's support tested, unsupported claims
        listed. A reply saying the passages do not answer, with no supported claim, is an
        abstention (and its refusal is not an unsupported claim)."""
        hits = [p.hit for p in retrieval.passages]
        text, citations, unsupported = ground_claims(text, hits)
        refused = any(re.search(p, text, re.I) for p in NO_ANSWER_PATTERNS)
        abstained = not text.strip() or (refused and not any(c.supported for c in citations))
        if abstained:  # a refusal cites nothing: no markers that lead nowhere
            text, citations, unsupported = strip_markers(text), (), ()
        claims = len(split_claims(text)) or 1
        confidence = 0.0 if abstained else 1.0 - len(unsupported) / claims
        return Draft(
            text.strip(), citations, abstained, self.name, confidence=confidence, unsupported=unsupported
        )


def _delta_text(part: Any) -> str:
    try:
        return part.choices[0].delta.content or ""
    except (AttributeError, IndexError):
        return ""


def retry_delay(error: Exception, attempt: int, backoff_s: float) -> float:
    """Seconds before retry `attempt + 1`: the provider's `Retry-After` (capped), else
    exponential backoff from `backoff_s`."""
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        return max(0.0, min(float(headers.get("retry-after", "")), MAX_RETRY_AFTER_S))
    except (TypeError, ValueError):
        return backoff_s * (2**attempt)


def _make(parts: AnswererParts, model: str) -> LLMAnswerer:
    settings = parts.settings
    client = LLMClient(
        model, settings.llm_timeout_s, settings.llm_retries, settings.llm.api_base, settings.llm.backoff_s
    )
    return LLMAnswerer(client)


register_answerer(LLMAnswerer, _make, model_ids=True)
