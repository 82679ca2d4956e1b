"""The main job: ingest → segment → extract → to RDF → validate → export."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .export import check_writable, jsonld, merged, trig, write_atomic
from .gazetteer import ONTOLOGY_DIR, load_vocabulary
from .ingest import ingest
from .records import Extraction
from .segment import segment
from .extract import extract
from .to_rdf import to_graph
from .validate import validate
from .viz import project, to_html

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
OUTPUT_DIR = Path(__file__).resolve().parent.parent / "output"


@dataclass
class BuildSummary:
    """What a build read and wrote, for the CLI's summary line."""

    reports: int = 0
    sentences: int = 0
    actors: int = 0
    topics: int = 0
    commitments: int = 0
    statistics: int = 0
    events: int = 0
    triples: int = 0
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def extract_paths(paths: list[Path], strict: bool = False, ontology_dir: Path = ONTOLOGY_DIR) -> tuple[list[Extraction], list[tuple[str, str]]]:
    """Ingest, segment and extract every report under `paths`."""
    vocab = load_vocabulary(ontology_dir)
    result = ingest(paths, frozenset(vocab.acronyms), strict=strict)
    return [extract(segment(doc), vocab) for doc in result.documents], result.skipped


def build(paths: list[Path] | None = None, out_dir: Path = OUTPUT_DIR, strict: bool = False,
          ontology_dir: Path = ONTOLOGY_DIR) -> BuildSummary:
    """Build the knowledge graph of the reports under `paths` (default: the bundled corpus) into
    `out_dir`: graph.ttl (merged), graph.trig and graph.jsonld (a named graph per report) and
    graph.html. Every report graph is validated against the SHACL shapes before anything is written."""
    started = time.perf_counter()
    check_writable(out_dir)
    paths = paths or [CORPUS_DIR]
    vocab = load_vocabulary(ontology_dir)
    extractions, skipped = extract_paths(paths, strict, ontology_dir)
    graphs: list[Graph] = []
    for ex in extractions:
        g = to_graph(ex, vocab)
        validate(g, ex.segmented.document.file_name, ontology_dir)
        graphs.append(g)
    union = merged(graphs)
    files = {
        out_dir / "graph.ttl": union.serialize(format="turtle"),
        out_dir / "graph.trig": trig(graphs),
        out_dir / "graph.jsonld": jsonld(graphs),
        out_dir / "graph.html": to_html(project(union)),
    }
    write_atomic(files)
    from rdflib.namespace import RDF, SKOS
    from .vocab import KG

    return BuildSummary(
        reports=len(extractions),
        sentences=sum(len(ex.segmented.sentences) for ex in extractions),
        actors=len({a for ex in extractions for a in ex.actors}),
        topics=len({m.target for ex in extractions for m in ex.mentions if m.kind == "topic"}),
        commitments=sum(len(ex.commitments) for ex in extractions),
        statistics=sum(len(ex.statistics) for ex in extractions),
        events=len(set(union.subjects(RDF.type, KG.ConferenceEdition)) | set(union.subjects(RDF.type, KG.Founding))),
        triples=len(union), seconds=time.perf_counter() - started, files=list(files), skipped=skipped,
    )
