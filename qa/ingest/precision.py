"""Which floating-point precision the models run in: bf16 where the CPU computes it natively
(AVX512-BF16 or AMX), else fp32. `QA_PRECISION=auto|fp32|bf16` overrides the choice."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from qa.errors import ConfigError

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
_BF16_FLAGS = {"avx512_bf16", "amx_bf16"}
log = logging.getLogger(__name__)


@functools.cache
def cpu_supports_bf16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """True when the CPU flags include native bf16 arithmetic (read once per process)."""
    try:
        text = Path(cpuinfo).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return bool(_BF16_FLAGS & set(line.partition(":")[2].split()))
    return False


def resolve_precision(requested: str, supported: bool, gpu: bool = False) -> str:
    """ "fp32", "bf16" or (on a GPU) "fp16" for a requested setting and what the device
    supports; "auto" is bf16 where the CPU computes it natively, fp16 on a GPU."""
    requested = (requested or "auto").strip().lower()
    if requested not in PRECISIONS:
        raise ConfigError(f"QA_PRECISION={requested!r} must be one of {', '.join(PRECISIONS)}")
    if gpu:
        return "fp16" if requested == "auto" else requested
    if requested in ("fp32", "fp16") or not supported:
        if requested in ("bf16", "fp16"):
            _warn_once()
        return "fp32"
    return "bf16"


def precision_setting(device: str = "cpu", requested: str = "auto") -> str:
    """The precision to use now on `device`: `requested` (`QA_PRECISION`) resolved against it."""
    gpu = device.startswith("cuda")
    return resolve_precision(requested, gpu or cpu_supports_bf16(), gpu)


@functools.cache
def _warn_once() -> None:
    log.warning("QA_PRECISION asks for 16-bit floats this CPU does not compute natively; using fp32")
