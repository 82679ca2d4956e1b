"""Golden cases: small reports run through every stage (ingest → segment → extract → to RDF), their
graphs compared with the expected Turtle by graph isomorphism, and checked against the shapes.

Each folder of tests/cases/ holds one report file (`.txt`; its name gives the report's slug and
year, as for any report) and `expected.ttl`, the report's named graph as it should be. A failure
lists the triples missing from the output and the triples it has that were not expected. After a
deliberate change of the extractor or the vocabulary, review that list, then rewrite the expected
files with

    .venv/bin/python -m pytest tests/test_cases.py --update-cases

and review `git diff tests/cases/` before committing.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.export import PREFIX_HEADER, turtle_fragment
from kg.extract import extract
from kg.gazetteer import load_vocabulary
from kg.ingest import read_document
from kg.segment import segment
from kg.to_rdf import to_graph, to_nquads
from kg.validate import shape_validator
from kg.vocab import KG

CASES = Path(__file__).resolve().parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _report_file(case: Path) -> Path:
    [report] = sorted(case.glob("*.txt"))
    return report


def _output(case: Path):
    vocab = load_vocabulary()
    ex = extract(segment(read_document(_report_file(case), frozenset(vocab.acronyms))), vocab)
    return ex, vocab


def _ntriples(g: Graph) -> str:
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in g)
    return "\n".join(f"    {line}" for line in lines) or "    (none)"


def test_every_case_has_a_report_and_its_expected_graph(request):
    assert len(NAMES) >= 6
    for name in NAMES:
        assert len(list((CASES / name).glob("*.txt"))) == 1, name
        # (a new case has none until --update-cases writes it)
        assert (CASES / name / "expected.ttl").is_file() or request.config.getoption("--update-cases"), name


@pytest.mark.parametrize("name", NAMES)
def test_case_graph_is_the_expected_graph(name, request):
    case = CASES / name
    ex, vocab = _output(case)
    got = to_graph(ex, vocab)
    expected_file = case / "expected.ttl"
    if request.config.getoption("--update-cases"):
        # written as kg writes graph.ttl (Oxigraph, sorted, our prefixes), so lexical forms are
        # kept as they are ("4400000000"^^xsd:decimal: rdflib's writer would add ".0")
        quads = ox.parse(to_nquads(ex, vocab), format=ox.RdfFormat.N_QUADS)
        expected_file.write_bytes(PREFIX_HEADER + turtle_fragment(q.triple for q in quads))
    expected = Graph().parse(expected_file, format="turtle")
    difference = _difference(expected, got)
    if difference:
        pytest.fail(f"{name}: the graph differs from {expected_file.relative_to(CASES.parent.parent)}\n{difference}",
                    pytrace=False)


def _difference(expected: Graph, got: Graph) -> str | None:
    """None when the graphs are isomorphic, else the triples each has that the other lacks."""
    if isomorphic(to_isomorphic(got), to_isomorphic(expected)):
        return None
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    return (f"  expected, not in the output:\n{_ntriples(missing)}\n"
            f"  in the output, not expected:\n{_ntriples(extra)}")


def test_a_changed_output_is_reported_with_the_triples_that_differ():
    expected = Graph().parse(CASES / "statistics-dated" / "expected.ttl", format="turtle")
    assert _difference(expected, expected) is None
    got = Graph()
    for t in expected:
        got.add(t)
    measure = KG.measures
    [(node, old)] = [(s, o) for s, o in got.subject_objects(measure) if str(o).startswith("the number")]
    got.remove((node, measure, old))
    got.add((node, measure, Literal("the number of Internet users worldwide had")))
    assert _difference(expected, got) == (
        "  expected, not in the output:\n"
        f"    {node.n3()} {measure.n3()} \"the number of Internet users worldwide\" .\n"
        "  in the output, not expected:\n"
        f"    {node.n3()} {measure.n3()} \"the number of Internet users worldwide had\" .")


@pytest.mark.parametrize("name", NAMES)
def test_case_graph_conforms_to_the_shapes(name):
    ex, vocab = _output(CASES / name)
    assert shape_validator().violations(to_nquads(ex, vocab)) == []
