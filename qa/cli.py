"""The `qa` command line: parse, call the library, print. Heavy imports wait for the command."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from qa.errors import QAError
from qa.progress_bar import progress_bar as _progress_bar

EXIT_SKIPPED = 3  # indexing finished but some inputs were skipped

index_dir_option = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (default: $QA_INDEX_DIR or ./index).",
)


def _answerers_help() -> str:
    """`--model`'s help, from the answerer registry."""
    from qa.answering.registry import LEGACY_OFFLINE_NAME, OFFLINE_PREFERENCE, registered_answerers

    names = [entry.name for entry in registered_answerers() if not entry.model_ids]
    named = ", ".join(
        f"{n} (the offline one: {OFFLINE_PREFERENCE[0]} where installed)" if n == LEGACY_OFFLINE_NAME else n
        for n in names
    )
    return f"An answerer: {named}, or a litellm model id (default: $QA_MODEL, else the offline one)."


model_option = click.option("--model", default=None, help=_answerers_help())


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QAError as error:
            click.secho(f"error: {error}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="article-qa")
def main() -> None:
    """Ask questions about a collection of articles; answers cite their sentences."""


@main.command("index")
# not checked by click: an unreadable or missing path is skipped with its reason, like any bad file
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@index_dir_option
@click.option(
    "--max-file-mb",
    type=float,
    default=None,
    help="Skip files larger than this (default 50, $QA_MAX_FILE_MB).",
)
@click.option(
    "--rebuild", is_flag=True, help="Build a fresh index (e.g. for another embedding model), then swap it in."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--ray",
    "ray_address",
    default=None,
    metavar="ADDRESS",
    help="Run the pipeline as a Ray Data job on this cluster (host:port, or 'local' to start one here).",
)
@click.option(
    "--actors",
    type=click.IntRange(1),
    default=None,
    help="Embedding actors with --ray (default: one per GPU).",
)
def index_command(
    paths: tuple[Path, ...],
    index_dir: Path | None,
    max_file_mb: float | None,
    rebuild: bool,
    quiet: bool,
    ray_address: str | None,
    actors: int | None,
) -> None:
    """Add articles (.txt .md .html .json .jsonl, folders recursively) to the index.

    Unchanged articles are skipped at no cost, changed ones replaced. Exit status 3 means
    the index was updated but some inputs were skipped (the reasons are printed).
    """
    from qa.index import Index, Stages, rebuild_index

    if rebuild and ray_address:
        raise click.UsageError("--rebuild runs on this machine: use it without --ray")
    with _progress_bar(quiet, "file", "reading") as reading, _progress_bar(quiet) as embedding:
        progress = Stages(reading, embedding)
        if rebuild:
            report = rebuild_index(index_dir, list(paths), progress=progress, max_file_mb=max_file_mb)
        elif ray_address:
            from qa.distributed import add_with_ray

            with Index.open(index_dir) as index:
                report = add_with_ray(index, paths, ray_address, embedding, max_file_mb, actors)
        else:
            with Index.open(index_dir) as index:
                report = index.add(paths, progress=progress, max_file_mb=max_file_mb)
    *skipped_lines, summary = report.lines()  # names quoted where they could forge a line
    for line in skipped_lines:
        click.secho(line, fg="yellow", err=True)
    click.echo(summary)
    _prepare_query_path(quiet)
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _prepare_query_path(quiet: bool) -> None:
    """Export the ONNX graphs questions run on, once, while torch is loaded anyway."""
    from qa.answering.reader import Reader
    from qa.answering.reader_onnx import prepare_query_path
    from qa.config import Settings
    from qa.ingest.embedding import resolve_model_path

    settings = Settings.from_env()
    reader = Reader.load(settings.models, settings.cache_dir)
    try:
        folder = reader.folder if reader is not None else None
        judge = reader is not None and reader.judge is not None  # QA_JUDGE on, and one that fits
        made = prepare_query_path(resolve_model_path(settings.embed_model), folder, settings.cache_dir, judge)
    except Exception as error:  # the query path falls back to torch; indexing succeeded
        click.secho(f"note: the fast query path could not be prepared ({error})", fg="yellow", err=True)
        return
    if made and not quiet:
        click.echo(f"prepared the fast query path ({len(made)} ONNX graph(s) in {made[0].parent})", err=True)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise click.BadParameter(f"{value!r} is not a date like 2023-06-24 (or 2023-06, 2023)")
    return value


@main.command("ask")
@click.argument("question")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@model_option
@click.option("--k", type=click.IntRange(1, 50), default=None, help="Passages to retrieve (default 6).")
@click.option("--source", "sources", multiple=True, help="Only articles from this source (repeatable).")
@click.option(
    "--since",
    default=None,
    callback=_iso_date,
    help="Only articles published on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--until",
    default=None,
    callback=_iso_date,
    help="Only articles published on or before this date (YYYY-MM-DD).",
)
@click.option("--article", "article_ids", multiple=True, help="Only this article id (repeatable).")
def ask_command(
    question: str,
    index_dir: Path | None,
    as_json: bool,
    model: str | None,
    k: int | None,
    sources: tuple[str, ...],
    since: str | None,
    until: str | None,
    article_ids: tuple[str, ...],
) -> None:
    """Answer QUESTION from the indexed articles, with numbered sources."""
    from qa.config import question_problem
    from qa.pipeline import QA
    from qa.types import Filters

    problem = question_problem(question)
    if problem is not None:  # refused as the API and the chat refuse it, before loading anything
        raise QAError(problem)
    qa = QA.open(index_dir)
    filters = Filters(sources, since, until, article_ids)
    answering = qa.stream(question, model=model, k=k, filters=filters)
    streamed = False
    for event in answering:
        if event.kind == "delta" and not as_json and sys.stdout.isatty():
            click.echo(event.text, nl=False)
            streamed = True
        elif event.kind == "restart" and streamed:
            click.echo("\n[retrying]")
    final = answering.finish()
    if as_json:
        click.echo(json.dumps(final.to_dict(), ensure_ascii=False, indent=2))
        return
    if streamed:
        click.echo("\r\033[K", nl=False)
    click.echo(format_answer(final))


def format_answer(answer: Any) -> str:
    """The answer, any notice, then its numbered sources with the quoted sentences."""
    lines = []
    if answer.notice:
        lines.append(f"Note: {answer.notice}")
    lines.append(answer.text)
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            meta = ", ".join(p for p in (c.source, c.published) if p)
            lines.append(
                f"[{c.number}] {c.title}" + (f" ({meta})" if meta else "") + (f" {c.url}" if c.url else "")
            )
            if c.also_reported_by:
                lines.append(f"    also reported by: {', '.join(c.also_reported_by)}")
            lines.append(f'    "{c.quote}"' + ("" if c.supported else "  (not supported by this passage)"))
    elif answer.abstained and answer.hits:
        lines.append("")
        lines.append("Closest passages:")
        for hit in answer.hits[:3]:
            lines.append(f"- {hit.article.title}: {hit.chunk.text[:160]}…")
    return "\n".join(lines)


@main.command("info")
@index_dir_option
@click.option("--json", "as_json", is_flag=True)
@click.option("--articles", "list_articles", is_flag=True, help="Also list the articles with their ids.")
def info_command(index_dir: Path | None, as_json: bool, list_articles: bool) -> None:
    """Articles, chunks, embedding model and size on disk of the index, and the settings in
    effect (`QA_*` variables and their defaults)."""
    from dataclasses import replace

    from qa.config import Settings
    from qa.index import Index

    settings = Settings.from_env()
    if index_dir is not None:
        settings = replace(settings, index_dir=str(index_dir))
    with Index.open(index_dir, settings, create=False) as index:
        info = index.info() | {"settings": settings.effective()}
        articles = index.articles() if list_articles else []
    if as_json:
        info["articles_list"] = [{"id": a.id, "title": a.title} for a in articles] if list_articles else None
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"index:    {info['path']}")
    click.echo(f"articles: {info['articles']}")
    click.echo(f"chunks:   {info['chunks']}")
    recall = f", recall@10 {info['recall@10']}" if info.get("recall@10") is not None else ""
    click.echo(f"model:    {info['model']} ({info['dim']} dimensions, {info['vectors']} vectors{recall})")
    if info["precisions"]:
        click.echo(f"embedded: {', '.join(info['precisions'])}")
    click.echo(f"size:     {info['size_bytes'] / 2**20:.1f} MB")
    if info["syndicated"]["stories"]:
        told = info["syndicated"]
        click.echo(
            f"copies:   {told['stories']} stories told by {told['articles']} articles (each read once)"
        )
    click.echo("settings:")
    for name, value in info["settings"].items():
        click.echo(f"  {name} = {value}")
    for article in articles:
        click.echo(f"  {article.id}  {article.title}")


