"""`kg build` on the bundled reports: concrete facts, provenance, SHACL, determinism, committed output."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.export import FILES
from kg.pipeline import CORPUS_DIR
from kg.validate import violations
from kg.vocab import ACTOR, KG, NIF, SCHEMA, XSD

ROOT = Path(__file__).resolve().parent.parent


def test_build_writes_the_graph_files_views_and_store(built):
    names = {p.name for p in built.iterdir()}
    assert set(FILES) <= names
    views = {"graph-actors-topics.html", "graph-topics.html", "graph-compare.html", "graph-ego.html",
             "graph-report-wic-2017-internet-development-trends.html", "graph-report-wic-2018-wuzhen-outlook.html"}
    assert views <= names
    assert (built / "store" / "kg-store.json").is_file()
    # nothing else but the cache: no temporary or half-written file is left behind
    assert names - set(FILES) - views == {"store", ".cache"}


def test_un_and_itu_are_actors_with_both_labels(graph):
    un, itu = ACTOR["united-nations"], ACTOR["international-telecommunication-union"]
    assert (un, RDF.type, KG.InternationalOrganisation) in graph
    assert (un, KG.acronym, Literal("UN")) in graph
    assert (itu, SKOS.prefLabel, Literal("International Telecommunication Union", lang="en")) in graph
    assert (itu, KG.acronym, Literal("ITU")) in graph


def test_statistic_of_54_4_percent_with_its_sentence(graph):
    [st] = [s for s in graph.subjects(RDF.type, KG.Statistic) if float(graph.value(s, SCHEMA.value)) == 54.4]
    assert str(graph.value(st, SCHEMA.unitText)) == "percent"
    sentence = graph.value(st, KG.sentence)
    text = str(graph.value(sentence, NIF.anchorOf))
    assert text.startswith("By the end of June 2018, the global Internet penetration rate reached 54.4 percent")
    source = (CORPUS_DIR / "wic-2018-wuzhen-outlook.txt").read_text(encoding="utf-8")
    assert source[int(graph.value(st, NIF.beginIndex)):int(graph.value(st, NIF.endIndex))] == "54.4 percent"


def test_2018_commitment_of_the_international_community_on_the_digital_divide(graph):
    found = []
    for c in graph.subjects(RDF.type, KG.Commitment):
        if (c, KG.agent, ACTOR["international-community"]) in graph and \
           (c, KG.topic, URIRef("https://w3id.org/policykg/topic/digital-divide")) in graph:
            report = graph.value(graph.value(c, KG.sentence), KG.report)
            found.append((str(report), str(graph.value(c, KG.text))))
    assert ("https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook",
            "the international community should adopt more proactive policies to narrow the digital divide among countries, regions, and strata") in found


def test_every_sentence_slices_back_and_links_its_report(graph):
    sources = {}
    for r in graph.subjects(RDF.type, KG.Report):
        sources[r] = (CORPUS_DIR / str(graph.value(r, KG.fileName))).read_text(encoding="utf-8")
    sentences = list(graph.subjects(RDF.type, KG.Sentence))
    assert len(sentences) > 100
    for s in sentences:
        text = sources[graph.value(s, KG.report)]
        assert text[int(graph.value(s, NIF.beginIndex)):int(graph.value(s, NIF.endIndex))] == str(graph.value(s, NIF.anchorOf))


def test_every_extracted_item_links_to_a_sentence(graph):
    for cls in (KG.Commitment, KG.Statistic, KG.Mention, KG.ConferenceEdition, KG.Founding):
        items = list(graph.subjects(RDF.type, cls))
        assert items, cls
        for item in items:
            assert (graph.value(item, KG.sentence), RDF.type, KG.Sentence) in graph


def _named_graphs(path: Path, fmt: str) -> dict[str, Graph]:
    """The non-empty named graphs of a TriG or JSON-LD file, read by rdflib, each as a plain Graph."""
    ds = Dataset()
    ds.parse(path, format=fmt)
    graphs = {}
    for g in ds.graphs():
        if len(g):
            graphs[str(g.identifier)] = Graph()
            for t in g:
                graphs[str(g.identifier)].add(t)
    return graphs


def test_one_named_graph_per_report_and_each_conforms(built):
    graphs = _named_graphs(built / "graph.trig", "trig")
    names = sorted(graphs)
    assert names == ["https://w3id.org/policykg/id/graph/wic-2017-internet-development-trends",
                     "https://w3id.org/policykg/id/graph/wic-2018-wuzhen-outlook"]
    for name in names:
        assert violations(graphs[name]) == []


def test_merged_graph_conforms_to_the_shapes(graph):
    assert violations(graph) == []


def test_html_is_offline(built):
    html = (built / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)="https?://', html)
    assert "vis-network" in html or "vis.Network" in html


def test_build_twice_gives_byte_identical_files(tmp_path):
    """Also across hash seeds: a second process with another PYTHONHASHSEED."""
    env = dict(os.environ, PYTHONHASHSEED="12345")
    for out in (tmp_path / "a", tmp_path / "b"):
        subprocess.run([sys.executable, "-m", "kg", "build", "--out", str(out)], check=True, capture_output=True, env=env)
        env["PYTHONHASHSEED"] = "999"
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _committed(name: str) -> bytes | None:
    """output/NAME as committed: from git when this is a checkout (CI's first step rebuilds output/,
    so the working tree would always match), else the file."""
    done = subprocess.run(["git", "-C", str(ROOT), "show", f"HEAD:output/{name}"], capture_output=True)
    if done.returncode == 0:
        return done.stdout
    path = ROOT / "output" / name
    return path.read_bytes() if path.exists() else None


def test_committed_output_is_up_to_date(built):
    for name in sorted({*FILES, *(p.name for p in built.glob("*.html"))}):
        committed = _committed(name)
        assert committed is not None, f"output/{name} missing: run `kg build` and commit output/"
        assert committed == (built / name).read_bytes(), f"output/{name} is stale: run `kg build` and commit output/"


def test_query_commitments_table_shows_agents(built):
    done = subprocess.run([sys.executable, "-m", "kg", "query", "commitments", "--graph", str(built / "graph.ttl"), "--format", "table"],
                          capture_output=True, text=True, check=True)
    assert "international community" in done.stdout and "High-level Advisory Council" in done.stdout
    assert re.search(r"^\(\d+ rows\)$", done.stdout, re.M)


def test_jsonld_holds_the_same_named_graphs_as_trig_and_their_union_is_the_turtle(built):
    """graph.jsonld and graph.trig are assembled from separate fragments; read back by rdflib (not
    by Oxigraph, which wrote them) they hold the same report graphs, and those merged are graph.ttl."""
    from rdflib.compare import isomorphic

    trig = _named_graphs(built / "graph.trig", "trig")
    jsonld = _named_graphs(built / "graph.jsonld", "json-ld")
    report_2018 = "https://w3id.org/policykg/id/graph/wic-2018-wuzhen-outlook"
    assert sorted(jsonld) == sorted(trig) == ["https://w3id.org/policykg/id/graph/wic-2017-internet-development-trends",
                                              report_2018]
    for name in trig:
        assert isomorphic(jsonld[name], trig[name]), name
    # a concrete statement, so two empty or truncated files cannot agree: the 54.4 percent statistic
    assert any(o == Literal("54.4", datatype=XSD.decimal)
               for o in jsonld[report_2018].objects(None, SCHEMA.value))
    merged = Graph()
    for g in trig.values():
        for t in g:
            merged.add(t)
    turtle = Graph().parse(built / "graph.ttl", format="turtle")
    assert isomorphic(merged, turtle)
