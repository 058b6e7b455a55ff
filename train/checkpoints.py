"""Checkpoints and the training log of both stages: checkpoints written atomically (a kill
never leaves half of one), evaluation records appended to the log, and the log read back
for the model card."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_record(log: Any, record: dict[str, Any]) -> None:
    """One evaluation record into the training log and onto the screen."""
    log.write(json.dumps(record) + "\n")
    log.flush()
    print(json.dumps(record), flush=True)


def save_atomically(state: dict[str, Any], path: Path) -> None:
    """`torch.save` to a temporary file, then a rename: a kill never leaves half a checkpoint."""
    import torch

    torch.save(state, path.with_suffix(".tmp"))
    os.replace(path.with_suffix(".tmp"), path)


def read_log(path: Path) -> list[dict[str, Any]]:
    """The records of a training log, oldest first."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def training_seconds(log: list[dict[str, Any]]) -> float:
    """Seconds of training in a log: each resumed run logs seconds from its own start, so
    the last record of each run is added up."""
    return sum(
        a["seconds"]
        for a, b in zip(log, [*log[1:], {"seconds": 0}], strict=True)
        if b["seconds"] < a["seconds"]
    )
