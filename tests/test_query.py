"""`kg query`: formats, parameters bound safely, read-only, clear one-line errors, time limits; and
the store kg.store writes and opens."""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import OutputError, QueryError
from kg.query import answer, answer_within, default_source
from kg.store import MARKER, is_store, open_store, write_store

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=timeout)


def one_line_error(done: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def g(built) -> str:
    return str(built / "graph.ttl")


# ---------------------------------------------------------------- listing and formats

def test_list_shows_at_least_15_questions():
    done = kg("query", "--list")
    assert done.returncode == 0
    lines = dict(line.split(None, 1) for line in done.stdout.splitlines())
    assert len(lines) >= 15
    assert lines["commitments-by-topic"].startswith("Who is asked to act on a given topic")
    assert all(q.rstrip().endswith("?") for q in lines.values())


def test_table_is_aligned_and_wraps_long_text(g):
    done = kg("query", "commitments", "--graph", g)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    header, rule = lines[0], lines[1]
    assert header.split(" | ")[0].strip() == "report" and set(rule) <= {"-", "+"}
    bars = [i for i, ch in enumerate(rule) if ch == "+"]
    for line in lines[2:-1]:  # every row's column separators sit under the header's
        assert all(line[i] == "|" for i in bars if i < len(line)), line
    assert max(len(line) for line in lines) <= len(rule)
    assert lines[-1] == f"({len(csv_rows(g, 'commitments'))} rows)"
    # the long commitment text is wrapped onto continuation lines
    assert any(line.startswith(" " * 10) for line in lines[2:-1])


def test_table_states_bound_parameters_once(g):
    done = kg("query", "commitments-by-topic", "--graph", g, "--param", "topic=cybersecurity")
    lines = done.stdout.splitlines()
    assert lines[0].split(" | ")[-1].strip() == "text"  # no column repeating the parameter
    assert re.fullmatch(r"\(\d+ rows; topic = cybersecurity\)", lines[-1]), lines[-1]


def csv_rows(g: str, name: str, *extra: str) -> list[tuple]:
    done = kg("query", name, "--graph", g, "--format", "csv", *extra)
    assert done.returncode == 0, done.stderr
    return [tuple(r) for r in csv.reader(io.StringIO(done.stdout))][1:]


def test_csv_and_tsv_hold_the_same_rows(g):
    done = kg("query", "events", "--graph", g, "--format", "tsv")
    tsv = [tuple(line.split("\t")) for line in done.stdout.splitlines()]
    assert tsv[0][:3] == ("label", "place", "start")
    assert tsv[1:] == csv_rows(g, "events")
    assert tsv[1][:3] == ("4th World Internet Conference", "Wuzhen", "2017-12-03")


def test_json_is_w3c_sparql_results(g):
    done = kg("query", "reports", "--graph", g, "--format", "json")
    data = json.loads(done.stdout)
    assert data["head"]["vars"] == ["report", "year", "file", "author", "sentences", "commitments", "statistics"]
    first = data["results"]["bindings"][0]
    assert first["report"] == {"type": "literal", "value": "WIC 2017 Internet Development Trends"}
    assert first["sentences"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    # a language-tagged literal keeps its tag, an IRI is a uri
    done = kg("query", 'SELECT ?r ?t WHERE { ?r <http://purl.org/dc/terms/title> ?t } ORDER BY ?t LIMIT 1',
              "--graph", g, "--format", "json")
    row = json.loads(done.stdout)["results"]["bindings"][0]
    assert row["r"]["type"] == "uri" and row["t"]["xml:lang"] == "en"


def test_csv_and_json_are_the_sparql_standards_written_by_oxigraph(built):
    q = 'SELECT ?v ?n ?iri WHERE { VALUES (?v ?n ?iri) { ("a, \\"b\\"\\nc" 1 <http://example.org/x>) ("plain" UNDEF UNDEF) } }'
    text, status = answer(built / "graph.ttl", q, {}, "q", "csv")
    # SPARQL 1.1 CSV (RFC 4180): lines end CRLF, a value with a comma, quote or line break is quoted
    assert (text, status) == ('v,n,iri\r\n"a, ""b""\nc",1,http://example.org/x\r\nplain,,\r\n', 0)
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["v", "n", "iri"], ['a, "b"\nc', "1", "http://example.org/x"], ["plain", "", ""]]
    text, status = answer(built / "graph.ttl", q, {}, "q", "json")
    assert text.endswith("}\n") and status == 0
    assert json.loads(text) == {"head": {"vars": ["v", "n", "iri"]}, "results": {"bindings": [
        {"v": {"type": "literal", "value": 'a, "b"\nc'},
         "n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
         "iri": {"type": "uri", "value": "http://example.org/x"}},
        {"v": {"type": "literal", "value": "plain"}}]}}
    # TSV stays plain values, as in the CSV, one line each
    text, _ = answer(built / "graph.ttl", q.replace("a, \\\"b\\\"\\nc", "a b"), {}, "q", "tsv")
    assert text == "v\tn\tiri\na b\t1\thttp://example.org/x\nplain\t\t\n"


def test_an_error_while_the_answer_is_written_is_one_line(g):
    # Oxigraph evaluates lazily: a SERVICE call fails only once the solutions are read
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    for fmt in ("json", "csv", "table"):
        one_line_error(kg("query", q, "--graph", g, "--format", fmt), 4, "inline: query failed")


def test_construct_gives_turtle(g):
    q = ('CONSTRUCT { ?r <http://purl.org/dc/terms/title> ?t } WHERE { ?r <http://purl.org/dc/terms/title> ?t }')
    done = kg("query", q, "--graph", g)
    assert done.returncode == 0
    triples = list(ox.parse(done.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert {t.object.value for t in triples} >= {"WIC 2017 Internet Development Trends", "Wuzhen Outlook 2018"}
    assert "@prefix" in done.stdout


def test_ask_prints_true_or_false_with_exit_status(g):
    yes = kg("query", "ASK { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> \"cybersecurity\"@en }", "--graph", g)
    assert (yes.returncode, yes.stdout) == (0, "true\n")
    no = kg("query", "ASK { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> \"no such topic\"@en }", "--graph", g)
    assert (no.returncode, no.stdout) == (1, "false\n")


def test_select_cannot_be_turtle(g):
    one_line_error(kg("query", "actors", "--graph", g, "--format", "turtle"), 2, "only CONSTRUCT and DESCRIBE")


# ---------------------------------------------------------------- parameters

def test_commitments_by_topic_cybersecurity_lists_both_reports_with_agents(g):
    rows = csv_rows(g, "commitments-by-topic", "--param", "topic=cybersecurity")
    assert {(r[0], r[1]) for r in rows} >= {("WIC 2017 Internet Development Trends", "governments"),
                                           ("Wuzhen Outlook 2018", "international community")}


def test_trend_shows_topics_new_in_2018(g):
    rows = csv_rows(g, "topic-trend", "--param", "from=2017", "--param", "to=2018")
    new = {r[0] for r in rows if r[3] == "new"}
    assert "data security" in new and all(r[1] == "0" for r in rows if r[3] == "new")


@pytest.mark.parametrize("evil", [
    'x" } ; DROP ALL #',
    'cybersecurity")) } UNION { ?t ?p ?o } #',
    "x' . ?s ?p ?o . FILTER('1'='1",
])
def test_injection_attempts_are_bound_as_literals(g, evil):
    # the named query finds no topic of that name: no rows, nothing else happens
    done = kg("query", "commitments-by-topic", "--graph", g, "--param", f"topic={evil}", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"] == []
    # and the value reaches the query whole, as one literal
    echo = kg("query", "SELECT ?v (STRLEN(?v) AS ?n) WHERE {}", "--graph", g, "--param", f"v={evil}", "--format", "json")
    [row] = json.loads(echo.stdout)["results"]["bindings"]
    assert row["v"] == {"type": "literal", "value": evil} and row["n"]["value"] == str(len(evil))


def test_param_given_as_iri_is_an_iri_and_a_broken_iri_is_refused(g):
    item = "<https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook/commitment/1>"
    rows = csv_rows(g, "evidence", "--param", f"item={item}")
    assert rows[0][2] == "wic-2018-wuzhen-outlook.txt"
    one_line_error(kg("query", "evidence", "--graph", g, "--param", "item=<x> } DROP ALL <y>"), 2, "--param item", "not a valid IRI")


def test_param_errors(g):
    one_line_error(kg("query", "actors", "--graph", g, "--param", "nosuch=1"), 2, "--param nosuch", "no variable ?nosuch")
    one_line_error(kg("query", "actors", "--graph", g, "--param", "novalue"), 2, "expected NAME=VALUE")
    one_line_error(kg("query", "SELECT ?s WHERE { ?s ?p ?v }", "--graph", g, "--param", "v=1"), 2, "list ?v among the SELECT columns")


# ---------------------------------------------------------------- errors

def test_syntax_error_reports_line_column_and_text(g):
    q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?t WHERE {\n  ?t skos:prefLabel ?l .\n  FILTER (?l = ) }"
    message = one_line_error(kg("query", q, "--graph", g), 4, "syntax error", "line 4, column", "FILTER (?l = ) }")
    assert "Traceback" not in message


def test_unknown_query_name_suggests_close_names(g):
    one_line_error(kg("query", "commitments-by-topci", "--graph", g), 4, "unknown query 'commitments-by-topci'",
                   "did you mean commitments-by-topic")
    one_line_error(kg("query", "zzzz", "--graph", g), 4, "kg query --list")


@pytest.mark.parametrize("update", [
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "PREFIX ex: <http://example.org/#>\n# wipe it\nDROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/data.ttl>",
])
def test_updates_are_refused(built, tmp_path, update):
    store = tmp_path / "store"
    write_store(store, ox.serialize(open_store(built / "graph.trig"), format=ox.RdfFormat.N_QUADS))
    before = len(open_store(store))
    one_line_error(kg("query", update, "--graph", str(store)), 4, "update operations are refused", "read-only")
    assert len(open_store(store)) == before


def test_graph_missing_or_not_rdf(tmp_path, g):
    one_line_error(kg("query", "actors", "--graph", str(tmp_path / "none.ttl")), 4, "none.ttl", "not found")
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    one_line_error(kg("query", "actors", "--graph", str(text)), 4, "notes.txt", "not an RDF file")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    one_line_error(kg("query", "actors", "--graph", str(broken)), 4, "broken.ttl", "not valid Turtle")
    one_line_error(kg("query", "actors", "--graph", str(tmp_path)), 4, "not a kg store folder")


def test_a_long_query_stops_at_the_timeout(g):
    started = time.monotonic()
    done = kg("query", SLOW_QUERY, "--graph", g, "--timeout", "1")
    elapsed = time.monotonic() - started
    one_line_error(done, 4, "stopped after 1 s (--timeout)")
    assert elapsed < 15, elapsed


def test_timeout_leaves_no_child_process(built):
    with pytest.raises(QueryError, match="stopped after 0.5 s"):
        answer_within(0.5, built / "graph.ttl", SLOW_QUERY, {}, "slow", "json")
    assert multiprocessing.active_children() == []
    # within the limit, the answer is the same as without one
    fast = answer_within(30, built / "graph.ttl", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }", {}, "count", "csv")
    assert fast == answer_within(None, built / "graph.ttl", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }", {}, "count", "csv")
    assert multiprocessing.active_children() == []


def test_errors_raised_in_the_child_keep_their_kind(built):
    with pytest.raises(QueryError, match="syntax error at line 1"):
        answer_within(10, built / "graph.ttl", "SELECT ?x WHERE { ?x }", {}, "bad", "json")


# ---------------------------------------------------------------- the store

def quads_of(path: Path) -> set[str]:
    return {str(q) for q in open_store(path)}


def test_write_store_replaces_the_store_whole(built, tmp_path):
    nquads = ox.serialize(open_store(built / "graph.trig"), format=ox.RdfFormat.N_QUADS)
    location = tmp_path / "out" / "store"
    write_store(location, nquads)
    assert is_store(location)
    marker = json.loads((location / MARKER).read_text(encoding="utf-8"))
    assert marker["named_graphs"] == 2
    assert quads_of(location) == quads_of(built / "graph.trig")
    # a second write replaces everything: nothing of the first store survives
    write_store(location, '<http://example.org/a> <http://example.org/b> "c" <http://example.org/g> .\n')
    assert quads_of(location) == {'<http://example.org/a> <http://example.org/b> "c" <http://example.org/g>'}
    assert sorted(p.name for p in location.parent.iterdir()) == ["store"]  # no temporary folder left


def test_write_store_keeps_the_previous_store_when_the_quads_are_bad(tmp_path):
    location = tmp_path / "store"
    write_store(location, '<http://example.org/a> <http://example.org/b> "c" <http://example.org/g> .\n')
    with pytest.raises(OutputError, match="do not parse"):
        write_store(location, "<http://example.org/a> this is not N-Quads\n")
    assert len(open_store(location)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_query_reads_the_store_folder(built, tmp_path):
    location = tmp_path / "store"
    write_store(location, ox.serialize(open_store(built / "graph.trig"), format=ox.RdfFormat.N_QUADS))
    from_store = kg("query", "commitments", "--graph", str(location), "--format", "csv")
    from_file = kg("query", "commitments", "--graph", str(built / "graph.ttl"), "--format", "csv")
    assert from_store.returncode == 0 and from_store.stdout == from_file.stdout


def test_default_source_is_the_store_only_when_it_is_current(built, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_bytes((built / "graph.ttl").read_bytes())
    assert default_source(out) == out / "graph.ttl"  # no store yet
    write_store(out / "store", ox.serialize(open_store(built / "graph.trig"), format=ox.RdfFormat.N_QUADS))
    os.utime(out / "graph.ttl", (time.time() - 60, time.time() - 60))
    assert default_source(out) == out / "store"
    os.utime(out / "graph.ttl", None)  # graph.ttl rewritten after the store: the store is stale
    os.utime(out / "store" / MARKER, (time.time() - 60, time.time() - 60))
    assert default_source(out) == out / "graph.ttl"
