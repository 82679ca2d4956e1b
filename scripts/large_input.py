"""Benchmark: how reading, segmenting and extracting scale with the size of one report file.

Builds report files of doubling size from the bundled corpus's prose (many lines, and the same
prose on a single line) and times each stage; a growth ratio near 2 per doubling means linear
time, near 4 quadratic. Run from the repository's root:

    .venv/bin/python scripts/large_input.py                  # segment up to 32 MB, extract up to 4 MB
    .venv/bin/python scripts/large_input.py --segment 10 20 40 --extract 2 4 8
    .venv/bin/python scripts/large_input.py --build 8        # also `kg build` one 8 MB file

Not a test: timings depend on the machine. tests/test_errors.py checks the growth ratio on
small sizes.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import extract  # noqa: E402
from kg.gazetteer import load_vocabulary  # noqa: E402
from kg.ingest import read_document  # noqa: E402
from kg.segment import segment  # noqa: E402

MB = 1_000_000


def report_text(size: int, one_line: bool) -> str:
    """About `size` characters of report prose, on many lines or on one."""
    corpus = (ROOT / "corpus" / "wic-2018-wuzhen-outlook.txt").read_text(encoding="utf-8")
    prose = "\n\n".join(corpus.split("\n\n")[3:])
    if one_line:
        prose = " ".join(prose.split())
    sep = " " if one_line else "\n\n"
    copies = max(1, size // (len(prose) + len(sep)))
    return "Large Report 2020\n\n" + sep.join([prose] * copies) + "\n"


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def run(stage: str, sizes: list[float], one_line: bool, folder: Path, vocab) -> None:
    previous = None
    for mb in sizes:
        path = folder / f"large-{mb:g}mb{'-one-line' if one_line else ''}.txt"
        path.write_text(report_text(int(mb * MB), one_line), encoding="utf-8")
        t_read, doc = timed(lambda: read_document(path, frozenset(vocab.acronyms)))
        t_seg, seg = timed(lambda: segment(doc))
        t_ext = None
        if stage == "extract":
            t_ext, _ = timed(lambda: extract(seg, vocab))
        total = t_read + t_seg + (t_ext or 0)
        ratio = f"{total / previous:5.2f}" if previous else "    -"
        previous = total
        print(f"{stage:8} {'one line' if one_line else 'lines':8} {path.stat().st_size / MB:7.1f} MB  "
              f"read {t_read:6.2f} s  segment {t_seg:6.2f} s  "
              f"{'extract ' + format(t_ext, '7.2f') + ' s' if t_ext is not None else ' ' * 17}  "
              f"{len(seg.sentences):8} sentences  growth ×{ratio}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--segment", type=float, nargs="*", default=[8, 16, 32], metavar="MB")
    ap.add_argument("--extract", type=float, nargs="*", default=[1, 2, 4], metavar="MB")
    ap.add_argument("--build", type=float, metavar="MB", help="also time `kg build` of one file of this size")
    args = ap.parse_args()
    vocab = load_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for one_line in (False, True):
            if args.segment:
                run("segment", args.segment, one_line, folder, vocab)
            if args.extract:
                run("extract", args.extract, one_line, folder, vocab)
        if args.build:
            path = folder / "build" / "large.txt"
            path.parent.mkdir()
            path.write_text(report_text(int(args.build * MB), False), encoding="utf-8")
            t, done = timed(lambda: subprocess.run([sys.executable, "-m", "kg", "build", str(path), "--out",
                                                   str(folder / "out"), "--no-cache"], capture_output=True, text=True))
            print(f"kg build {path.stat().st_size / MB:.1f} MB: exit {done.returncode} in {t:.1f} s; "
                  f"{done.stdout.strip().splitlines()[0] if done.stdout.strip() else done.stderr.strip()}")


if __name__ == "__main__":
    main()
