"""The command line's progress bars (tqdm, imported when the first bar is drawn)."""

from __future__ import annotations

import sys
from typing import Any


class ProgressBar:
    """One stage's progress bar on stderr: drawn when the stage starts, with its total
    (and so its ETA) when one is known, closed when the stage is done, so each stage
    leaves one line. Where stderr is no terminal it is redrawn every 10 s only."""

    def __init__(self, quiet: bool, unit: str, desc: str) -> None:
        self.quiet = quiet
        self.unit = unit
        self.desc = desc
        self.bar: Any = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def __call__(self, done: int, total: int | None) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total,
                unit=self.unit,
                desc=self.desc,
                file=sys.stderr,
                dynamic_ncols=True,
                mininterval=0.1 if sys.stderr.isatty() else 10.0,
            )
        if total is not None and self.bar.total != total:
            self.bar.total = total
            self.bar.refresh()
        self.bar.update(done - self.bar.n)
        if total is not None and done >= total:  # the stage is over: its line stays as it ends
            self.bar.close()
            self.bar = None


def progress_bar(quiet: bool, unit: str = "chunk", desc: str = "embedding") -> ProgressBar:
    """A `ProgressBar` of `desc`, counting `unit`s; silent when `quiet`."""
    return ProgressBar(quiet, unit, desc)
