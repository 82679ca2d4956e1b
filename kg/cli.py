"""Command line: `kg build`, `kg query`, `kg viz`. Parses arguments, calls the library, and turns
the library's errors into one line on stderr and a distinct exit status."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import KgError, UsageError

EXIT_INTERRUPTED = 130


def _build(args) -> int:
    from .pipeline import OUTPUT_DIR, build

    summary = build([Path(p) for p in args.paths] or None, Path(args.out) if args.out else OUTPUT_DIR, strict=args.strict)
    for path, reason in summary.skipped:
        print(f"kg: warning: skipped {reason}", file=sys.stderr)
    print(f"{summary.reports} reports, {summary.sentences} sentences, {summary.actors} actors, "
          f"{summary.topics} topics, {summary.commitments} commitments, {summary.statistics} statistics, "
          f"{summary.events} events, {summary.triples} triples in {summary.seconds:.1f} s")
    print("wrote " + ", ".join(str(f) for f in summary.files))
    return 0


def _query(args) -> int:
    from .pipeline import OUTPUT_DIR
    from .query import format_result, load_graph, named_queries, parse_params, resolve, run

    if args.list:
        for name, q in named_queries().items():
            print(f"{name:28} {q.question}")
        return 0
    if not args.query:
        raise UsageError("kg query: give a query name, an .rq file or SPARQL text (or --list)")
    params = parse_params(args.param)
    name, sparql = resolve(args.query)
    graph = load_graph(Path(args.graph) if args.graph else OUTPUT_DIR / "graph.ttl")
    result = run(graph, sparql, params, name)
    sys.stdout.write(format_result(result, args.format))
    if result.type == "ASK":
        return 0 if result.askAnswer else 1
    return 0


def _viz(args) -> int:
    from .pipeline import OUTPUT_DIR
    from .export import write_atomic
    from .query import load_graph
    from .viz import project, to_html

    graph = load_graph(Path(args.graph) if args.graph else OUTPUT_DIR / "graph.ttl")
    out = Path(args.out) if args.out else OUTPUT_DIR / "graph.html"
    write_atomic({out: to_html(project(graph))})
    print(f"wrote {out}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graphs of policy reports: who is asked to do what, about which topic.")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph of reports (default: the bundled corpus)")
    b.add_argument("paths", nargs="*", help=".txt/.md files or folders of them")
    b.add_argument("--out", help="output folder (default: output/)")
    b.add_argument("--strict", action="store_true", help="a bad file in a folder is an error, not a warning")
    b.set_defaults(run=_build)
    q = sub.add_parser("query", help="run a named query, an .rq file or inline SPARQL")
    q.add_argument("query", nargs="?", help="name in queries/, path to .rq, or SPARQL text")
    q.add_argument("--graph", help="graph file (default: output/graph.ttl)")
    q.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json"])
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind ?NAME to VALUE")
    q.add_argument("--list", action="store_true", help="list the named queries with their questions")
    q.set_defaults(run=_query)
    v = sub.add_parser("viz", help="draw a graph file as an interactive HTML page")
    v.add_argument("--graph", help="graph file (default: output/graph.ttl)")
    v.add_argument("--out", help="HTML file (default: output/graph.html)")
    v.set_defaults(run=_viz)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kg` command."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KgError as e:
        if args.debug:
            raise
        print(f"kg: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