@main.command("remove")
@click.argument("article_ids", nargs=-1, required=True)
@index_dir_option
def remove_command(article_ids: tuple[str, ...], index_dir: Path | None) -> None:
    """Remove articles (by id, see `qa info --articles`) from the index."""
    from qa.index import Index

    missing = []
    with Index.open(index_dir, create=False) as index:
        for article_id in article_ids:
            if index.remove(article_id):
                click.echo(f"removed {article_id}")
            else:
                missing.append(article_id)
    for article_id in missing:
        click.secho(f"error: no article with id {article_id!r} in the index", fg="red", err=True)
    if missing:
        sys.exit(1)


@main.command("eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--articles",
    type=click.Path(exists=True, path_type=Path),
    multiple=True,
    help="Articles to evaluate against (anything `qa index` reads; repeatable); indexed into a cached index.",
)
@index_dir_option
@model_option
@click.option(
    "--limit", type=click.IntRange(1), default=None, help="Evaluate this many questions, drawn at random."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the draw.")
@click.option(
    "--unanswerable",
    type=click.IntRange(0),
    default=0,
    help="Make N questions unanswerable by leaving their evidence articles out (needs --articles).",
)
@click.option(
    "--k", type=click.IntRange(1, 50), default=None, help="Passages to retrieve for answers (default 6)."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the metrics as one JSON object on the last line."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write report.md, results.jsonl and charts here.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def eval_command(
    questions: Path,
    articles: tuple[Path, ...],
    index_dir: Path | None,
    model: str | None,
    limit: int | None,
    seed: int,
    unanswerable: int,
    k: int | None,
    as_json: bool,
    out: Path | None,
    quiet: bool,
) -> None:
    """Score retrieval, answers, citations, abstention and latency on QUESTIONS (JSONL).

    A file of conversations (lines with "turns") is asked turn by turn with the history a
    chat passes, and scored per turn (see eval/README.md)."""
    from qa.config import Settings
    from qa.eval.evaluation import open_index, run_eval
    from qa.eval.questions import is_conversation_file

    with _progress_bar(quiet, unit="question", desc="evaluating") as progress:
        chosen = articles[0] if len(articles) == 1 else (list(articles) or None)
        if is_conversation_file(questions):  # scored turn by turn, with the history a chat passes
            from qa.eval.conversations import run_conversations

            settings = Settings.from_env()
            index, _ = open_index(chosen, index_dir, settings)
            run = run_conversations(questions, index, model, k, settings, progress)
        else:
            run = run_eval(
                questions, chosen, index_dir, model, limit, seed, unanswerable, k, progress=progress
            )
    if out is not None:
        from qa.eval.report import write_report

        click.echo(f"report: {write_report(run, out)}", err=as_json)
    if not as_json:
        click.echo(format_metrics(run.metrics, run.setup))
    else:
        click.echo(run.to_json())


def format_metrics(metrics: dict[str, Any], setup: dict[str, Any]) -> str:
    """The metrics as aligned text lines, with the suggested abstention threshold."""
    lines = [f"questions: {metrics['n']} ({setup['unanswerable']} unanswerable), answerer: {setup['model']}"]
    for group, values in metrics.items():
        if isinstance(values, dict):
            cells = "  ".join(f"{name} {'–' if v is None else v}" for name, v in values.items())
            lines.append(f"{group:17s} {cells}")
    if setup.get("suggested_threshold"):
        threshold, refused_u, refused_a = setup["suggested_threshold"]
        lines.append(
            f"abstention threshold that separates best here: {threshold} "
            f"(refuses {refused_u:.0%} unanswerable, {refused_a:.0%} answerable; now {setup['abstain_below']})"
        )
    return "\n".join(lines)


@main.command("serve")
@index_dir_option
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1, $QA_HOST).")
@click.option("--port", type=int, default=None, help="Port (default 7860, $QA_PORT).")
@click.option(
    "--auth",
    default=None,
    metavar="USER:PASSWORD",
    help="Login required by the chat and the API. Other users of this machine see it in `ps`: "
    "prefer --auth-file or $QA_AUTH.",
)
@click.option(
    "--auth-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file holding user:password on its first line ($QA_AUTH_FILE); keep it private.",
)
@click.option(
    "--open/--no-open", "open_browser", default=None, help="Open a browser tab (default: $QA_OPEN_BROWSER)."
)
@click.option(
    "--ray",
    "ray_address",
    default=None,
    metavar="ADDRESS",
    help="Serve as Ray Serve applications on this cluster ('local' starts one here).",
)
@click.option(
    "--replicas", type=click.IntRange(1), default=2, show_default=True, help="API replicas with --ray."
)
def serve_command(
    index_dir: Path | None,
    host: str | None,
    port: int | None,
    auth: str | None,
    auth_file: Path | None,
    open_browser: bool | None,
    ray_address: str | None,
    replicas: int,
) -> None:
    """Start the web chat and the OpenAI-compatible API (http://127.0.0.1:7860, /v1, /docs).

    API keys come from QA_API_KEYS (comma-separated) or QA_API_KEYS_FILE (one a line). The
    login (user:password) comes from --auth-file, $QA_AUTH, $QA_AUTH_FILE or --auth, which
    shows the password in `ps`. Without keys or a login the server listens on 127.0.0.1 only.
    """
    if auth is not None and auth_file is not None:
        raise click.UsageError("give --auth or --auth-file, not both")
    _server_logging()  # before the imports below: FAISS logs while it is imported
    from ui.access import read_auth_file
    from ui.app import serve

    if auth_file is not None:
        auth = read_auth_file(auth_file)
    if ray_address:
        import os

        from ui.replicas import serve_on_ray

        if auth:
            os.environ["QA_AUTH"] = auth  # forwarded to every replica
        serve_on_ray(index_dir, ray_address, replicas, host, port)
        return
    serve(index_dir=index_dir, host=host, port=port, auth=auth, open_browser=open_browser)


# Libraries whose INFO is noise to a person running the server: FAISS names every optional
# back end it could not load (`ModuleNotFoundError` lines that read like failures), and
# sentence-transformers draws "Batches" progress bars while uploads are embedded whenever
# its logger is at INFO. The server's own INFO is: ready, failed requests, uploads done.
QUIET_LOGGERS = ("faiss", "sentence_transformers", "transformers", "httpx", "uvicorn.access", "gradio")


def _server_logging() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


if __name__ == "__main__":
    main()
