"""Query worker processes: each holds the store open read-only and answers one job at
a time; a job that runs past its time limit is stopped by killing its worker.

pyoxigraph evaluates ORDER BY / GROUP BY inside ``query()`` and offers no cancellation,
so a thread could not be stopped; a process can. Every job is first checked by
``regiongraph.query.safety`` (a real SPARQL parser: updates and SERVICE refused, deep
nesting refused before pyoxigraph's own parser could overflow its stack), then its
answer format is negotiated (406 before any work), then it runs.

Fairness: the pool has *main* workers that run any query up to the full time limit and
a *lane* of workers kept for when every main worker is busy; a query that gets a lane
worker must finish within the lane's short limit. Two heavy queries therefore hold at
most the main workers, while cheap queries keep answering through the lane.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from regiongraph.graph.store import open_read_only
from regiongraph.publish import results as fmt_results
from regiongraph.publish.negotiation import CANONICAL, negotiate
from regiongraph.query.safety import CheckedQuery, QueryRefused, check_query

OFFERS = {
    "select": ["json", "xml", "csv", "tsv"],
    "ask": ["json", "xml"],
    "graph": ["turtle", "ntriples", "jsonld", "rdfxml"],
}
UNACCEPTABLE = {
    "select": "SELECT results come as JSON, XML, CSV or TSV",
    "ask": "ASK results come as JSON or XML (CSV and TSV define no boolean)",
    "graph": "graphs come as Turtle, N-Triples, JSON-LD or RDF/XML",
}


def _dataset(job: dict) -> dict:
    """The RDF dataset the protocol parameters name (SPARQL 1.1 Query §13.2): when
    either list is given, the other is empty, not the whole store."""
    default, named = job.get("default_graph") or [], job.get("named_graphs") or []
    if not default and not named:
        return {}
    return {
        "default_graph": [ox.NamedNode(g) for g in default],
        "named_graphs": [ox.NamedNode(g) for g in named],
    }


def _take(items, limit: int) -> tuple[list, bool]:
    taken = []
    for item in items:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def _answer(results, kind: str, fmt: str, limit: int) -> dict:
    if kind == "ask":
        body, count, truncated = fmt_results.boolean(bool(results), fmt), 1, False
    elif kind == "select":
        variables = [v.value for v in results.variables]
        rows, truncated = _take(([s[v] for v in variables] for s in results), limit)
        count = len(rows)
        if fmt == "json":
            body = fmt_results.select_json(variables, rows, truncated, limit)
        elif fmt == "xml":
            body = fmt_results.select_xml(variables, rows)
        else:
            body = fmt_results.select_csv(variables, rows, fmt == "tsv")
    else:
        triples, truncated = _take(results, limit)
        body, count = fmt_results.graph(triples, fmt), len(triples)
    return {
        "status": 200,
        "type": CANONICAL[fmt],
        "body": body,
        "truncated": truncated,
        "count": count,
    }


@functools.lru_cache(maxsize=128)
def _checked_cached(text: str) -> CheckedQuery:
    return check_query(text)


def checked(text: str) -> CheckedQuery:
    """check_query, remembered for short texts: rdflib's parser takes 0.03-0.5 s on a
    library query, and the query page sends the same examples again and again."""
    return _checked_cached(text) if len(text) <= 20_000 else check_query(text)


def evaluate(store: ox.Store, job: dict) -> dict:
    """Check, negotiate, run and serialise one query job (in the worker process)."""
    try:
        checked_query = checked(job["query"])
    except QueryRefused as exc:
        return {"status": exc.status, "message": exc.message}
    kind = {"SELECT": "select", "ASK": "ask"}.get(checked_query.form, "graph")
    fmt = negotiate(job.get("accept"), OFFERS[kind], job.get("formats") or ())
    if fmt is None:
        return {"status": 406, "message": UNACCEPTABLE[kind]}
    try:
        found = store.query(checked_query.text, base_iri=job.get("base_iri"), **_dataset(job))
        return _answer(found, kind, fmt, job["max_rows"])
    except SyntaxError as exc:
        return {"status": 400, "message": f"malformed query: {exc}"}
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return {"status": 500, "message": f"query failed: {exc}"}


READY = "ready"
STARTUP_S = 120.0  # a new worker imports rdflib and pyoxigraph and opens the store


def _worker_main(conn, store_path: str) -> None:
    store = open_read_only(Path(store_path))
    check_query("ASK { ?s ?p ?o }")  # builds the parser's grammar before the first job
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(evaluate(store, job))


class QueryTimeout(RuntimeError):
    pass


class PoolBusy(QueryTimeout):
    """Every query worker stayed busy for as long as the caller would wait."""


@dataclass
class Limits:
    timeout_s: float  # a query on a main worker
    wait_s: float  # longest wait for any free worker
    lane_s: float  # a query on a lane worker (every main worker busy)


@dataclass(eq=False)
class Worker:
    process: mp.process.BaseProcess
    conn: Connection
    ready: bool = False

    def wait_ready(self) -> None:
        if not self.ready:
            if not self.conn.poll(STARTUP_S) or self.conn.recv() != READY:
                raise OSError("the query worker did not start")
            self.ready = True


class QueryPool:
    """Main and lane worker processes with the store open read-only; a slow one is killed."""

    def __init__(self, store_path: Path, size: int = 2, lane: int = 1) -> None:
        self.store_path = str(store_path)
        self.context = mp.get_context("spawn")
        self.lock = threading.Lock()
        self.all: list[Worker] = []
        self.main: queue.Queue = queue.Queue()
        self.lane: queue.Queue = queue.Queue()
        for _ in range(max(1, size)):
            self.main.put(self._start())
        for _ in range(max(0, lane)):
            self.lane.put(self._start())
        for worker in list(self.all):
            worker.wait_ready()

    def _start(self) -> Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main, args=(child, self.store_path), daemon=True
        )
        process.start()
        child.close()
        worker = Worker(process, parent)
        with self.lock:
            self.all.append(worker)
        return worker

    def _discard(self, worker: Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        with self.lock:
            self.all.remove(worker)

    def _acquire(self, limits: Limits):
        """A free worker, its queue and its time limit: a main worker when one is free,
        else the first free lane worker, within ``limits.wait_s``."""
        deadline = time.monotonic() + limits.wait_s
        while True:
            for pool, limit in ((self.main, limits.timeout_s), (self.lane, limits.lane_s)):
                with contextlib.suppress(queue.Empty):
                    return pool.get_nowait(), pool, limit
            if time.monotonic() >= deadline:
                raise PoolBusy(
                    f"every query worker is busy; none became free within {limits.wait_s:g} s"
                )
            time.sleep(0.005)

    def run(self, job: dict, limits: Limits) -> dict:
        """The answer to ``job``; QueryTimeout when it runs past its worker's limit."""
        worker, pool, limit = self._acquire(limits)
        try:
            worker.wait_ready()  # a replacement may still be starting: not the query's time
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                self._discard(worker)
                worker = self._start()
                if pool is self.lane:
                    raise PoolBusy(
                        "every main query worker is busy with long queries and this one "
                        f"ran longer than the {limit:g} s allowed meanwhile; retry later"
                    )
                raise QueryTimeout(f"the query ran longer than the limit of {limit:g} s")
            return worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._discard(worker)
            worker = self._start()
            return {"status": 500, "message": f"query worker failed: {exc or 'it stopped'}"}
        finally:
            pool.put(worker)

    def close(self) -> None:
        with self.lock:
            workers = list(self.all)
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(2)
            worker.conn.close()
