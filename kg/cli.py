"""Command line: `kg build`, `kg query`, `kg viz`, `kg export`. Parses arguments, calls the library, and turns
the library's errors into one line on stderr and a distinct exit status."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .errors import KgError, UsageError

EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE: an error kg did not expect
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process killed by it


class _ProgressBar:
    """`kg build`'s progress on a terminal (stderr): reports done, rate and time left."""

    def __init__(self, stream):
        import time

        self.stream, self.clock, self.started, self.shown = stream, time.monotonic, time.monotonic(), 0.0

    def __call__(self, done: int, total: int, reused: int) -> None:
        now = self.clock()
        if done < total and now - self.shown < 0.2:
            return
        self.shown = now
        fresh, elapsed = done - reused, now - self.started
        rate = fresh / elapsed if elapsed > 0 else 0.0
        eta = f"{(total - done) / rate:.0f} s left" if rate > 0 and done < total else ""
        width = 30
        filled = int(width * done / total) if total else width
        cached = f", {reused} from cache" if reused else ""
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} reports{cached}, "
                          f"{rate:.1f}/s {eta}".ljust(79))
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _build(args) -> int:
    from .pipeline import OUTPUT_DIR, build

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    progress = _ProgressBar(sys.stderr) if not args.quiet and sys.stderr.isatty() else None
    summary = build([Path(p) for p in args.paths] or None, Path(args.out) if args.out else OUTPUT_DIR, strict=args.strict,
                    jobs=args.jobs, executor=args.executor, scheduler=args.scheduler, use_cache=not args.no_cache,
                    progress=progress)
    for path, reason in summary.skipped:
        print(f"kg: warning: skipped {reason}", file=sys.stderr)
    if args.timings:
        print("kg: timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary.phases.items()), file=sys.stderr)
    if args.quiet:
        return 0
    reused = f" ({summary.reused} from the cache)" if summary.reused else ""
    print(f"{summary.reports} reports{reused}, {summary.sentences} sentences, {summary.actors} actors, "
          f"{summary.topics} topics, {summary.commitments} commitments, {summary.statistics} statistics, "
          f"{summary.events} events, {summary.triples} triples in {summary.seconds:.1f} s")
    print("wrote " + ", ".join(str(f) for f in summary.files))
    return 0


def _query(args) -> int:
    from .query import answer_within, default_source, named_queries, parse_params, resolve

    if args.list:
        for name, q in named_queries().items():
            print(f"{name:28} {q.question}")
        return 0
    if not args.query:
        raise UsageError("kg query: give a query name, an .rq file or SPARQL text (or --list)")
    params = parse_params(args.param)
    name, sparql = resolve(args.query)
    source = Path(args.graph) if args.graph else default_source()
    text, status = answer_within(args.timeout, source, sparql, params, name, args.format)
    sys.stdout.write(text)
    return status


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _serve(args) -> int:
    from .errors import OutputError
    from .query import OUTPUT_DIR
    from .serve import Endpoint, default_store, store_for

    out_dir = Path(args.out) if args.out else OUTPUT_DIR
    store = store_for(Path(args.graph), out_dir) if args.graph else default_store(out_dir)
    endpoint = Endpoint(store, host=args.host, port=args.port, timeout_s=args.timeout)
    # a SIGTERM (from a service manager, a test) stops the server as cleanly as Ctrl-C does
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        endpoint.start()
        print(f"SPARQL endpoint: {endpoint.query_url}  (query page: {endpoint.url}/ ; read-only; "
              f"store {store}); Ctrl-C stops it", flush=True)
        status = endpoint.wait()
        raise OutputError(f"the SPARQL server stopped by itself (exit status {status})")
    except KeyboardInterrupt:
        print("kg: SPARQL server stopped", file=sys.stderr)
        return 0
    finally:
        endpoint.stop()
        signal.signal(signal.SIGTERM, previous)


def _publish(args) -> int:
    from .query import default_source
    from .serve import publish

    source = Path(args.graph) if args.graph else default_source()
    for graph in publish(source, args.endpoint):
        print(f"published {graph}")
    return 0


def _graph_source(args) -> Path:
    """--graph, else the build's store when it is at least as recent as output/graph.ttl, else graph.ttl."""
    from .pipeline import OUTPUT_DIR
    from .store import is_store, store_time

    if args.graph:
        return Path(args.graph)
    store, ttl = OUTPUT_DIR / "store", OUTPUT_DIR / "graph.ttl"
    if is_store(store) and (not ttl.exists() or store_time(store) >= ttl.stat().st_mtime):
        return store
    return ttl


def _viz(args) -> int:
    from .export import write_atomic
    from .network import load_facts
    from .pipeline import OUTPUT_DIR
    from .viz import draw

    facts = load_facts(_graph_source(args))
    name, html = draw(facts, args.view, focus=args.focus, depth=args.depth, top_n=args.top, color_by=args.color_by)
    out = Path(args.out) if args.out else OUTPUT_DIR / name
    write_atomic({out: html})
    print(f"wrote {out}")
    return 0


def _export_graph(args) -> int:
    from .export import write_atomic
    from .network import build_view, export_text, load_facts
    from .pipeline import OUTPUT_DIR
    from .viz import file_name

    facts = load_facts(_graph_source(args))
    g = build_view(facts, args.view, args.focus, args.depth)
    out = Path(args.out) if args.out else OUTPUT_DIR / file_name(g, facts, args.format)
    write_atomic({out: export_text(g, facts, args.format)})
    print(f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
    return 0


def _view_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--graph", help="graph file (.ttl, .trig, .nq, .jsonld) or store folder "
                   "(default: output/store when it is current, else output/graph.ttl)")
    p.add_argument("--view", default="overview",
                   choices=["overview", "actors-topics", "topics", "report", "ego", "compare"],
                   help="what to draw (default: overview)")
    p.add_argument("--focus", action="append", metavar="LABEL",
                   help="the report (report view), the actor or topic (ego view), or twice the two reports "
                   "(compare view; default: earliest and latest); a label, file name, slug or IRI")
    p.add_argument("--depth", type=int, default=2, help="links from the focus in the ego view (default: 2)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graphs of policy reports: who is asked to do what, about which topic.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph of reports (default: the bundled corpus)")
    b.add_argument("paths", nargs="*", help=".txt/.md files or folders of them")
    b.add_argument("--out", help="output folder (default: output/)")
    b.add_argument("--strict", action="store_true", help="a bad file in a folder is an error, not a warning")
    b.add_argument("--jobs", "-j", type=int, metavar="N", help="extract N reports at once (default: all cores)")
    b.add_argument("--executor", default="local", choices=["local", "dask"],
                   help="where reports are extracted: local processes, or a Dask distributed cluster (--scheduler)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://127.0.0.1:8786")
    b.add_argument("--no-cache", action="store_true", help="extract every report again (and keep no OUT/.cache/)")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary (warnings and errors only)")
    b.add_argument("--timings", action="store_true", help="print the seconds spent in each stage on stderr")
    b.set_defaults(run=_build)
    q = sub.add_parser("query", help="run a named query, an .rq file or inline SPARQL")
    q.add_argument("query", nargs="?", help="name in queries/, path to .rq, or SPARQL text")
    q.add_argument("--graph", help="graph file (.ttl, .trig, .nq, .jsonld) or store folder "
                   "(default: output/store when it is current, else output/graph.ttl)")
    q.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json", "turtle"],
                   help="SELECT results as an aligned table, CSV, TSV or SPARQL JSON; CONSTRUCT/DESCRIBE give Turtle")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE (a literal, or an IRI written <...>); repeatable")
    q.add_argument("--timeout", type=float, metavar="SECONDS", help="stop the query after SECONDS (exit status 4)")
    q.add_argument("--list", action="store_true", help="list the named queries with their questions")
    q.set_defaults(run=_query)
    s = sub.add_parser("serve", help="run a read-only SPARQL 1.1 endpoint (Oxigraph server) over the graph")
    s.add_argument("--graph", help="graph file or store folder (default: the build's store, else output/graph.ttl)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: a free one)")
    s.add_argument("--out", help="folder for the store made from a graph file (default: output/)")
    s.add_argument("--timeout", type=int, metavar="SECONDS", help="stop any query after SECONDS")
    s.set_defaults(run=_serve)
    pb = sub.add_parser("publish", help="push the graph to a SPARQL 1.1 Graph Store, one named graph per report")
    pb.add_argument("--endpoint", required=True, help="Graph Store URL, e.g. http://localhost:7878/store")
    pb.add_argument("--graph", help="graph file or store folder (default: the build's store, else output/graph.ttl)")
    pb.set_defaults(run=_publish)
    v = sub.add_parser("viz", help="draw a view of the graph as a self-contained interactive HTML page")
    _view_arguments(v)
    v.add_argument("--top", type=int, metavar="N", help="keep the N most central nodes (0: everything, "
                   "even past 12 reports; default: up to 2000, and a graph past 12 reports is drawn from the 12 "
                   "with the most commitments; the page says what was left out)")
    v.add_argument("--color-by", default="type", choices=["type", "community", "report"],
                   help="initial colouring: node kind, Louvain community or report (the page can switch)")
    v.add_argument("--out", help="HTML file (default: output/graph.html for the overview, output/graph-VIEW.html)")
    v.set_defaults(run=_viz)
    x = sub.add_parser("export", help="write a view of the graph as GraphML or GEXF (Gephi, Cytoscape)")
    x.add_argument("--format", required=True, choices=["graphml", "gexf"])
    _view_arguments(x)
    x.add_argument("--out", help="file to write (default: output/graph.FORMAT, output/graph-VIEW.FORMAT)")
    x.set_defaults(run=_export_graph)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kg` command."""
    args = parser().parse_args(argv)
    previous_term = _on_sigterm_unwind()
    try:
        return args.run(args)
    except Terminated:
        if args.debug:
            raise
        print("kg: error: terminated (SIGTERM); no file was left half-written", file=sys.stderr)
        return EXIT_TERMINATED
    except KgError as e:
        if args.debug:
            raise
        # one line: a message that lists details (SHACL violations) keeps only its summary
        lines = [line.strip() for line in str(e).splitlines() if line.strip()] or [type(e).__name__]
        more = f"; first: {lines[1]} (run with --debug to see all)" if len(lines) > 1 else ""
        print(f"kg: error: {lines[0].rstrip(':')}{more}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("kg: error: interrupted (Ctrl-C); no file was left half-written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug, or an error the library failed to name: still one line
        if args.debug:
            raise
        first = (str(e).splitlines() or [""])[0]
        print(f"kg: error: unexpected {type(e).__name__}: {first} (this is a bug in kg; "
              f"run again with --debug and report the traceback)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`), unwound like Ctrl-C so that temporary files are removed and worker
    processes stopped on the way out."""


def _on_sigterm_unwind():
    """Make SIGTERM raise `Terminated` while the command runs; returns the handler it replaced
    (None when signals cannot be handled here: not the main thread)."""
    def handler(signum, frame):
        raise Terminated()
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main())
