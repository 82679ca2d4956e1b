"""Stage 5, validate: check a report's graph against `ontology/shapes.ttl` with pySHACL.

Validation runs on rdflib's in-memory store, one report graph at a time (each is self-contained),
with `ontology/kg.ttl` mixed in so that sh:class sees the subclass axioms (a kg:Forum is a kg:Actor).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SH

from .errors import ValidationError
from .gazetteer import ONTOLOGY_DIR


@lru_cache(maxsize=2)
def _shapes(ontology_dir: Path) -> tuple[Graph, Graph]:
    shapes = Graph().parse(ontology_dir / "shapes.ttl", format="turtle")
    ontology = Graph().parse(ontology_dir / "kg.ttl", format="turtle")
    return shapes, ontology


def violations(graph: Graph, ontology_dir: Path = ONTOLOGY_DIR) -> list[str]:
    """Readable lines, one per SHACL violation ("focus node — path: message"); empty when it conforms."""
    import pyshacl  # imported here: it is slow to import and only this stage needs it

    shapes, ontology = _shapes(ontology_dir)
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology,
                                           inference="none", advanced=False, allow_warnings=False)
    if conforms:
        return []
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        lines.append(f"{focus} — {path.n3(graph.namespace_manager) if path is not None else '-'}: {message}")
    return sorted(lines)


def validate(graph: Graph, name: str, ontology_dir: Path = ONTOLOGY_DIR) -> None:
    """Raise `ValidationError` listing every violation of `graph` (the report `name`)."""
    found = violations(graph, ontology_dir)
    if found:
        shown = "\n  ".join(found[:20])
        more = f"\n  … and {len(found) - 20} more" if len(found) > 20 else ""
        raise ValidationError(f"{name}: the graph does not conform to the shapes ({len(found)} violations):\n  {shown}{more}", found)
