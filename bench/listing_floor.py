#!/usr/bin/env python3
"""How fast can Oxigraph answer the full commitment listings at all, whatever our data model?

The listings `commitments` and `strongest-commitments` read seven properties of every commitment
(text, modality, deontic class, sentence, begin offset, the sentence's report and its title, the
agent's label). On a build's store they share their properties with 300,000-odd mentions and
180,000-odd sentences and are read over the union of 1,000 named graphs. This script times them
there, and again on a store that holds nothing but what they read: the triples of the commitments
themselves, the sentences' kg:report, the reports' titles and the actors' labels, all in the
default graph (no union, no mentions, no sentence text). That second store is the best any data
model of the same facts could give the same SPARQL on the same engine, so its times are a floor.

For each query and store it prints the rows, the best-of-`--runs` wall time with every term
decoded (as `bench/queries.py` runs it directly on pyoxigraph), and the time of counting the rows
(`SELECT (COUNT(*) …) { { query } }`: the joins, DISTINCT and ORDER BY, no term decoded); then
the same two for the query without DISTINCT and ORDER BY ("joins only": what is left to win by
rewriting the query rather than the data). Last, each listing run at once in two threads, each
on half of the build's report graphs: what sharding by report could win on two cores.

    .venv/bin/python bench/listing_floor.py bench/out/out-1000/store --runs 3
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.query import named_queries  # noqa: E402
from queries import counted_query  # noqa: E402

LISTINGS = ("commitments", "strongest-commitments")

#: the triples the listings read, as CONSTRUCT queries on the union of the store's graphs
READ_BY_LISTINGS = """
PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX kg:      <https://w3id.org/policykg/ontology#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nif:     <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?s a kg:Commitment ; ?p ?o
    VALUES ?p { rdf:type kg:text kg:modality kg:deonticClass kg:sentence nif:beginIndex kg:agent } }
  UNION { ?s kg:report ?o BIND (kg:report AS ?p) }
  UNION { ?s dcterms:title ?o BIND (dcterms:title AS ?p) }
  UNION { ?s skos:prefLabel ?o BIND (skos:prefLabel AS ?p) }
}
"""


def joins_only(text: str) -> str:
    """The query without DISTINCT and ORDER BY: only its joins and computed columns."""
    return text[:text.rindex("ORDER BY")].replace("SELECT DISTINCT", "SELECT", 1)


def best(store: ox.Store, text: str, runs: int, union: bool) -> tuple[int, float]:
    """Rows and best wall time of `text` on `store`, every solution read (its terms decoded)."""
    times, rows = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        result = store.query(text, use_default_graph_as_union=union)
        rows = sum(1 for _ in result)
        times.append(time.perf_counter() - t)
    return rows, min(times)


def in_halves(store: ox.Store, text: str, runs: int) -> tuple[int, float]:
    """Rows and best wall time of `text` run at once in two threads, each on half of the report
    graphs (every other one) with the shared graph as its default graph: Oxigraph evaluates a
    query in the calling thread without the GIL, so this is the most two cores give by sharding."""
    graphs = sorted(g.value for g in store.named_graphs())
    shared = [ox.NamedNode(g) for g in graphs if g.endswith("/_shared")]
    reports = [ox.NamedNode(g) for g in graphs if not g.endswith("/_shared")]
    times, rows = [], 0
    for _ in range(runs):
        counts: list[int] = []

        def half(graph_names: list[ox.NamedNode]) -> None:
            counts.append(sum(1 for _ in store.query(text, default_graph=graph_names + shared)))

        threads = [threading.Thread(target=half, args=(reports[i::2],)) for i in range(2)]
        t = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        times.append(time.perf_counter() - t)
        rows = sum(counts)
    return rows, min(times)


def minimal_store(source: ox.Store, folder: Path) -> tuple[ox.Store, int]:
    """An on-disk store in `folder` with only the triples the listings read, in the default graph."""
    triples = list(source.query(READ_BY_LISTINGS, use_default_graph_as_union=True))
    store = ox.Store(str(folder))
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    store.flush()
    store.optimize()
    return store, len(triples)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", help="a kg build's store folder (OUT/store)")
    ap.add_argument("--runs", type=int, default=3, help="repetitions; the best is kept")
    args = ap.parse_args()
    queries = named_queries()
    source = ox.Store.read_only(args.store)
    print("| store | triples | query | rows | wall s | count s | joins only: wall s | joins only: count s |\n"
          "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")

    def row(store: ox.Store, label: str, triples: int, union: bool) -> None:
        for name in LISTINGS:
            text = queries[name].text
            times = []
            for variant in (text, joins_only(text)):
                rows, wall = best(store, variant, args.runs, union)
                times += [wall, best(store, counted_query(variant), args.runs, union)[1]]
            print(f"| {label} | {triples:,} | {name} | {rows:,} | " + " | ".join(f"{t:.3f}" for t in times) + " |",
                  flush=True)

    row(source, "build's store (union of its graphs)", len(source), True)
    with tempfile.TemporaryDirectory(prefix="kg-listing-floor-") as tmp:
        floor, floor_triples = minimal_store(source, Path(tmp) / "store")
        row(floor, "only what the listings read (default graph)", floor_triples, False)
        del floor
    print("\n| query | rows | two threads, each on half of the report graphs: wall s |\n| --- | ---: | ---: |")
    for name in LISTINGS:
        rows, wall = in_halves(source, queries[name].text, args.runs)
        print(f"| {name} | {rows:,} | {wall:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
