"""Fault injection for crash tests and `bench/faults.py`: the moment of a crash made to happen.

`QA_FAILPOINT=NAME:N` makes this process kill itself with SIGKILL the Nth time it passes the
point called NAME (N defaults to 1), so a test kills a run exactly after its first commit, or
between the vector file and the manifest, instead of sleeping and hoping. Unset, a point
costs one dictionary look-up. Points: `after-commit` (a docstore transaction of an indexing
run is committed and applied), `after-vectors` (the vector file is replaced, the manifest not
yet), `after-rebuild-commit` (a rebuild committed a batch into its fresh index), `after-checkpoint`
(a training stage saved its checkpoint).
"""

from __future__ import annotations

import os
import signal

_passes: dict[str, int] = {}


def reached(name: str) -> None:
    """Pass the point `name`; SIGKILL this process when QA_FAILPOINT says so."""
    # Read here, not in `Settings`: fault injection for tests and benches, no tunable of the product.
    wanted = os.environ.get("QA_FAILPOINT", "")
    if not wanted:
        return
    point, _, count = wanted.partition(":")
    if point != name:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
