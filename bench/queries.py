"""Time every named query on one store, and keep its answer, to check that a rewrite answers the same.

For each query in queries/ (or in --query-dir), with its default parameters, this script runs the
SPARQL directly on pyoxigraph, as bench/run.py does (the store opened read-only, the union of its
graphs as the default graph, every solution read: Oxigraph decodes each term, Python makes no
object of it), and through our layers, `kg.query.answer(store, …, "json")` (opening the store,
binding, writing SPARQL 1.1 JSON), and prints for each: rows, wall and CPU seconds of the direct run
(best of --runs; CPU is this process's, Oxigraph evaluating in the calling thread), ours (wall) and
the ratio ours/direct.
With --save DIR it writes each answer as DIR/NAME.json (variables and rows, every cell an
N-Triples term, so datatypes and language tags count); with --compare DIR it checks each answer
equals the saved one, row order included; an answer with the same rows in another order is
"same rows, ties reordered" when the columns of its ORDER BY that are in the answer still come in
the same sequence (rows equal on every sort key may come in any order), else DIFFERENT. (That
answer is read in one more, untimed, run.)
With --floor, it also times `SELECT (COUNT(*) AS ?n) WHERE { { query } }`: the same evaluation
with no solution decoded (the optimiser may plan it otherwise), so `wall s` minus `count s` is
about what decoding the answer's terms costs.

    .venv/bin/python bench/queries.py /tmp/store1000 --save /tmp/answers-before
    .venv/bin/python bench/queries.py /tmp/store1000 --compare /tmp/answers-before --runs 3
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.query import QUERY_DIR, _term, answer, defaults, named_queries  # noqa: E402


def _cell(t) -> str | None:
    return None if t is None else str(t)


def _bindings(text: str, params: dict[str, str]) -> dict | None:
    values = defaults(text)
    values.update({k: v for k, v in params.items() if k in values})
    return {ox.Variable(k): _term(k, v) for k, v in values.items()} or None


def run_direct(location: str, text: str, params: dict[str, str]) -> int:
    """The query run straight on pyoxigraph, the store opened read-only (as kg.query.answer does),
    `params` (or its declared defaults) substituted, every solution read (its terms decoded by
    Oxigraph, none made a Python object): the rows."""
    store = ox.Store.read_only(location)
    result = store.query(text, use_default_graph_as_union=True, substitutions=_bindings(text, params))
    return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)


def counted_query(text: str, keys: str = "") -> str:
    """`text` as a subquery whose solutions are only counted, as ?n_ (grouped by `keys`, the
    variables a substitution binds, which must be in the outer projection)."""
    start = re.search(r"^SELECT", text, re.M).start()
    return (f"{text[:start]}SELECT {keys} (COUNT(*) AS ?n_) WHERE {{ {{ {text[start:]} }} }}"
            + (f" GROUP BY {keys}" if keys else ""))


def run_counted(store: ox.Store, text: str, params: dict[str, str]) -> int:
    """The query's WHERE evaluated as a subquery whose solutions are only counted (none decoded)."""
    bindings = _bindings(text, params)
    # a parameter is bound by substitution, which needs its variable in the outer projection
    keys = " ".join(f"?{v.value}" for v in bindings or {})
    q = counted_query(text, keys)
    return sum(int(s["n_"].value) for s in store.query(q, use_default_graph_as_union=True, substitutions=bindings))


def read_answer(store: ox.Store, text: str, params: dict[str, str]) -> tuple[list[str], list[list[str | None]]]:
    """The query's answer from pyoxigraph: its variables, and rows of N-Triples terms."""
    result = store.query(text, use_default_graph_as_union=True, substitutions=_bindings(text, params))
    variables = [v.value for v in result.variables]
    return variables, [[_cell(s[i]) for i in range(len(variables))] for s in result]


def order_columns(text: str, variables: list[str]) -> list[str]:
    """The answer's columns named in the query's last ORDER BY (sort keys not projected are left out)."""
    clauses = re.findall(r"^ORDER BY (.*)$", text, re.M)
    keys = re.findall(r"\?(\w+)", clauses[-1]) if clauses else []
    return [k for k in keys if k in variables]


