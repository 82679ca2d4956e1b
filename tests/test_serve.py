"""`kg serve`: a real SPARQL 1.1 endpoint (the Oxigraph server) queried by real clients, and
`kg publish` to a Graph Store. Every server is started by a fixture whose finalizer stops it and
checks that no process is left behind."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.serve import free_port, oxigraph_command

SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
GRAPHS = ("https://w3id.org/policykg/id/graph/wic-2017-internet-development-trends",
          "https://w3id.org/policykg/id/graph/wic-2018-wuzhen-outlook")


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


class Served:
    """`kg serve` running as a child of the test, with its URL and its server's process id."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen([sys.executable, "-m", "kg", "serve", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()  # printed once the server answers
        found = re.search(r"SPARQL endpoint: (http://\S+)/query", line)
        if not found:
            self.process.kill()
            raise AssertionError(f"kg serve printed {line!r}; stderr: {self.process.stderr.read()}")
        self.url = found.group(1)
        self.server_pids = children_of(self.process.pid)

    def stop(self, sig: int = signal.SIGINT) -> subprocess.CompletedProcess:
        self.process.send_signal(sig)
        try:
            out, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        for pid in self.server_pids:  # the Oxigraph server goes with it
            deadline = time.monotonic() + 10
            while alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    s = Served("--graph", str(built / "graph.trig"), "--port", str(free_port()),
               "--out", str(tmp_path_factory.mktemp("serve")))
    yield s
    done = s.stop()
    assert done.returncode == 0 and "SPARQL server stopped" in done.stderr, done.stderr
    assert s.server_pids and not any(alive(pid) for pid in s.server_pids), "the Oxigraph server was left running"


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def test_sparqlwrapper_select_and_ask(served):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(served.url + "/query")
    client.setReturnFormat(JSON)
    client.setQuery(SKOS + 'SELECT DISTINCT ?a WHERE { ?a skos:prefLabel "United Nations"@en }')
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [r["a"]["value"] for r in rows] == ["https://w3id.org/policykg/actor/united-nations"]
    client.setQuery(SKOS + 'ASK { ?t skos:prefLabel "cybersecurity"@en }')
    assert client.queryAndConvert()["boolean"] is True


