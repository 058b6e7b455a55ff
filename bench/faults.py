"""Fault experiment (run by hand): SIGKILL `qa index`, `qa remove` and `qa index --rebuild`
at random moments, `qa index` at the moment its vector file is replaced but its manifest
not yet (the `after-vectors` failpoint), and `qa index --rebuild` after its Nth commit (the
`after-commit` failpoint) followed by a second rebuild that must resume; after each kill the
index must open, be consistent (as many vectors as chunks, none twice), and a rerun must
embed only what the killed run had not committed.

    python bench/faults.py [--kills 30] [--seed 0] [--operations index,resume] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from results import print_result  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 60


def write_articles(path: Path) -> None:
    rng = random.Random(7)
    words = [
        "river",
        "council",
        "bridge",
        "harbour",
        "election",
        "budget",
        "storm",
        "vaccine",
        "market",
        "court",
    ]
    with path.open("w") as out:
        for n in range(ARTICLES):
            text = " ".join(
                f"Report {n} line {i}: the {rng.choice(words)} and the {rng.choice(words)} met {rng.randint(1, 999)} times."
                for i in range(30)
            )
            out.write(json.dumps({"id": f"art-{n:03d}", "title": f"Story {n}", "text": text}) + "\n")


def qa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "qa", *args]


def committed(index_dir: Path) -> set[str]:
    db = index_dir / "docstore.sqlite"
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return {r[0] for r in con.execute("SELECT id FROM articles")}
    except sqlite3.Error:
        return set()


def committed_chunks(index_dir: Path) -> int:
    """Chunks a run committed into `index_dir`, those of a large article staged included."""
    db = index_dir / "docstore.sqlite"
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
        chunks = con.execute("SELECT count(*) FROM chunks").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        staged = (
            con.execute("SELECT count(*) FROM staged_chunks").fetchone()[0]
            if "staged_chunks" in tables
            else 0
        )
    return int(chunks) + int(staged)


def embedded(output: str) -> int:
    """The 'N chunks embedded' of a `qa index` summary (-1 when absent)."""
    words = output.split(" chunks embedded")[0].split() if " chunks embedded" in output else []
    return int(words[-1]) if words else -1


def resume_rebuild(source: Path, index_dir: Path, env: dict[str, str], rng: random.Random) -> dict[str, Any]:
    """Kill a rebuild after its Nth commit, then rebuild again: the second must resume,
    embedding only the chunks the first had not committed. Its problems (the fresh folder
    after the kill, the index after the resume) and its extra re-embedded chunks."""
    fresh = index_dir.with_name(index_dir.name + ".rebuild")
    command = qa_command("index", str(source), "--rebuild", "--index-dir", str(index_dir), "-q")
    commits = rng.randint(1, 2)
    ran, killed = kill_after(command, 600, {**env, "QA_FAILPOINT": f"after-commit:{commits}"})
    kept = committed_chunks(fresh)
    problems = check(fresh) if (fresh / "docstore.sqlite").exists() else []
    rerun = subprocess.run(command, env=env, capture_output=True, text=True)
    problems += [f"rerun exit {rerun.returncode}: {rerun.stderr[-300:]}"] if rerun.returncode else []
    problems += check(index_dir)
    total = committed_chunks(index_dir)
    again = embedded(rerun.stdout)
    return {
        "ran": ran,
        "killed": killed,
        "problems": problems,
        "extra": again - (total - kept),
        "line": f"after commit {commits}: {kept} of {total} chunks committed, the resumed rebuild embedded {again}",
    }


def kill_after(command: list[str], seconds: float, env: dict[str, str]) -> tuple[float, bool]:
    """Run `command`, SIGKILL it after `seconds` (if still running); how long it ran and
    whether it was killed (a run that ended first proves nothing)."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=seconds)
        killed = process.returncode == -signal.SIGKILL  # by its own failpoint
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed = True
    return time.monotonic() - started, killed


