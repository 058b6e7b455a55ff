"""Where training runs: a GPU when there is one (`device`), else the CPU; bf16 autocast
where the hardware computes it natively."""

from __future__ import annotations

from typing import Any

from qa.ingest.precision import cpu_supports_bf16


def training_device() -> Any:
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast(device: Any) -> Any:
    """bf16 autocast on a GPU or a CPU that computes bf16 natively; fp32 elsewhere (an AMD
    EPYC without AVX512-BF16 runs emulated bf16 matrix products ~300x slower than fp32)."""
    import torch

    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=cpu_supports_bf16())
