"""Helpers for tests: run one inline text through the pipeline."""
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