def check(index_dir: Path) -> list[str]:
    """Open the index as a writer would (finishing a half-done swap), and its problems."""
    from qa.index import Index

    with Index.open(index_dir) as index:
        return index.consistency_problems()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--operations",
        default="index,index,remove,rebuild,vectors,resume",
        help="the operations to draw from (comma-separated; repeat one to draw it more often)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    operations = args.operations.split(",")
    env = {**os.environ, "QA_COMMIT_SECONDS": "0.5", "HF_HUB_OFFLINE": "1"}
    figures: dict[str, Any] = {
        "runs": 0,
        "kills": 0,
        "inconsistent": 0,
        "reembedded_extra": 0,
        "by_operation": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "articles.jsonl"
        write_articles(source)
        index_dir = Path(folder) / "index"
        while figures["kills"] < args.kills and figures["runs"] < 4 * args.kills:
            operation = rng.choice(operations)
            before = committed(index_dir)
            if operation == "vectors" and before:  # killed between the vector file and the manifest
                victims = rng.sample(sorted(before), min(10, len(before)))
                subprocess.run(
                    qa_command("remove", *victims, "--index-dir", str(index_dir)),
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                before = committed(index_dir)
                ran, killed = kill_after(
                    qa_command("index", str(source), "--index-dir", str(index_dir), "-q"),
                    600,
                    {**env, "QA_FAILPOINT": "after-vectors:1"},
                )
            elif operation == "index":
                if len(before) > 10:  # give the run work to be killed in: half the articles to embed again
                    victims = rng.sample(sorted(before), len(before) // 2)
                    subprocess.run(
                        qa_command("remove", *victims, "--index-dir", str(index_dir)),
                        env=env,
                        check=True,
                        stdout=subprocess.DEVNULL,
                    )
                    before = committed(index_dir)
                ran, killed = kill_after(
                    qa_command("index", str(source), "--index-dir", str(index_dir), "-q"),
                    rng.uniform(1.5, 12),
                    env,
                )
            elif operation == "remove" and before:
                victims = rng.sample(sorted(before), min(5, len(before)))
                ran, killed = kill_after(
                    qa_command("remove", *victims, "--index-dir", str(index_dir)), rng.uniform(0.1, 0.5), env
                )
            elif operation == "resume" and before:
                resumed = resume_rebuild(source, index_dir, env, rng)
                ran, killed = resumed["ran"], resumed["killed"]
                figures["inconsistent"] += bool(resumed["problems"])
                figures["reembedded_extra"] += abs(resumed["extra"])
                print(
                    f"resume   {resumed['line']}; problems {resumed['problems'] or 'none'}", file=sys.stderr
                )
            else:
                operation = "rebuild"
                command = qa_command("index", str(source), "--rebuild", "--index-dir", str(index_dir), "-q")
                ran, killed = kill_after(command, rng.uniform(1, 14), env)
            problems = check(index_dir) if (index_dir / "docstore.sqlite").exists() else []
            kept = committed(index_dir)
            rerun = subprocess.run(
                qa_command("index", str(source), "--index-dir", str(index_dir)),
                env=env,
                capture_output=True,
                text=True,
            )
            added = int(rerun.stdout.split(" added")[0].split()[-1]) if " added" in rerun.stdout else -1
            updated = int(rerun.stdout.split(" updated")[0].split()[-1]) if " updated" in rerun.stdout else -1
            extra = added + updated - (ARTICLES - len(kept))
            stats = figures["by_operation"].setdefault(operation, {"runs": 0, "kills": 0, "seconds": []})
            stats["runs"] += 1
            stats["kills"] += killed
            stats["seconds"].append(round(ran, 1))
            figures["runs"] += 1
            figures["kills"] += killed
            figures["inconsistent"] += bool(problems)
            figures["reembedded_extra"] += max(extra, 0)
            print(
                f"{operation:8s} {'killed after' if killed else 'ended after '} {ran:5.1f} s: "
                f"{len(kept):2d} articles committed, "
                f"problems {problems or 'none'}; rerun embedded {added + updated} (missing {ARTICLES - len(kept)})",
                file=sys.stderr,
            )
    print_result(figures, args.json)


if __name__ == "__main__":
    main()
