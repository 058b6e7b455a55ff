"""Distributed ingestion benchmark (run by hand): index the SQuAD dev articles as a Ray Data
job with 1 and 2 embedding actors on a local cluster, beside the local path, reporting
chunks/s and the share of the wall time the driver spent writing (commits).

    python bench/distributed.py [--articles PATH] [--actors 1,2] [--json]

On a machine with GPUs (e.g. one lent by `device`), the actors take one GPU each and the
figure is chunks/s per GPU.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = ROOT.parent / "shared" / "evaldata" / "squad-dev" / "articles.jsonl"


def timed_add(folder: Path, articles: Path, actors: int | None) -> dict[str, Any]:
    """Index `articles` (with Ray when `actors`), timing the writer's commits."""
    from qa.index import Index

    with Index.open(folder) as index:
        original = index._writer._commit
        spent = [0.0]

        def commit(*args: Any, **kwargs: Any) -> None:
            tick = time.perf_counter()
            original(*args, **kwargs)
            spent[0] += time.perf_counter() - tick

        index._writer._commit = commit  # type: ignore[method-assign]
        started = time.perf_counter()
        if actors:
            from qa.distributed import add_with_ray

            report = add_with_ray(index, [articles], "local", actors=actors)
        else:
            index.embedder.warm_up(passages=True)
            started = time.perf_counter()
            report = index.add([articles])
        wall = time.perf_counter() - started
    return {
        "chunks": report.chunks,
        "wall_s": round(wall, 1),
        "chunks_per_s": round(report.chunks / wall, 1),
        "driver_write_share": round(spent[0] / wall, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--actors", default="1,2")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from qa.distributed import connect

    ray = connect("local")
    result: dict[str, Any] = {
        "cluster": {k: v for k, v in ray.cluster_resources().items() if k in ("CPU", "GPU")},
    }
    with tempfile.TemporaryDirectory() as scratch:
        result["local_path"] = timed_add(Path(scratch) / "local", args.articles, None)
        for actors in (int(a) for a in args.actors.split(",")):
            result[f"ray_{actors}_actors"] = timed_add(Path(scratch) / f"ray-{actors}", args.articles, actors)
    print_result(result, args.json)


if __name__ == "__main__":
    main()
