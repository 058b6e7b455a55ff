"""Serving on a Ray cluster (`qa serve --ray ADDRESS --replicas N`), as three Ray Serve
applications over one index folder, which every replica opens at the same path (SQLite WAL
and the index's file locks need a local disk: serve from a cluster on the index's host,
see docs/scaling.md):

- `article-qa-api` at `/v1`: the HTTP API, N replicas. Each opens the index read-only and
  follows new generations as any reader does (the docstore's change log, a rebuild's swap).
- `article-qa-chat` at `/`: the web chat, one replica (a Gradio session must stay on the
  process that holds its queue).
- `article-qa-writer`: the one writer. Uploads and removals from every replica go to it,
  so the index keeps a single writer, as it does with `qa index`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.errors import ConfigError

WRITER_APP = "article-qa-writer"
API_APP = "article-qa-api"
CHAT_APP = "article-qa-chat"
REPLICA_CPUS = 0.25  # replicas mostly wait; the models are small


def _deployments() -> tuple[Any, Any, Any]:
    from ray import serve

    from ui.writer import LocalWriter, RemoteWriter

    @serve.deployment(name="IndexWriter", num_replicas=1, ray_actor_options={"num_cpus": REPLICA_CPUS})
    class IndexWriter:
        """The one writer: uploads, JSON articles and removals from every replica."""

        def __init__(self, index_dir: str) -> None:
            from qa.index import Index

            settings = Settings.from_env()
            index = Index.open(index_dir, settings)
            index.embedder.warm_up(passages=True)  # the first upload should not wait for the model
            self.writer = LocalWriter(index, settings)

        def add_files(self, files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
            return [r.to_dict() for r in self.writer.add_files(files)]

        def add_records(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return self.writer.add_records(records)

        def remove(self, article_id: str) -> str | None:
            return self.writer.remove(article_id)

    def replica(chat: bool, api_prefix: str | None, doc: str) -> type:
        @serve.ingress()
        class Replica:
            __doc__ = doc

            def __init__(self, index_dir: str) -> None:
                self.index_dir = index_dir

            def __serve_build_asgi_app__(self) -> Any:
                from ui.app import create_app

                writer = RemoteWriter(serve.get_deployment_handle("IndexWriter", app_name=WRITER_APP))
                return create_app(self.index_dir, writer=writer, chat=chat, api_prefix=api_prefix)

        return Replica

    ApiReplica = replica(False, "", "The HTTP API (mounted at /v1 by Ray Serve: its routes have no prefix).")
    ChatReplica = replica(True, None, "The web chat; its uploads and removals go to the writer too.")
    return IndexWriter, ApiReplica, ChatReplica


def deploy(
    index_dir: str | Path | None,
    address: str,
    replicas: int,
    host: str = "127.0.0.1",
    port: int = 7860,
) -> str:
    """Deploy the three applications on the cluster at `address` ("local" starts one);
    returns the base URL. The index must exist (build it with `qa index`)."""
    from ray import serve

    from qa.distributed import connect, settings_environment

    root = Path(index_dir) if index_dir is not None else Settings.from_env().index_path()
    if not (root / "docstore.sqlite").exists():
        raise ConfigError(f"no index at {root}: build one with `qa index PATH --index-dir {root}` first")
    if replicas < 1:
        raise ConfigError("--replicas must be at least 1")
    connect(address, env=settings_environment())
    serve.start(http_options={"host": host, "port": port})
    writer, api, chat = _deployments()
    resources = {"num_cpus": REPLICA_CPUS}
    serve.run(writer.bind(str(root.resolve())), name=WRITER_APP, route_prefix=None)
    serve.run(
        serve.deployment(name="ApiReplica", num_replicas=replicas, ray_actor_options=resources)(api).bind(
            str(root.resolve())
        ),
        name=API_APP,
        route_prefix="/v1",
    )
    serve.run(
        serve.deployment(name="ChatReplica", num_replicas=1, ray_actor_options=resources)(chat).bind(
            str(root.resolve())
        ),
        name=CHAT_APP,
        route_prefix="/",
    )
    return f"http://{host}:{port}/"


def serve_on_ray(
    index_dir: str | Path | None, address: str, replicas: int, host: str | None, port: int | None
) -> None:
    """`qa serve --ray`: deploy, say where, and keep serving until interrupted."""
    from ray import serve

    from ui.access import Access, guarded_host

    settings = Settings.from_env()
    host = guarded_host(host or settings.host, Access.from_settings(settings.server))
    url = deploy(index_dir, address, replicas, host, port or settings.port)
    print(f"ready: chat {url}  API {url}v1 ({replicas} replica(s))  docs {url}v1/docs", file=sys.stderr)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        serve.shutdown()
