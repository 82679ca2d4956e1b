"""How the HTML views scale: the pages `kg build` writes (kg.viz.render_views), drawn from a built
store, with the CPU and wall seconds of the whole views stage, its peak memory, then the cost of
reading the facts and of each page, and each page's size, nodes, links and evidence sentences.

    .venv/bin/python bench/viz.py --store /tmp/store1000        # a built store, opened read-only
    .venv/bin/python bench/viz.py --reports 300                 # first build 300 reports (bench/corpus.py)
    .venv/bin/python bench/viz.py --store S --browser           # also lay the pages out in headless Chromium

The store is only read (Oxigraph's read-only mode), so a reference store can be measured as is.
Compare CPU seconds (time.process_time) rather than wall seconds on a shared machine. Run it once
per measurement: a second run in the same process would find Python's and Oxigraph's caches warm.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg import viz  # noqa: E402
from kg.network import DEFAULT_LIMITS, load_facts  # noqa: E402
from kg.store import open_store  # noqa: E402

DATA = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.S)


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """CPU and wall seconds since it was made."""

    def __init__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def __str__(self):
        return f"{time.process_time() - self.cpu:6.2f} s CPU {time.perf_counter() - self.wall:6.2f} s wall"


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


def measure(store_path: Path, browser: bool, keep: Path | None) -> None:
    drawing: dict[str, float] = {}
    draw = viz.draw

    def timed_draw(*args, **kwargs):  # render_views draws each page with kg.viz.draw
        started = time.process_time()
        name, html = draw(*args, **kwargs)
        drawing[name] = time.process_time() - started
        return name, html

    viz.draw = timed_draw
    store = open_store(store_path)
    before = rss_mb()
    clock = Clock()
    try:
        pages = viz.render_views(store)
    finally:
        viz.draw = draw
    print(f"views stage (render_views, {len(pages)} pages): {clock}; memory {before:.0f} MB before, "
          f"peak {peak_mb():.0f} MB (limits: {DEFAULT_LIMITS})")

    clock = Clock()
    facts = load_facts(open_store(store_path), detail=DEFAULT_LIMITS.reports)
    print(f"  load_facts alone (summary, and detail of {len(facts.detailed)} of {len(facts.reports):,} reports): {clock}")
    for name, html in pages.items():
        data = json.loads(DATA.search(html).group(1))
        noted = "; page says what it left out" if 'id="note"' in html else ""
        print(f"  {name:60} {drawing[name]:5.2f} s CPU {len(html) / 1e6:5.2f} MB {len(data['nodes']):5} nodes "
              f"{len(data['edges']):5} links {len(data['sentences']):5} sentences{noted}")
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        for name, html in pages.items():
            (keep / name).write_text(html, encoding="utf-8")
        print(f"  pages written to {keep}")
    if browser:
        with tempfile.TemporaryDirectory(prefix="kg-bench-viz-") as folder:
            for name in ("graph.html", "graph-ego.html", "graph-topics.html"):
                if name in pages:
                    path = Path(folder) / name
                    path.write_text(pages[name], encoding="utf-8")
                    seconds = browser_seconds(path)
                    if seconds is None:
                        print("  no Chromium found (install the Debian package chromium or set KG_CHROMIUM)")
                        break
                    print(f"  {name} laid out and still in headless Chromium after {seconds:.1f} s")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--store", type=Path, help="a store folder written by kg build (read only)")
    source.add_argument("--reports", type=int, metavar="N", help="build N synthetic reports first, then measure")
    p.add_argument("--browser", action="store_true", help="also time the layout of three pages in headless Chromium")
    p.add_argument("--keep", type=Path, metavar="DIR", help="write the pages into DIR")
    args = p.parse_args(argv)
    if args.store:
        measure(args.store, args.browser, args.keep)
        return
    from bench.corpus import make_corpus
    from kg.pipeline import build

    work = Path(tempfile.mkdtemp(prefix="kg-bench-viz-"))
    try:
        paths = make_corpus(args.reports, work / "corpus")
        clock = Clock()
        summary = build(paths, work / "out")
        print(f"build of {args.reports} reports: {clock}, {summary.triples:,} triples, "
              f"{summary.commitments:,} commitments")
        measure(work / "out" / "store", args.browser, args.keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
