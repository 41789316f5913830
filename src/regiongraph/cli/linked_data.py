"""Linked-data commands: ``serve`` (SPARQL endpoint and IRI pages), ``export`` (dumps
and their description) and ``publish`` (to any SPARQL 1.1 Graph Store Protocol store).

Results go to stdout, progress and errors to stderr.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from regiongraph.cli.common import Base, built_store_path, open_built_store
from regiongraph.paths import default_build_dir
from regiongraph.vocab import DEFAULT_BASE

out = Console()
err = Console(stderr=True)

_BUILD_DIR = default_build_dir()

BuildDir = Annotated[Path, typer.Option("--build-dir", help="Where the store is (build/store).")]
ContactDetails = Annotated[
    bool,
    typer.Option(
        "--include-contact-details",
        help="Keep people's e-mail addresses and phone numbers (left out by default).",
    ),
]


def serve(
    host: Annotated[str, typer.Option("--host", help="Loopback address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port (0: any free port).")] = 8000,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Per-query time limit in seconds.")
    ] = 10.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Result rows (or triples) per query at most.")
    ] = 10_000,
    workers: Annotated[int, typer.Option("--workers", help="Query worker processes.")] = 2,
    include_contact_details: ContactDetails = False,
    build_dir: BuildDir = _BUILD_DIR,
    base: Base = DEFAULT_BASE,
) -> None:
    """Serve a read-only SPARQL endpoint, the query page and the IRI pages.

    /sparql answers the SPARQL 1.1 Protocol (GET and POST; JSON, XML, CSV, TSV; graphs
    as Turtle, N-Triples, JSON-LD, RDF/XML); / is the query page; every IRI under /id/
    and /graph/ answers as HTML or RDF by content negotiation. Without
    --include-contact-details, queries run on a copy of the store without e-mail
    addresses and phone numbers (made at start).
    """
    from regiongraph.publish.server import ServerConfig, SparqlServer

    config = ServerConfig(
        store_path=built_store_path(build_dir),
        base=base,
        host=host,
        port=port,
        timeout_s=timeout,
        max_rows=max_rows,
        workers=workers,
        viz_dir=build_dir / "viz",
        include_contact_details=include_contact_details,
    )
    try:
        with err.status("starting the query workers"):
            server = SparqlServer(config)
    except (OSError, ValueError) as exc:
        err.print(f"[red]cannot start the server: {exc}[/red]")
        raise typer.Exit(code=2) from exc
    err.print(f"SPARQL endpoint  {server.url}/sparql")
    err.print(f"query page       {server.url}/")
    err.print(f"resources        {server.url}/id/…  (e.g. /id/region/se-vasterbotten)")
    err.print(f"limits           {timeout:g} s, {max_rows} rows per query; Ctrl-C stops")
    # uvicorn stops on Ctrl-C or SIGTERM and raises the signal again when done; as an
    # exception both reach the cleanup below (workers, the partner copy of the store).
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        server.server_close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the dumps.")] = (
        _BUILD_DIR / "export"
    ),
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="SPARQL endpoint to name in the VoID.")
    ] = None,
    dump_base: Annotated[
        str | None, typer.Option("--dump-base", help="URL the dump files will be served under.")
    ] = None,
    include_contact_details: ContactDetails = False,
    build_dir: BuildDir = _BUILD_DIR,
    base: Base = DEFAULT_BASE,
) -> None:
    """Write the dumps, the ontology and the VoID/DCAT description into --out.

    TriG/N-Quads of every named graph (with provenance), Turtle/N-Triples/JSON-LD of the
    de-duplicated graph, the ontology with HTML documentation, void.ttl.
    """
    from regiongraph.publish.dumps import export as run_export

    store = open_built_store(build_dir, base)
    with err.status("exporting") as status:
        result = run_export(
            store,
            out_dir,
            include_contact_details=include_contact_details,
            endpoint=endpoint,
            dump_base=dump_base,
            progress=lambda message: status.update(f"exporting: {message}"),
        )
    for path in result.files:
        out.print(str(path))
    note = "with" if include_contact_details else "without"
    err.print(f"{result.triples} triples, {result.quads} quads, {note} contact details")


def publish(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store, "
            "Fuseki: http://HOST:PORT/DATASET/data).",
        ),
    ],
    release: Annotated[
        list[str] | None,
        typer.Option("--release", help="Only this release's graph (repeatable)."),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="HTTP Basic user; password from REGIONGRAPH_PUBLISH_PASSWORD."),
    ] = None,
    include_contact_details: ContactDetails = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Delete release graphs the remote store has and the local one no longer "
            "has (needs --query-endpoint; other graphs are never touched).",
        ),
    ] = False,
    query_endpoint: Annotated[
        str | None,
        typer.Option(
            "--query-endpoint",
            help="The same store's SPARQL query URL (Oxigraph: http://HOST:PORT/query), "
            "to list its graphs for --prune.",
        ),
    ] = None,
    build_dir: BuildDir = _BUILD_DIR,
    base: Base = DEFAULT_BASE,
) -> None:
    """Load the graph into a store that speaks the SPARQL 1.1 Graph Store Protocol.

    One PUT per named graph (an atomic replace), then the default graph.
    """
    if prune and not query_endpoint:
        err.print("[red]--prune needs --query-endpoint (the store's SPARQL query URL)[/red]")
        raise typer.Exit(code=2)
    if prune and release:
        err.print("[red]--prune publishes every graph: it cannot be used with --release[/red]")
        raise typer.Exit(code=2)
    from regiongraph.publish.gsp import GraphStoreClient, PublishError
    from regiongraph.publish.gsp import publish as run_publish

    store = open_built_store(build_dir, base)
    client = GraphStoreClient(
        endpoint, user=user, password=os.environ.get("REGIONGRAPH_PUBLISH_PASSWORD")
    )
    try:
        with err.status("publishing") as status:
            result = run_publish(
                store,
                client,
                releases=release,
                include_contact_details=include_contact_details,
                progress=lambda message: status.update(f"publishing {message}"),
                prune_via=query_endpoint if prune else None,
            )
    except PublishError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=1) from exc
    # tab-separated lines on stdout for scripts (a rich console would expand the tabs)
    for graph, count in result.graphs.items():
        typer.echo(f"{count}\t{graph or '(default graph)'}")
    for graph in result.removed:
        typer.echo(f"removed\t{graph}")
    err.print(f"{len(result.graphs)} graphs published to {endpoint}")
    if prune:
        err.print(f"{len(result.removed)} stale release graphs removed")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("export")(export)
    app.command("publish")(publish)
