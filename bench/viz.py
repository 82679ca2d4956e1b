"""How the views scale: build N synthetic reports (bench/corpus.py), then time reading the facts
from the build's Oxigraph store, each view's projection and page, and (when a Chromium is
installed) how long the overview takes to lay out in a headless browser.

    .venv/bin/python bench/viz.py 300            # N reports (default 300)

Prints one line per step; numbers vary with the machine, read the ratios.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import make_corpus  # noqa: E402
from kg.network import build_view, load_facts  # noqa: E402
from kg.pipeline import build  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.viz import DEFAULT_TOP, draw  # noqa: E402


def browser_seconds(page: Path) -> float | None:
    """Seconds from opening `page` to the layout having stopped, in headless Chromium (None: no browser)."""
    chromium = os.environ.get("KG_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page_ = b.new_page(viewport={"width": 1500, "height": 900})
        started = time.perf_counter()
        page_.goto(page.as_uri())
        page_.wait_for_function("window.kg && window.kg.ready === true", timeout=600_000)
        seconds = time.perf_counter() - started
        b.close()
    return seconds


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="kg-bench-viz-"))
    try:
        paths = make_corpus(n, work / "corpus")
        started = time.perf_counter()
        summary = build(paths, work / "out")
        print(f"build of {n} reports: {time.perf_counter() - started:.1f} s, {summary.triples} triples, "
              f"{summary.commitments} commitments")
        store = open_store(work / "out" / "store")
        started = time.perf_counter()
        facts = load_facts(store)
        print(f"load_facts from the store: {time.perf_counter() - started:.2f} s "
              f"({len(facts.reports)} reports, {len(facts.commitments)} commitments, {len(facts.sentences)} sentences)")
        for view, focus in (("overview", None), ("actors-topics", None), ("topics", None), ("compare", None),
                            ("ego", ["international community"])):
            started = time.perf_counter()
            g = build_view(facts, view, focus)
            projected = time.perf_counter() - started
            started = time.perf_counter()
            name, html = draw(facts, view, focus=focus)
            drawn = time.perf_counter() - started
            (work / name).write_text(html, encoding="utf-8")
            kept = min(g.number_of_nodes(), DEFAULT_TOP)
            print(f"{view:14} {g.number_of_nodes():6} nodes {g.number_of_edges():6} links; projection {projected:.2f} s, "
                  f"page {drawn:.2f} s, {len(html) / 1e6:.1f} MB, {kept} nodes drawn")
        seconds = browser_seconds(work / "graph.html")
        if seconds is not None:
            print(f"overview laid out and still in headless Chromium after {seconds:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