def verdict_of(saved: dict, variables: list[str], rows: list) -> str:
    """How an answer compares with the saved one (whose sort keys are those of the query that made it)."""
    if (saved["variables"], saved["rows"]) == (variables, rows):
        return "same"
    if saved["variables"] != variables:
        return f"DIFFERENT: columns {saved['variables']} -> {variables}"
    first = next((i for i, (a, b) in enumerate(zip(saved["rows"], rows)) if a != b), min(len(saved["rows"]), len(rows)))
    if Counter(map(tuple, saved["rows"])) == Counter(map(tuple, rows)):
        keys = [variables.index(k) for k in saved["order"]]
        if [[r[i] for i in keys] for r in saved["rows"]] == [[r[i] for i in keys] for r in rows]:
            return f"same rows, ties reordered (from row {first}; sort keys compared: {', '.join(saved['order'])})"
    out = f"DIFFERENT: {len(saved['rows'])} -> {len(rows)} rows, first difference at row {first}"
    if first < len(saved["rows"]):
        out += f"\n    saved: {saved['rows'][first]}"
    if first < len(rows):
        out += f"\n    now:   {rows[first]}"
    return out


def timed(fn) -> tuple[float, float, object]:
    w, c = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - w, time.process_time() - c, value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", help="an Oxigraph store folder (opened read-only)")
    ap.add_argument("names", nargs="*", help="queries to run (default: all)")
    ap.add_argument("--query-dir", type=Path, default=QUERY_DIR, help="where the .rq files are (default: queries/)")
    ap.add_argument("--runs", type=int, default=1, help="repetitions; the best wall and CPU times are kept")
    ap.add_argument("--save", type=Path, help="write each answer to DIR/NAME.json")
    ap.add_argument("--compare", type=Path, help="check each answer equals DIR/NAME.json")
    ap.add_argument("--no-layers", action="store_true", help="skip the run through kg.query.answer")
    ap.add_argument("--floor", action="store_true",
                    help="also time each query's solutions counted, not decoded (SELECT COUNT(*) around it)")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="bind a parameter in the queries that declare it (default: their declared defaults)")
    ap.add_argument("--json", type=Path, help="write the timings as JSON to this file")
    args = ap.parse_args()

    params = dict(p.split("=", 1) for p in args.param)
    library = named_queries(args.query_dir)
    names = args.names or sorted(library)
    store = ox.Store.read_only(args.store)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    print(f"{'query':26} {'rows':>7} {'wall s':>8} {'cpu s':>8} {'ours s':>8} {'ratio':>6}"
          + (f"{'count s':>9}" if args.floor else "") + "  answer")
    results, failures = [], 0
    for name in names:
        text = library[name].text
        walls, cpus, n_rows = [], [], 0
        for _ in range(args.runs):
            wall, cpu, n_rows = timed(lambda: run_direct(args.store, text, params))
            walls.append(wall)
            cpus.append(cpu)
        ours = None
        if not args.no_layers:
            own = {k: v for k, v in params.items() if k in defaults(text)}
            ours = min(timed(lambda: answer(Path(args.store), text, own, name, "json"))[0] for _ in range(args.runs))
        counted = None
        if args.floor:
            counted = min(timed(lambda: run_counted(store, text, params))[0] for _ in range(args.runs))
        verdict = ""
        if args.save or args.compare:
            variables, rows = read_answer(store, text, params)
            if args.save:
                (args.save / f"{name}.json").write_text(json.dumps(
                    {"variables": variables, "order": order_columns(text, variables), "rows": rows}, ensure_ascii=False))
            if args.compare:
                verdict = verdict_of(json.loads((args.compare / f"{name}.json").read_text()), variables, rows)
                failures += verdict.startswith("DIFFERENT")
        ratio = f"{ours / max(min(walls), 1e-6):6.2f}" if ours is not None else ""
        ours_s = f"{ours:8.3f}" if ours is not None else ""
        count_s = f"{counted:9.3f}" if counted is not None else ""
        print(f"{name:26} {n_rows:7} {min(walls):8.3f} {min(cpus):8.3f} {ours_s:>8} {ratio:>6}{count_s}  {verdict}", flush=True)
        results.append({"query": name, "rows": n_rows, "wall_s": min(walls), "cpu_s": min(cpus),
                        "ours_s": ours, "count_s": counted})
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
