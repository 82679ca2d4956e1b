"""Helpers for tests: run one inline text through the pipeline; the real texts; cue checks."""
from __future__ import annotations

from pathlib import Path

from kg.extract import extract
from kg.gazetteer import load_vocabulary
from kg.ingest import read_document
from kg.segment import segment


def run_text(tmp_path: Path, text: str, name: str = "report-2020.txt"):
    """Extraction of `text` saved as a report file."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    vocab = load_vocabulary()
    return extract(segment(read_document(p, frozenset(vocab.acronyms))), vocab)


def label(ex, iri: str) -> str:
    return ex.actors[iri].label


ROOT = Path(__file__).resolve().parent.parent
# the bundled reports and the G20 declaration of tests/data
REAL_REPORTS = [*sorted((ROOT / "corpus").glob("*.txt")), *sorted((ROOT / "tests" / "data").glob("*.txt"))]


def assert_every_match_holds_a_cue(patterns_and_cues, written: str, case_sensitive: bool = False) -> None:
    """A rule that skips text holding none of a pattern's cue words is sound only if every match
    of the pattern contains one. Checked on every match in the real texts and in `written`
    (sentences made to reach the patterns' alternatives); every pattern must match somewhere.
    Cues are compared with the match lower-cased unless `case_sensitive`."""
    texts = [p.read_text(encoding="utf-8") for p in REAL_REPORTS] + [written]
    matched = set()
    for pattern, cues in patterns_and_cues:
        for text in texts:
            for m in pattern.finditer(text):
                matched.add(pattern.pattern)
                found = m.group(0) if case_sensitive else m.group(0).lower()
                assert any(cue in found for cue in cues), (pattern.pattern[:40], m.group(0))
    assert matched == {p.pattern for p, _ in patterns_and_cues}   # every pattern was exercised
