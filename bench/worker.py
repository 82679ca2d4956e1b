#!/usr/bin/env python3
"""What one report costs in a build's worker: CPU milliseconds per report of each step of
kg.pipeline.process_document (rules: segmentation and extraction; rdf: N-Quads text; parse:
back into Oxigraph quads; validate: the compiled SHACL shapes; serialise: Turtle, TriG, JSON-LD
and N-Triples fragments; cache: writing the entry), over reports of the benchmark corpus
(bench/corpus.py), best of --runs. CPU time (time.process_time), so a busy machine changes it less
than wall time. Usage, from the repository's root:

    .venv/bin/python bench/worker.py --reports 60
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus  # noqa: E402

from kg.executors import settle_worker  # noqa: E402
from kg.gazetteer import ONTOLOGY_DIR  # noqa: E402
from kg.ingest import ingest  # noqa: E402
from kg.pipeline import _vocabulary, process_document, warm  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=60, help="how many reports of the corpus (it cycles its sources)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-worker-bench.") as work:
        paths = make_corpus(args.reports, Path(work) / "corpus")
        docs = ingest(paths, frozenset(_vocabulary(ONTOLOGY_DIR).acronyms)).documents
        warm(ONTOLOGY_DIR)
        settle_worker()   # as in a build's worker processes
        cache = Path(work) / "cache"
        best: Counter | None = None
        for run in range(args.runs):
            spent: Counter = Counter()
            clock = [0.0]   # CPU time at the end of the last step (set at each report's start)

            def step(name: str) -> None:
                now = time.process_time()
                spent[name] += now - clock[0]
                clock[0] = now

            for i, doc in enumerate(docs):
                clock[0] = time.process_time()
                process_document(doc, f"r{run}-{i}", ONTOLOGY_DIR, cache, step)
            if best is None or sum(spent.values()) < sum(best.values()):
                best = spent
        per = {name: 1000 * seconds / len(docs) for name, seconds in best.items()}
        print(f"{len(docs)} reports, best of {args.runs} runs: CPU ms per report")
        print(" | ".join(f"{name} {ms:.1f}" for name, ms in per.items()) + f" | total {sum(per.values()):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
