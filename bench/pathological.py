#!/usr/bin/env python3
"""Seconds to extract one report made of a single pathological paragraph, for each of a few shapes
that make rules re-read long text: thousands of coordinated phrases, appositives, "of" chains,
numbers in one sentence, a 200,000-character word, unclosed brackets. A rule whose cost grows with
the square of a sentence's length shows here long before it shows on real reports. Usage, from the
repository's root:

    .venv/bin/python bench/pathological.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kg.extract import extract
from kg.gazetteer import load_vocabulary
from kg.ingest import read_document
from kg.segment import segment

CASES = {
    "3,000 coordinated phrases": "Governments should promote " + ", and ".join(["cooperation"] * 3000) + ".",
    "3,000 appositive commas": "We, " + ", ".join(["the leaders"] * 3000) + ", reaffirm our commitment to peace.",
    "3,000 'of' links": "The share of " + " of ".join(["data"] * 3000) + " is 5 percent.",
    "3,000 percentages in one sentence": " ".join(f"{i} percent of people" for i in range(3000)) + ".",
    "one 200,000-character word": "x" * 200_000,
    "2,000 unclosed brackets": "The Forum (" * 2000 + " should act.",
}


def main() -> int:
    vocab = load_vocabulary()
    with tempfile.TemporaryDirectory(prefix="kg-pathological.") as work:
        for name, text in CASES.items():
            path = Path(work) / "pathological-2020.txt"
            path.write_text("Pathological Report 2020\n\n" + text + "\n", encoding="utf-8")
            start = time.perf_counter()
            extract(segment(read_document(path, frozenset(vocab.acronyms))), vocab)
            print(f"{name:36s} {time.perf_counter() - start:6.2f} s  ({len(text):,} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
