"""How every benchmark reports: aligned lines for people, or one JSON object as the last line."""

from __future__ import annotations

import json
from typing import Any


def print_result(result: dict[str, Any], as_json: bool) -> None:
    """Print `result` as `key value` lines, or (with `as_json`) as one JSON line."""
    if as_json:
        print(json.dumps(result))
        return
    width = max(len(key) for key in result) + 2
    for key, value in result.items():
        print(f"{key:{width}s}{value}")