def test_named_query_text_runs_on_the_endpoint_like_kg_query(served, built):
    """The library's own question, sent over HTTP, gives the rows `kg query` gives."""
    from kg.query import named_queries

    text = named_queries()["reports"].text
    status, ctype, body = http(served.url + "/query?" + urllib.parse.urlencode({"query": text}),
                               headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    over_http = [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]
    local = subprocess.run([sys.executable, "-m", "kg", "query", "reports", "--graph", str(built / "graph.trig"),
                            "--format", "json"], capture_output=True, text=True)
    assert over_http == [{k: v["value"] for k, v in b.items()} for b in json.loads(local.stdout)["results"]["bindings"]]
    assert [r["file"] for r in over_http] == ["wic-2017-internet-development-trends.txt", "wic-2018-wuzhen-outlook.txt"]


def test_plain_http_get_and_post_json_and_csv(served):
    query = SKOS + 'SELECT DISTINCT ?label WHERE { ?t skos:prefLabel ?l ; skos:broader/skos:prefLabel "cybersecurity"@en . BIND (STR(?l) AS ?label) } ORDER BY ?label'
    status, ctype, body = http(served.url + "/query?" + urllib.parse.urlencode({"query": query}),
                               headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    labels = [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert "cybercrime" in labels and labels == sorted(labels)
    # POST, form-encoded, CSV results
    status, ctype, body = http(served.url + "/query", data=urllib.parse.urlencode({"query": query}).encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["label"] and [r[0] for r in rows[1:]] == labels
    # POST, the query as the body
    status, _, body = http(served.url + "/query", data=query.encode(),
                           headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert status == 200 and [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]] == labels


def test_union_default_graph_and_named_graphs(served):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    _, _, body = http(served.url + "/query?" + urllib.parse.urlencode({"query": query}),
                      headers={"Accept": "application/sparql-results+json"})
    assert tuple(b["g"]["value"] for b in json.loads(body)["results"]["bindings"]) == GRAPHS


def test_updates_are_refused(served):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    status, _, body = http(served.url + "/update", data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    client = SPARQLWrapper(served.url + "/query", updateEndpoint=served.url + "/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    status, _, body = http(served.url + "/query?" + urllib.parse.urlencode({"query": "ASK { <http://example.org/a> ?p ?o }"}),
                           headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["boolean"] is False


def test_query_page_is_served_from_the_endpoint_itself(served):
    status, ctype, body = http(served.url + "/")
    assert status == 200 and ctype.startswith("text/html")
    html = body.decode("utf-8")
    assert "Yasgui" in html
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(not re.match(r"(?:https?:)?//", r) for r in refs), refs  # nothing from a CDN
    for ref in refs:
        status, _, content = http(urllib.parse.urljoin(served.url + "/", ref))
        assert status == 200 and len(content) > 1000, ref


def test_query_page_loads_in_a_browser_without_network(served):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    chromium = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("KG_REQUIRE_BROWSER") == "1":
            pytest.fail("no Chromium, and KG_REQUIRE_BROWSER=1 requires the browser tests to run")
        pytest.skip("no Chromium found (apt-get install chromium)")
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(served.url):
            r.continue_()
        else:  # the network beyond this machine's endpoint
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.route("**/*", route)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(served.url + "/", wait_until="load")
            page.wait_for_selector(".yasqe .CodeMirror", timeout=15000)  # the query editor is up
            page.wait_for_selector(".yasgui .tabsList", timeout=15000)
            page.click(".yasqe_queryButton")  # run the page's default query against the endpoint
            page.wait_for_selector(".yasr table", timeout=15000)
            assert "https://w3id.org/policykg/" in page.inner_text(".yasr")
            assert errors == []
            # what YASGUI asks of the network beyond the endpoint is optional (prefix and
            # vocabulary autocompletion) and the page works without it
            assert all(re.match(r"https?://(prefix\.cc|lov\.linkeddata\.es)/", u) for u in blocked), blocked
        finally:
            browser.close()


def test_port_already_in_use_is_one_line_error(served, tmp_path, built):
    port = urllib.parse.urlsplit(served.url).port
    done = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(built / "graph.trig"), "--port", str(port),
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 5, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: the SPARQL server on 127.0.0.1") and "did not start" in lines[0]


def test_serve_without_a_graph_reports_it(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(tmp_path / "none.ttl")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 4 and done.stderr.startswith("kg: error: ") and "not found" in done.stderr


def test_sigterm_and_sigkill_leave_no_server_behind(built, tmp_path):
    term = Served("--graph", str(built / "graph.trig"), "--port", str(free_port()), "--out", str(tmp_path))
    done = term.stop(signal.SIGTERM)
    assert done.returncode == 0 and not any(alive(pid) for pid in term.server_pids)
    killed = Served("--graph", str(built / "graph.trig"), "--port", str(free_port()), "--out", str(tmp_path))
    killed.stop(signal.SIGKILL)  # kg cannot clean up: the server must still go (parent-death signal)
    assert killed.server_pids and not any(alive(pid) for pid in killed.server_pids)


@pytest.fixture
def graph_store(tmp_path):
    """A read-write Oxigraph server on an empty store: a SPARQL 1.1 Graph Store to publish to."""
    port = free_port()
    process = subprocess.Popen([oxigraph_command(), "serve", "--location", str(tmp_path / "gs"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_publish_puts_one_named_graph_per_report(graph_store, built):
    done = subprocess.run([sys.executable, "-m", "kg", "publish", "--endpoint", graph_store + "/store",
                           "--graph", str(built / "graph.trig")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"published {g}" for g in GRAPHS]
    query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a <https://w3id.org/policykg/ontology#Commitment> } } "
             "GROUP BY ?g ORDER BY ?g")
    _, _, body = http(graph_store + "/query?" + urllib.parse.urlencode({"query": query}),
                      headers={"Accept": "application/sparql-results+json"})
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}
    local = subprocess.run([sys.executable, "-m", "kg", "query", "reports", "--graph", str(built / "graph.trig"),
                            "--format", "json"], capture_output=True, text=True)
    expected = [int(b["commitments"]["value"]) for b in json.loads(local.stdout)["results"]["bindings"]]
    assert [counts[g] for g in GRAPHS] == expected
    # publishing again replaces the graphs rather than adding to them
    again = subprocess.run([sys.executable, "-m", "kg", "publish", "--endpoint", graph_store + "/store",
                            "--graph", str(built / "graph.trig")], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0
    _, _, body = http(graph_store + "/query?" + urllib.parse.urlencode({"query": query}),
                      headers={"Accept": "application/sparql-results+json"})
    assert {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]} == counts


def test_publish_to_nowhere_is_one_line_error(built):
    port = free_port()
    done = subprocess.run([sys.executable, "-m", "kg", "publish", "--endpoint", f"http://127.0.0.1:{port}/store",
                           "--graph", str(built / "graph.trig")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 5 and "cannot reach the Graph Store" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_ctrl_c_delivered_to_another_thread_still_ends_the_wait_for_the_server():
    """The kernel may hand a process's SIGINT to any of its threads (kg serve has RocksDB's); the
    wait for the server must still end with KeyboardInterrupt soon, not when the server exits."""
    script = """
import signal, subprocess, sys, threading, time
from kg.serve import Endpoint
endpoint = Endpoint("unused", port=1)
endpoint.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
def interrupt_this_thread():
    time.sleep(0.5)
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)
threading.Thread(target=interrupt_this_thread).start()
started = time.monotonic()
try:
    endpoint.wait()
    print("the server exited")
except KeyboardInterrupt:
    print(f"interrupted after {time.monotonic() - started:.1f} s")
finally:
    endpoint.process.kill()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=90)
    found = re.search(r"interrupted after ([\d.]+) s", done.stdout)
    assert found, done.stdout + done.stderr
    assert float(found.group(1)) < 5
