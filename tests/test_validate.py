"""The compiled SHACL validator (shapes → SPARQL on Oxigraph) against pySHACL, the reference:
same verdict on the real output, and on graphs broken on purpose, one per constraint kind."""
from __future__ import annotations

import re
import shutil

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from kg.errors import ValidationError
from kg.gazetteer import ONTOLOGY_DIR
from kg.pipeline import CORPUS_DIR
from kg.to_rdf import to_nquads
from kg.validate import ShapeValidator, UnsupportedShape, compile_shapes, pyshacl_results, shape_validator

XSD = "http://www.w3.org/2001/XMLSchema#"
KG = "https://w3id.org/policykg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def _rdflib(nquads: str) -> Graph:
    # N-Quads of one named graph → the same triples as N-Triples (drop the graph term)
    g = Graph()
    g.parse(data=re.sub(r" <[^>]*> \.$", " .", nquads, flags=re.M), format="nt")
    return g


def _keys(violations) -> set[tuple[str, str, str]]:
    return {(v.focus, v.path, v.component) for v in violations}


@pytest.fixture(scope="module")
def wic2018(extractions, vocab) -> str:
    return to_nquads(extractions["wic-2018-wuzhen-outlook.txt"], vocab)


def test_real_reports_conform_for_both_validators(extractions, vocab):
    for name, ex in extractions.items():
        nquads = to_nquads(ex, vocab)
        assert shape_validator().violations(nquads) == [], name
        assert pyshacl_results(_rdflib(nquads)) == [], name


def _sub(text: str, pattern: str, repl: str, count: int = 1) -> str:
    out, n = re.subn(pattern, repl, text, count=count, flags=re.M)
    assert n, f"pattern not found: {pattern}"
    return out


SENTENCE_3 = r"<https://w3id\.org/policykg/id/report/wic-2018-wuzhen-outlook/sentence/3>"
BREAKAGES = {
    # constraint kind: (edit of the real N-Quads, the component expected)
    "minCount": (lambda t: _sub(t, rf"^{SENTENCE_3} <{NIF}anchorOf> .*\n", ""), "MinCountConstraintComponent"),
    "maxCount": (lambda t: _sub(t, rf"^({SENTENCE_3} <{KG}index> )\"3\"(.*)$", r'\g<0>\n\1"4"\2'),
                 "MaxCountConstraintComponent"),
    "datatype (derived integer, which the store would hide)": (
        lambda t: _sub(t, rf"^({SENTENCE_3} <{NIF}beginIndex> \"\d+\"\^\^<){XSD}nonNegativeInteger>", rf"\1{XSD}integer>"),
        "DatatypeConstraintComponent"),
    "datatype (language string)": (lambda t: _sub(t, rf"(<http://purl\.org/dc/terms/title> \"[^\"]*\")@en", r"\1"),
                                   "DatatypeConstraintComponent"),
    "class": (lambda t: _sub(t, rf"(<{KG}agent> )<[^>]*>", r"\1<https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook>"),
              "ClassConstraintComponent"),
    "in": (lambda t: _sub(t, rf"(<{KG}deonticClass> )<[^>]*>", rf"\1<{KG}Whim>"), "InConstraintComponent"),
    "pattern": (lambda t: _sub(t, rf"(<{KG}sha256> )\"[0-9a-f]+\"", r'\1"not-a-hash"'), "PatternConstraintComponent"),
    "minLength": (lambda t: _sub(t, rf"^({SENTENCE_3} <{NIF}anchorOf> )\".*?\"(?= <)", r'\1""'), "MinLengthConstraintComponent"),
    "minInclusive": (lambda t: _sub(t, rf"(<{KG}edition> )\"\d+\"", r'\1"0"'), "MinInclusiveConstraintComponent"),
    "or": (lambda t: _sub(t, rf"(<{KG}refersTo> )<[^>]*>", r"\1<https://w3id.org/policykg/place/nowhere>"),
           "OrConstraintComponent"),
    "uniqueLang": (lambda t: _sub(t, r'^(\S+ <http://purl\.org/dc/terms/title> )"Wuzhen Outlook 2018"@en(.*)$',
                                  r'\g<0>\n\1"The Wuzhen Outlook"@en\2'), "UniqueLangConstraintComponent"),
    "ill-typed integer": (lambda t: _sub(t, rf"(<{KG}charCount> )\"\d+\"", r'\1"many"'), "DatatypeConstraintComponent"),
}


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_broken_graph_gives_the_same_violations_as_pyshacl(kind, wic2018):
    edit, component = BREAKAGES[kind]
    broken = edit(wic2018)
    compiled = shape_validator().violations(broken)
    reference = pyshacl_results(_rdflib(broken))
    assert component in {v.component for v in compiled}
    assert _keys(compiled) == _keys(reference)


def test_violations_are_reported_readably(wic2018):
    broken = BREAKAGES["in"][0](wic2018)
    with pytest.raises(ValidationError) as e:
        shape_validator().validate(broken, "wic-2018-wuzhen-outlook.txt")
    assert e.value.exit_code == 6
    message = str(e.value)
    assert message.startswith("wic-2018-wuzhen-outlook.txt: the graph does not conform to the shapes (1 violations)")
    assert f"— <{KG}deonticClass>: value is not in <{KG}Obligation>" in message
    assert f"(value <{KG}Whim>)" in message


