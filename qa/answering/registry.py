"""The answerers by name, as simonw/llm's `register_models`: each answerer module registers
its class with a function that builds it, and the pipeline, the CLI and the web faces read
this registry instead of knowing the answerers.

A name that no answerer is registered under is a model id of the answerer registered with
`model_ids=True` (the LLM answerer: any litellm model id).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.answering.answerer import Answerer
from qa.config import Settings
from qa.errors import ConfigError

if TYPE_CHECKING:
    from qa.answering.reader import Reader

# the modules whose answerers ship; each registers its answerer when imported
ANSWERER_MODULES = ("qa.answering.reader_answerer", "qa.answering.extractive", "qa.answering.llm")
# the offline answerers in order of preference: the first whose needs are met is the default
OFFLINE_PREFERENCE = ("reader", "extractive")
# the offline answerer's name before the reader was named "reader": it still chooses it
LEGACY_OFFLINE_NAME = "extractive"


@dataclass(frozen=True)
class AnswererParts:
    """What the pipeline offers an answerer to be built from."""

    settings: Settings
    reader: Reader | None = None
    idf: Callable[[Iterable[str]], dict[str, float]] | None = None
    abstain_below: float | None = None  # the caller's threshold (None: the answerer's own)


Make = Callable[[AnswererParts, str], Answerer]


@dataclass(frozen=True)
class Registered:
    """An answerer class (its name and abilities) and the function that builds one: from
    the parts and the name it was chosen by (a model id, for `model_ids`)."""

    cls: type[Answerer]
    make: Make
    model_ids: bool = False

    @property
    def name(self) -> str:
        return self.cls.name

    def build(self, parts: AnswererParts, name: str) -> Answerer:
        if self.cls.needs_reader and parts.reader is None:
            raise ConfigError(
                f"the answerer {name!r} needs the trained reader, which is not installed "
                "(QA_READER is off, or the shipped qa/models/reader is missing)"
            )
        return self.make(parts, name)


_BY_NAME: dict[str, Registered] = {}
_MODEL_IDS: list[Registered] = []


def register_answerer(cls: type[Answerer], make: Make, *, model_ids: bool = False) -> None:
    """Register `cls` under `cls.name`; or, with `model_ids`, as the answerer of every name
    no other is registered under (one such answerer at most)."""
    entry = Registered(cls, make, model_ids)
    if model_ids:
        _MODEL_IDS[:] = [entry]
    else:
        _BY_NAME[cls.name] = entry


def _load() -> None:
    for module in ANSWERER_MODULES:
        importlib.import_module(module)


def registered_answerers() -> list[Registered]:
    """Every registered answerer: those registered by name, then the one of model ids."""
    _load()
    return [*_BY_NAME.values(), *_MODEL_IDS]


def find_answerer(name: str) -> Registered:
    """The answerer registered as `name`, else the one whose model ids `name` is."""
    _load()
    if name in _BY_NAME:
        return _BY_NAME[name]
    if not _MODEL_IDS:
        known = ", ".join(sorted(_BY_NAME))
        raise ConfigError(f"no answerer is named {name!r}: choose one of {known}")
    return _MODEL_IDS[0]


def offline_answerer(parts: AnswererParts) -> Answerer:
    """The default answerer: the first of `OFFLINE_PREFERENCE` whose needs are met."""
    _load()
    for name in OFFLINE_PREFERENCE:
        entry = _BY_NAME.get(name)
        if entry is not None and not (entry.cls.needs_reader and parts.reader is None):
            return entry.build(parts, name)
    raise ConfigError(f"none of the offline answerers {', '.join(OFFLINE_PREFERENCE)} can run here")
