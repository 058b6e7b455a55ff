"""Writing an evaluation run to a folder: report.md, results.jsonl and PNG charts."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from qa.eval.scoring import EvalRun

METRICS_PNG = "metrics.png"
SCORES_PNG = "abstention.png"


def write_report(run: EvalRun, out: str | Path) -> Path:
    """Write `report.md`, `results.jsonl`, `metrics.json` and the charts into `out`."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "results.jsonl").open("w", encoding="utf-8") as handle:
        for result in run.results:
            handle.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    (folder / "metrics.json").write_text(
        json.dumps({"metrics": run.metrics, "setup": run.setup}, indent=2) + "\n"
    )
    plot_metrics(run.metrics, folder / METRICS_PNG)
    plot_scores(run, folder / SCORES_PNG)
    (folder / "report.md").write_text(render_markdown(run), encoding="utf-8")
    return folder / "report.md"


def render_markdown(run: EvalRun) -> str:
    """The run as a short Markdown report with tables, charts and the worst misses."""
    m, s = run.metrics, run.setup
    lines = [
        "# article-qa evaluation",
        "",
        f"- questions: `{s['questions']}` ({m['n']} asked, {s['unanswerable']} unanswerable; seed {s['seed']}, limit {s['limit']})",
        f"- articles: `{s['articles'] or s['index']}`"
        + (f", left out: {', '.join(s['excluded_articles'])}" if s["excluded_articles"] else ""),
        f"- answerer: `{s['model']}`, top-k {s['k']}, abstain below {s['abstain_below']}",
        "",
        "| group | metric | value |",
        "| --- | --- | --- |",
    ]
    for group, values in m.items():
        if isinstance(values, dict):
            for name, value in values.items():
                lines.append(f"| {group} | {name} | {_fmt(value)} |")
    lines += ["", f"![metrics]({METRICS_PNG})", "", "## Abstention", ""]
    suggested = s.get("suggested_threshold")
    if suggested:
        threshold, refused_u, refused_a = suggested
        lines.append(
            f"Best separating threshold on this run: **{threshold}** (refuses {refused_u:.0%} of unanswerable "
            f"and {refused_a:.0%} of answerable questions). Set it with `QA_ABSTAIN_BELOW={threshold}`."
        )
    else:
        lines.append("No unanswerable questions in this run; use `--unanswerable N` to measure abstention.")
    lines += [
        "",
        f"![answer scores]({SCORES_PNG})",
        "",
        "## Misses (answerable, gold answer not in the answer)",
        "",
    ]
    misses = [r for r in run.results if r.answerable and r.contains == 0.0][:25]
    for r in misses:
        lines.append(f"- **{r.question}** gold: {', '.join(r.answers[:3])} | got: {r.answer[:200]}")
    if not misses:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def plot_metrics(metrics: dict[str, Any], path: Path) -> None:
    """A horizontal bar chart of every metric in [0, 1]."""
    plt = _pyplot()
    labels, values = [], []
    for group, group_values in metrics.items():
        if isinstance(group_values, dict) and group != "latency_ms":
            for name, value in group_values.items():
                # shares only: no counts, times or ratios of times
                if isinstance(value, float) and not name.endswith(("_ms", "_p95")):
                    labels.append(f"{group} {name}")
                    values.append(value)
    figure, axes = plt.subplots(figsize=(8, 0.32 * len(labels) + 1))
    axes.barh(labels[::-1], values[::-1], color="#3b6ea5")
    axes.set_xlim(0, 1)
    for y, value in enumerate(values[::-1]):
        axes.text(min(value + 0.01, 0.93), y, f"{value:.3f}", va="center", fontsize=8)
    axes.set_title(f"article-qa evaluation (n={metrics['n']})")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_scores(run: EvalRun, path: Path) -> None:
    """Histogram of the answer confidence for answerable against unanswerable questions,
    with the abstention threshold: what the threshold is calibrated on."""
    plt = _pyplot()
    answerable = [r.score for r in run.results if r.answerable]
    unanswerable = [r.score for r in run.results if not r.answerable]
    figure, axes = plt.subplots(figsize=(7, 3.5))
    bins = [i / 20 for i in range(0, 41)]
    axes.hist(answerable, bins=bins, alpha=0.6, label=f"answerable ({len(answerable)})", color="#3b6ea5")
    if unanswerable:
        axes.hist(
            unanswerable, bins=bins, alpha=0.6, label=f"unanswerable ({len(unanswerable)})", color="#c0504d"
        )
    axes.axvline(run.setup["abstain_below"], color="black", linestyle="--", label="abstain below")
    axes.set_xlabel("answer confidence (similarity + term overlap of the best sentence)")
    axes.set_ylabel("questions")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _fmt(value: Any) -> str:
    return "–" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