def _shapes(extra: str) -> Graph:
    return Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/policykg/ontology#> .
        kg:S a sh:NodeShape ; sh:targetClass kg:Report ; """ + extra + " .", format="turtle")


@pytest.mark.parametrize("extra", [
    "sh:property [ sh:path kg:fileName ; sh:nodeKind sh:Literal ]",         # unsupported constraint
    "sh:property [ sh:path ( kg:report kg:fileName ) ; sh:minCount 1 ]",   # sequence path
    "sh:closed true",                                                       # node-level constraint
    "sh:targetNode kg:x",                                                   # other target
    "sh:property [ sh:path kg:fileName ; sh:uniqueLang 1 ]",                # not a boolean
    "sh:property [ sh:path kg:year ; sh:datatype <http://www.w3.org/2001/XMLSchema#duration> ]",
])
def test_a_shape_it_cannot_compile_fails_loudly(extra):
    with pytest.raises(UnsupportedShape):
        compile_shapes(_shapes(extra))


def test_every_constraint_of_the_real_shapes_is_compiled():
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    expected = 0
    for prop in shapes.objects(None, SH.property):
        for p in (SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH["in"], SH.pattern, SH.minLength,
                  SH.minInclusive, SH["or"]):
            expected += len(list(shapes.objects(prop, p)))
        expected += sum(flag.toPython() is True for flag in shapes.objects(prop, SH.uniqueLang))
    assert len(shape_validator().constraints) == expected


def test_a_report_graph_with_its_own_subclass_axioms_uses_them(tmp_path, wic2018):
    # a new actor class declared inside the data: SHACL follows rdfs:subClassOf in the data graph
    cls = "<https://w3id.org/policykg/ontology#Think_tank>"
    agent = re.search(rf"<{KG}agent> (<[^>]*>)", wic2018).group(1)
    graph = re.search(r" (<https://w3id\.org/policykg/id/graph/[^>]*>) \.$", wic2018, re.M).group(1)
    extra = (f"{cls} <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{KG}Actor> {graph} .\n"
             f"<https://w3id.org/policykg/actor/new-tank> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {cls} {graph} .\n")
    data = wic2018.replace(f"<{KG}agent> {agent}", f"<{KG}agent> <https://w3id.org/policykg/actor/new-tank>", 1) + extra
    assert shape_validator().violations(data) == []
    assert pyshacl_results(_rdflib(data)) == []


def test_validator_reads_the_shapes_of_the_ontology_folder(tmp_path, wic2018):
    onto = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, onto)
    shapes = (onto / "shapes.ttl").read_text(encoding="utf-8")
    (onto / "shapes.ttl").write_text(shapes.replace("sh:path kg:fileName ; sh:minCount 1", "sh:path kg:fileName ; sh:minCount 2"),
                                     encoding="utf-8")
    [v] = ShapeValidator(onto).violations(wic2018)
    assert (v.path, v.component) == (f"{KG}fileName", "MinCountConstraintComponent")


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")   # rdflib's note on the ill-typed "yes"
@pytest.mark.parametrize("datatype, lexical, conforms, pyshacl_lenient", [
    ("date", "2018-11-07", True, False), ("date", "2018-02-30", False, False), ("date", "2018-11-7", False, False),
    ("date", "2020-02-29Z", True, False), ("integer", "-12", True, False), ("integer", "1.5", False, False),
    ("nonNegativeInteger", "-1", False, False), ("decimal", "54.4", True, False), ("boolean", "yes", False, False),
    ("gYear", "2018", True, False),
    # XML Schema has no exponent in xsd:decimal and needs 4+ digit years; rdflib (so pySHACL) accepts both
    ("decimal", "5e3", False, True), ("gYear", "18", False, True),
])
def test_lexical_forms_are_checked_as_pyshacl_checks_them(tmp_path, datatype, lexical, conforms, pyshacl_lenient):
    # the compiled validator reads lexical forms itself (no store): its verdict follows XML Schema,
    # as pySHACL's does (the xfail cases: only where pySHACL is more lenient than XML Schema)
    onto = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, onto)
    (onto / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/policykg/ontology#> .\n"
        f"kg:S a sh:NodeShape ; sh:targetClass kg:Report ; sh:property [ sh:path kg:year ; "
        f"sh:datatype <{XSD}{datatype}> ] .\n", encoding="utf-8")
    data = (f"<urn:x:r> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Report> .\n"
            f"<urn:x:r> <{KG}year> \"{lexical}\"^^<{XSD}{datatype}> .\n")
    found = ShapeValidator(onto).violations(data)
    assert (found == []) is conforms
    from pyshacl import validate as pyshacl_validate
    verdict, _, _ = pyshacl_validate(Graph().parse(data=data, format="nt"),
                                     shacl_graph=Graph().parse(onto / "shapes.ttl"), inference="none")
    assert verdict is (conforms or pyshacl_lenient)
