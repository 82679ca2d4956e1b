"""Many reports at once (the benchmark's corpus, small): every copy stays a distinct report, the
store and graph.ttl hold each statement once however many reports describe the same actor or
topic, and the union the queries see does not grow with the number of reports."""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.pipeline import build
from kg.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from corpus import SOURCES, make_corpus  # noqa: E402

UN = "https://w3id.org/policykg/actor/united-nations"


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("six")
    paths = make_corpus(6, tmp / "corpus")
    summary = build([tmp / "corpus"], tmp / "out", jobs=2)
    return paths, tmp / "out", summary


def test_every_copy_is_its_own_report_with_its_own_title_and_year(six):
    paths, out, summary = six
    assert summary.reports == 6 and summary.extracted == sorted(p.stem for p in paths)
    store = open_store(out / "store")
    rows = store.query("""PREFIX kg: <https://w3id.org/policykg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?r ?year (GROUP_CONCAT(?title; separator=" | ") AS ?titles)
        WHERE { ?r a kg:Report ; dcterms:title ?title ; kg:year ?year } GROUP BY ?r ?year ORDER BY ?year""",
                       use_default_graph_as_union=True)
    found = [(r["year"].value, r["titles"].value) for r in rows]
    assert [y for y, _ in found] == [str(1990 + i) for i in range(6)]
    assert all(f"Benchmark Report {i + 1} of {1990 + i}: " in t for i, (_, t) in enumerate(found))
    assert len(SOURCES) == 3   # two bundled reports and the G20 declaration: each used twice


def test_a_copy_has_one_title_per_language_so_listings_have_one_row_per_commitment(six):
    """Each copy opens with its own title line above the report's: that line is the title, the
    report's own title lines are alternative titles, and a listing joined on the report's title
    gives each commitment (with each agent) once, not once per title line."""
    from kg.query import named_queries, run_query

    _, out, _ = six
    store = open_store(out / "store")
    q = """PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?title ?alternative WHERE { ?r dcterms:title ?title FILTER (lang(?title) = "en")
        OPTIONAL { ?r dcterms:alternative ?alternative } FILTER (CONTAINS(STR(?r), "wic-2018"))} ORDER BY ?title"""
    rows = [(r["title"].value, r["alternative"].value) for r in store.query(q, use_default_graph_as_union=True)]
    assert rows == [("Benchmark Report 2 of 1991: Wic 2018 Wuzhen Outlook", "Wuzhen Outlook 2018"),
                    ("Benchmark Report 5 of 1994: Wic 2018 Wuzhen Outlook", "Wuzhen Outlook 2018")]
    listing = run_query(store, named_queries()["commitments"].text, {}, "commitments").values()
    pairs = """PREFIX kg: <https://w3id.org/policykg/ontology#>
        SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Commitment OPTIONAL { ?c kg:agent ?a } }"""
    assert len(listing) == int(next(iter(store.query(pairs, use_default_graph_as_union=True)))["n"].value)
    assert len({(r["sentence"], r["text"], r.get("agent")) for r in listing}) == len(listing)


def test_shared_statements_are_stored_once_whatever_the_number_of_reports(six):
    _, out, summary = six
    store = open_store(out / "store")
    labels = list(store.query(f"SELECT ?l WHERE {{ <{UN}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}",
                              use_default_graph_as_union=True))
    assert [r["l"].value for r in labels] == ["United Nations"]
    mentioned_in = list(store.query(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?m <https://w3id.org/policykg/ontology#refersTo> <{UN}> }} }}"""))
    assert len(mentioned_in) >= 4     # several reports mention the UN, one description serves them all
    quads = list(store)
    assert len(quads) == len({q.triple for q in quads}) == summary.triples
    ttl = list(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(ttl) == len(set(ttl)) == summary.triples


def test_trig_keeps_each_report_graph_self_contained(six):
    _, out, _ = six
    ds = ox.Store()
    ds.load(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
    graphs = {g.value for g in ds.named_graphs()}
    assert len(graphs) == 6
    for g in graphs:
        # the UN is described inside every report graph that mentions it
        mentions = ds.query(f"ASK {{ GRAPH <{g}> {{ ?m <https://w3id.org/policykg/ontology#refersTo> <{UN}> }} }}")
        described = ds.query(f"ASK {{ GRAPH <{g}> {{ <{UN}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} }}")
        assert bool(mentions) == bool(described), g
