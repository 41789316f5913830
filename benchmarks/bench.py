"""The scale benchmark (issue 6): build, query, validate and draw N synthetic releases.

    python -m benchmarks.bench --n 1000 10000            # about 7 minutes on 2 cores
    python -m benchmarks.bench --n 1000 --with-100k      # adds N = 100,000 (long)

For each N: generate the releases (``benchmarks.generate``, cached under build/bench),
build a fresh store with all cores, then measure the library queries on the embedded
store (pyoxigraph's native engine), the same queries on an rdflib in-memory graph of the
same default graph (N <= 10,000, each in a child process with a timeout), the
whole-graph checks, the network projection and page, and an incremental add and remove
of one release. Peak RSS is per phase: this process's high-water mark (VmHWM, reset
before each phase through /proc/self/clear_refs), the largest of any descendant process
(workers are started by a forkserver, so they are read from /proc, not RUSAGE_CHILDREN)
and the largest sum over all of them. Figures go to ``--out`` as JSON, and each N ends
with its figures against issue 6's targets.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import generate

BASE = "https://w3id.org/regiongraph"


# -- memory ---------------------------------------------------------------------------------


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    kb = _status_kb("self", "VmHWM:")  # 0 where there is no /proc
    return (kb or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def _status_kb(pid: int | str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _descendants() -> list[int]:
    """Every process below this one (worker pools start theirs from a forkserver, a child
    of this process, so RUSAGE_CHILDREN does not see them)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class _MemorySampler(threading.Thread):
    """Samples, every ``interval`` s, the largest VmHWM of any descendant process and the
    sum of VmRSS of this process and its descendants (what the machine must hold)."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.stopped = threading.Event()
        self.workers_kb = self.total_kb = 0

    def sample(self) -> None:
        pids = _descendants() if Path("/proc").is_dir() else []
        self.workers_kb = max([self.workers_kb, *(_status_kb(p, "VmHWM:") for p in pids)])
        total = _status_kb("self", "VmRSS:") + sum(_status_kb(p, "VmRSS:") for p in pids)
        self.total_kb = max(self.total_kb, total)

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stopped.set()
        self.join()
        self.sample()


_CHECKPOINT: Callable[[], None] | None = None  # writes the figures so far (set by main)


class Phase:
    """Times a phase and records its peak RSS: this process's, the largest descendant's,
    and the largest sampled sum of both."""

    def __init__(self, figures: dict, name: str) -> None:
        self.figures, self.name = figures, name

    def __enter__(self) -> Phase:
        print(f"[bench] N={self.figures['n']}: {self.name} …", file=sys.stderr, flush=True)
        _reset_peak()
        self.sampler = _MemorySampler()
        self.sampler.start()
        self.t = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        seconds = time.perf_counter() - self.t
        self.sampler.stop()
        self.figures.setdefault("phases", {})[self.name] = {
            "seconds": round(seconds, 3),
            "peak_rss_mb": round(_peak_mb(), 1),
            "peak_rss_workers_mb": round(self.sampler.workers_kb / 1024, 1),
            "peak_rss_total_mb": round(max(self.sampler.total_kb / 1024, _peak_mb()), 1),
        }
        self.seconds = seconds
        if _CHECKPOINT is not None:
            _CHECKPOINT()


# -- queries --------------------------------------------------------------------------------


def _ox_bindings(query):
    from regiongraph.query.library import bindings_for

    return bindings_for(query, None)


def _rdflib_bindings(query) -> dict:
    import pyoxigraph as ox
    from rdflib import Literal, URIRef, Variable

    out = {}
    for var, term in _ox_bindings(query).items():
        if isinstance(term, ox.NamedNode):
            out[Variable(var.value)] = URIRef(term.value)
        else:
            dt = term.datatype.value if term.datatype else None
            out[Variable(var.value)] = Literal(term.value, datatype=URIRef(dt) if dt else None)
    return out


def _query_child(store_path: str, name: str, runs: int, budget: float, conn) -> None:
    import pyoxigraph as ox

    from regiongraph.query.library import load_query

    store = ox.Store.read_only(store_path)
    q = load_query(name)
    subs = _ox_bindings(q)
    rows = len(list(store.query(q.text, substitutions=subs)))  # warm-up
    samples: list[float] = []
    spent = 0.0
    while len(samples) < runs and (spent < budget or len(samples) < 3):
        t = time.perf_counter()
        list(store.query(q.text, substitutions=subs))
        samples.append(time.perf_counter() - t)
        spent += samples[-1]
    conn.send((rows, samples))


def time_queries(store_path: Path, runs: int, budget: float, timeout: float) -> dict:
    """Each library query on the store's native engine (opened read-only in a child
    process, killed after ``timeout`` s): median and p95 of the runs after a warm-up."""
    from regiongraph.query.library import list_queries

    ctx = multiprocessing.get_context("spawn")
    out = {}
    for q in list_queries():
        parent, child = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_query_child, args=(str(store_path), q.name, runs, budget, child))
        p.start()
        if parent.poll(timeout):
            rows, samples = parent.recv()
            samples.sort()
            p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
            out[q.name] = {
                "rows": rows,
                "runs": len(samples),
                "median_ms": round(statistics.median(samples) * 1000, 2),
                "p95_ms": round(p95 * 1000, 2),
                "timed_out": False,
            }
        else:
            out[q.name] = {"rows": None, "timed_out": True, "timeout": timeout}
        p.kill()
        p.join()
    return out


_RDF_GRAPH = None  # the rdflib graph, inherited by forked children


def _rdflib_child(text: str, bindings: dict, conn) -> None:
    t = time.perf_counter()
    rows = len(list(_RDF_GRAPH.query(text, initBindings=bindings)))
    conn.send((time.perf_counter() - t, rows))


def time_rdflib(store, timeout: float, parallel: int = 2) -> dict:
    """Each library query once on an rdflib Graph of the default graph: a forked child per
    query, killed after ``timeout`` s; ``parallel`` children at a time (rdflib evaluates
    on one core, so each child has a core of its own when parallel <= cores)."""
    import pyoxigraph as ox
    from rdflib import Graph

    from regiongraph.query.library import list_queries

    global _RDF_GRAPH
    t = time.perf_counter()
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    g = Graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    del data
    load = time.perf_counter() - t
    _RDF_GRAPH = g
    out: dict = {"_load_seconds": round(load, 2), "_triples": len(g)}
    ctx = multiprocessing.get_context("fork")
    waiting = list(list_queries())
    running: list[tuple[str, object, object, float]] = []  # name, process, pipe, started
    while waiting or running:
        while waiting and len(running) < max(parallel, 1):
            q = waiting.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_rdflib_child, args=(q.text, _rdflib_bindings(q), child))
            p.start()
            running.append((q.name, p, parent, time.perf_counter()))
        for item in list(running):
            name, p, parent, started = item
            if parent.poll(0.01):
                seconds, rows = parent.recv()
                out[name] = {"seconds": round(seconds, 3), "rows": rows, "timed_out": False}
            elif time.perf_counter() - started > timeout:
                out[name] = {"seconds": None, "timed_out": True, "timeout": timeout}
            else:
                continue
            p.kill()
            p.join()
            running.remove(item)
    _RDF_GRAPH = None
    return out


# -- one N ----------------------------------------------------------------------------------


def releases_for(n: int, seed: int, root: Path) -> Path:
    folder = root / f"releases-{n}-seed{seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(n, folder, seed)
        done.write_text(str(n))
    return folder


def time_network(store, page: Path, figures: dict) -> dict:
    """The whole actor network: projection, layout and page."""
    from regiongraph.network.measures import actor_network, compute_layout
    from regiongraph.network.pages import write_network_page

    with Phase(figures, "network_projection") as phase:
        g = actor_network(store.store)
    net = {"projection_seconds": round(phase.seconds, 2), "nodes": len(g), "edges": g.size()}
    with Phase(figures, "layout") as phase:
        positions = compute_layout(g)
    net["layout_seconds"] = round(phase.seconds, 2)
    with Phase(figures, "page") as phase:
        write_network_page(g, page, "Actor network", positions=positions)
    net["page_seconds"] = round(phase.seconds, 2)
    return net


def run_one(n: int, args: argparse.Namespace, figures: dict) -> dict:
    from regiongraph.build.pipeline import BuildConfig, build
    from regiongraph.paths import project_root
    from regiongraph.validate.store import check_whole_graph

    root = args.out.parent
    figures.update({"n": n, "seed": args.seed, "workers": args.workers})
    with Phase(figures, "generate"):
        folder = releases_for(n, args.seed, root)
    store_dir = root / f"store-{n}"
    shutil.rmtree(store_dir, ignore_errors=True)
    config = BuildConfig(
        data_dir=project_root() / "data",
        store_path=store_dir,
        build_dir=root,
        base=BASE,
        prune=True,
        workers=args.workers,
        validate=not args.no_validate,
    )
    with Phase(figures, "build") as phase:
        result = build([folder], config)
    s = result.summary
    t = result.timings
    figures["build"] = {
        "seconds": round(phase.seconds, 2),
        "releases": s.releases_read,
        "failed": s.releases_failed,
        "releases_per_second": round(s.releases_read / phase.seconds, 1),
        "extract_releases_per_second": round(s.releases_read / t["extract_and_load"], 1),
        "triples": s.triples,
        "quads": s.quads,
        "entities": s.entities,
        "relations": s.relations,
        "store_load_seconds": round(t["load"], 2),
        "shacl_cpu_seconds": round(t["worker_validate"], 2),
        "worker_cpu_seconds": round(t["worker_cpu"], 2),
        "actors_seconds": round(t["actors"], 2),
        "optimize_seconds": round(t.get("optimize", 0.0), 2),
        "timings": {k: round(v, 3) for k, v in t.items()},
    }
    store = result.store
    with Phase(figures, "whole_graph_check") as phase:
        report = check_whole_graph(store, store.minter)
    figures["whole_graph_check"] = {
        "seconds": round(phase.seconds, 3),
        "issues": len(report.issues),
    }
    if args.full_validation:
        from regiongraph.validate.store import validate_store

        with Phase(figures, "validate_store") as phase:
            reports = validate_store(store_dir, BASE, workers=args.workers, store=store)
        figures["validate_store"] = {
            "seconds": round(phase.seconds, 2),
            "graphs": len(reports),
            "failing": sum(1 for r in reports.values() if not r.conforms),
        }
    with Phase(figures, "queries"):
        store.flush()
        figures["queries"] = time_queries(
            store_dir, args.query_runs, args.query_budget, args.query_timeout
        )
    if n <= args.rdflib_max:
        with Phase(figures, "rdflib"):
            figures["rdflib"] = time_rdflib(store.store, args.rdflib_timeout)
    if n <= args.network_max_n:
        figures["network"] = time_network(store, root / f"viz-{n}" / "actors.html", figures)
    else:
        figures["network"] = {"skipped": f"N > --network-max-n ({args.network_max_n:,})"}
    # incremental: one release added, then removed again (each build opens the store).
    # Twice: the first add loads the extractor in this process (as a fresh
    # `regiongraph build` does); the second finds it loaded (as `build --watch` does).
    store.close()
    for suffix, k in (("", 0), ("_warm", 1)):
        extra = generate(1, folder, args.seed, start=n + k)[0]
        with Phase(figures, f"add_one{suffix}") as phase:
            added = build([folder], config)
        figures[f"add_one{suffix}"] = {
            "seconds": round(phase.seconds, 3),
            "skipped": added.skipped,
            "extracted": added.extracted,
            "hashed": added.hashed,
            "store_seconds": round(added.timings["load"] + added.timings["actors"], 3),
            "timings": {k: round(v, 3) for k, v in added.timings.items()},
        }
        added.store.close()
        (folder / extra.file_name).unlink()
        with Phase(figures, f"remove_one{suffix}") as phase:
            removed = build([folder], config)
        figures[f"remove_one{suffix}"] = {
            "seconds": round(phase.seconds, 3),
            "removed": removed.removed,
            "store_seconds": round(removed.timings["prune"] + removed.timings["actors"], 3),
            "timings": {k: round(v, 3) for k, v in removed.timings.items()},
        }
        removed.store.close()
    return figures


# -- report ---------------------------------------------------------------------------------


def print_figures(f: dict) -> None:
    b = f["build"]
    ph = f["phases"]
    print(f"\n=== N = {f['n']:,} releases (workers={f['workers']}) ===")
    print(
        f"full build          {b['seconds']:8.1f} s   ({b['releases']:,} releases, "
        f"{b['failed']} failed; {b['releases_per_second']} releases/s end to end)"
    )
    print(f"  ingest+extraction {b['extract_releases_per_second']:8.1f} releases/s (incl. SHACL)")
    print(f"  store load        {b['store_load_seconds']:8.2f} s")
    print(f"  SHACL per release {b['shacl_cpu_seconds']:8.2f} s CPU (summed over workers)")
    print(f"  canonical actors  {b['actors_seconds']:8.2f} s")
    print(f"  store compaction  {b.get('optimize_seconds', 0.0):8.2f} s")
    print(
        f"  peak RSS          {ph['build']['peak_rss_mb']:8.0f} MB main, "
        f"{ph['build']['peak_rss_workers_mb']:.0f} MB largest worker, "
        f"{ph['build']['peak_rss_total_mb']:.0f} MB all processes together"
    )
    print(f"RDF size            {b['triples']:,} triples (default graph), {b['quads']:,} quads")
    w = f["whole_graph_check"]
    print(f"whole-graph check   {w['seconds']:8.3f} s   ({w['issues']} issues)")
    if "validate_store" in f:
        v = f["validate_store"]
        print(f"validate store      {v['seconds']:8.1f} s   ({v['graphs']} graphs)")
    rd = f.get("rdflib", {})
    print(
        f"queries (pyoxigraph, peak RSS {ph['queries']['peak_rss_mb']:.0f} MB)"
        + (f"; rdflib load {rd['_load_seconds']} s, {rd['_triples']:,} triples" if rd else "")
    )
    print(
        f"  {'query':32} {'rows':>7} {'median ms':>10} {'p95 ms':>9} {'rdflib s':>10}"
        f" {'speed-up':>9}"
    )
    for name, q in f["queries"].items():
        if q["timed_out"]:
            print(f"  {name:32} {'-':>7} {'> ' + str(int(q['timeout'] * 1000)):>10} {'-':>9}")
            continue
        r = rd.get(name)
        if r is None:
            rtxt, sp = "-", "-"
        elif r["timed_out"]:
            rtxt = f"> {r['timeout']:.0f}"
            sp = f"> {r['timeout'] * 1000 / max(q['median_ms'], 1e-3):.0f}x"
        else:
            rtxt = f"{r['seconds']:.2f}"
            sp = f"{r['seconds'] * 1000 / max(q['median_ms'], 1e-3):.0f}x"
        print(
            f"  {name:32} {q['rows']:>7} {q['median_ms']:>10.2f} {q['p95_ms']:>9.2f} "
            f"{rtxt:>10} {sp:>9}"
        )
    net = f["network"]
    if "skipped" in net:
        print(f"network projection  skipped: {net['skipped']}")
    else:
        print(
            f"network projection  {net['projection_seconds']:8.2f} s   ({net['nodes']} nodes, "
            f"{net['edges']} edges); layout {net['layout_seconds']} s; "
            f"page {net['page_seconds']} s"
        )
    for suffix, how in (("", "extractor loaded first"), ("_warm", "extractor kept, as --watch")):
        a, r = f[f"add_one{suffix}"], f[f"remove_one{suffix}"]
        print(
            f"add one release     {a['seconds']:8.3f} s   ({how}; store + actors "
            f"{a['store_seconds']} s; {a['skipped']:,} unchanged not re-read, "
            f"{a['extracted']} extracted)"
        )
        print(
            f"remove one release  {r['seconds']:8.3f} s   (store + actors {r['store_seconds']} s)"
        )
    print(
        "peak RSS per phase (MB, main / largest worker / all together): "
        + ", ".join(
            f"{k} {v['peak_rss_mb']:.0f}/{v['peak_rss_workers_mb']:.0f}/"
            f"{v.get('peak_rss_total_mb', 0):.0f}"
            for k, v in ph.items()
        )
    )
    for line in target_lines(f):
        print(line)


# Issue 6's targets: (largest N it applies to, build s, query median ms, peak RSS MB).
_TARGETS = ((10_000, 60.0, 100.0, None), (100_000, 600.0, 1000.0, 4096.0))


def target_lines(f: dict) -> list[str]:
    """The figures of one N against issue 6's targets, one line each."""
    target = next((t for t in _TARGETS if f["n"] <= t[0]), _TARGETS[-1])
    _n, build_s, median_ms, rss_mb = target
    queries = f["queries"]
    fast = [k for k, q in queries.items() if not q["timed_out"] and q["median_ms"] <= median_ms]
    rd = f.get("rdflib", {})
    proved = []
    for name, q in queries.items():
        r = rd.get(name)
        if q["timed_out"] or r is None:
            continue
        rdflib_ms = (r["timeout"] if r["timed_out"] else r["seconds"]) * 1000
        if rdflib_ms >= 50 * max(q["median_ms"], 1e-3):
            proved.append(name)
    ok = {True: "met", False: "MISSED"}
    b = f["build"]["seconds"]
    worst = max(f[k]["seconds"] for k in ("add_one_warm", "remove_one_warm"))
    lines = [
        f"targets (N <= {target[0]:,}):",
        f"  full build <= {build_s:.0f} s: {b:.1f} s, {ok[b <= build_s]}",
        f"  query medians <= {median_ms:.0f} ms: {len(fast)}/{len(queries)} queries",
        f"  add/remove one <= 1 s (extractor kept loaded): {worst:.2f} s, {ok[worst <= 1.0]}",
    ]
    if rd:
        lines.append(
            f"  >= 50x faster than rdflib (shown, timeouts as lower bounds): "
            f"{len(proved)}/{len(queries)} queries"
        )
    if rss_mb is not None:
        peak = max(v.get("peak_rss_total_mb", v["peak_rss_mb"]) for v in f["phases"].values())
        lines.append(
            f"  peak RSS <= {rss_mb:.0f} MB (all processes): {peak:.0f} MB, {ok[peak <= rss_mb]}"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="regiongraph scale benchmark (issue 6)")
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--with-100k", action="store_true", help="also run N = 100,000")
    parser.add_argument("--out", type=Path, default=Path("build/bench/figures.json"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--query-runs", type=int, default=20)
    parser.add_argument("--query-budget", type=float, default=2.0, help="s per query, max")
    parser.add_argument("--query-timeout", type=float, default=10.0, help="s per query")
    parser.add_argument("--rdflib-timeout", type=float, default=10.0)
    parser.add_argument("--rdflib-max", type=int, default=10_000, help="largest N for rdflib")
    parser.add_argument(
        "--network-max-n",
        type=int,
        default=10_000,
        help="largest N whose whole actor network is projected, laid out and drawn",
    )
    parser.add_argument("--no-validate", action="store_true", help="build without SHACL")
    parser.add_argument(
        "--full-validation",
        action="store_true",
        help="also run validate_store over every graph (slow)",
    )
    args = parser.parse_args(argv)
    sizes = list(args.n) + ([100_000] if args.with_100k else [])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    all_figures = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
        },
        "runs": [],
    }
    global _CHECKPOINT

    def checkpoint() -> None:  # after every phase: a run stopped half-way keeps its figures
        args.out.write_text(json.dumps(all_figures, indent=2, ensure_ascii=False))

    _CHECKPOINT = checkpoint
    for n in sizes:
        figures: dict = {"n": n}
        all_figures["runs"].append(figures)
        run_one(n, args, figures)
        checkpoint()
        print_figures(figures)
        sys.stdout.flush()
    print(f"\nfigures written to {args.out}")


if __name__ == "__main__":
    main()
