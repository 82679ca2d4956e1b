"""The command line: one-line errors with distinct exit statuses, and output left intact on failure."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True)


def _one_line_error(done: subprocess.CompletedProcess, code: int, needle: str) -> None:
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:") and needle in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_missing_path(tmp_path):
    _one_line_error(kg("build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")), 3, "no such file")


def test_binary_file_named_directly(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x00\xff\x00\xfe" * 10)
    _one_line_error(kg("build", str(p), "--out", str(tmp_path / "o")), 3, "binary")


def test_failed_build_leaves_previous_output_unchanged(built, copy_output, tmp_path):
    out = copy_output(built)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    _one_line_error(kg("build", str(empty), "--out", str(out)), 3, "empty file")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_folder(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    _one_line_error(kg("build", "--out", str(out)), 5, "not writable")


def test_query_syntax_error_names_line_and_column(built):
    done = kg("query", "SELECT ?x WHERE { ?x ?y }}", "--graph", str(built / "graph.ttl"))
    _one_line_error(done, 4, "syntax error")


def test_unknown_query_suggests_close_names(built):
    _one_line_error(kg("query", "comitments", "--graph", str(built / "graph.ttl")), 4, "did you mean commitments")


def test_update_is_refused(built):
    _one_line_error(kg("query", "DELETE WHERE { ?s ?p ?o }", "--graph", str(built / "graph.ttl")), 4, "read-only")


def test_missing_graph(tmp_path):
    _one_line_error(kg("query", "actors", "--graph", str(tmp_path / "none.ttl")), 4, "not found")


def test_param_is_bound_as_a_literal_not_spliced(built):
    q = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
         'SELECT DISTINCT ?a ?name WHERE { ?a skos:prefLabel ?l FILTER(STR(?l) = ?name) }')
    ok = kg("query", q, "--graph", str(built / "graph.ttl"), "--param", "name=United Nations", "--format", "json")
    assert [b["a"]["value"] for b in json.loads(ok.stdout)["results"]["bindings"]] == ["https://w3id.org/policykg/actor/united-nations"]
    evil = kg("query", q, "--graph", str(built / "graph.ttl"), "--param", 'name=x") || true || ("', "--format", "json")
    assert evil.returncode == 0 and json.loads(evil.stdout)["results"]["bindings"] == []


def test_json_is_sparql_results_format(built):
    done = kg("query", "events", "--graph", str(built / "graph.ttl"), "--format", "json")
    data = json.loads(done.stdout)
    assert "label" in data["head"]["vars"]
    starts = sorted(b["start"]["value"] for b in data["results"]["bindings"])
    assert starts == ["2017-12-03", "2018-11-07", "2022-07-12"]


def test_list_shows_every_named_query():
    done = kg("query", "--list")
    names = {line.split()[0] for line in done.stdout.splitlines()}
    assert {"commitments", "actors", "topics", "statistics", "events"} <= names
    assert all(len(line.split(None, 1)) == 2 for line in done.stdout.splitlines())


def test_ask_sets_the_exit_status(built):
    g = str(built / "graph.ttl")
    assert kg("query", "ASK { ?s ?p ?o }", "--graph", g).returncode == 0
    no = kg("query", "ASK { <http://example.org/none> ?p ?o }", "--graph", g)
    assert no.returncode == 1 and no.stdout.strip() == "false"


def test_viz_from_a_graph_file(built, tmp_path):
    out = tmp_path / "v.html"
    done = kg("viz", "--graph", str(built / "graph.ttl"), "--out", str(out))
    assert done.returncode == 0 and out.read_text(encoding="utf-8").count("<html") == 1


def test_python_dash_m_and_console_script_agree():
    assert Path(sys.executable).exists()
    assert kg("--help").returncode == 0
