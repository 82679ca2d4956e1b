"""Instance IRIs, minted in one place by one deterministic rule: readable slugs and ordinals."""
from __future__ import annotations

from rdflib import URIRef

from .ingest import slugify
from .vocab import ACTOR, ID


def actor_iri(label: str) -> str:
    """IRI of an actor discovered in text, from its preferred label (as the gazetteer names its own)."""
    return str(ACTOR[slugify(label)])


def report_iri(slug: str) -> URIRef:
    """IRI of a report: id/report/<slug>."""
    return ID[f"report/{slug}"]


def graph_iri(slug: str) -> URIRef:
    """IRI of the named graph holding one report's triples."""
    return ID[f"graph/{slug}"]


def part_iri(slug: str, kind: str, n: int) -> URIRef:
    """IRI of the n-th section, paragraph, sentence, mention, commitment or statistic of a report."""
    return ID[f"report/{slug}/{kind}/{n}"]


def event_iri(*parts: str) -> str:
    """IRI of an event, from what identifies it across reports (series and edition, or name and date)."""
    return str(ID["event/" + "-".join(slugify(p) for p in parts if p)])


def distinct_event_iri(iri: str, qualifier: str) -> str:
    """IRI of another event that would otherwise share `iri` (the same edition read with other dates):
    the same IRI with the qualifier appended."""
    return f"{iri}-{slugify(qualifier)}"


def place_iri(name: str) -> URIRef:
    """IRI of a named place."""
    return ID[f"place/{slugify(name)}"]
