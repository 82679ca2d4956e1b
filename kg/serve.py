"""A SPARQL 1.1 Protocol endpoint over the built graph: the Oxigraph server (PyPI package
`oxigraph`, command `oxigraph serve-read-only`) run as a child process on a store under output/.

The server answers SPARQL queries at /query (and /sparql) over HTTP GET and POST, refuses updates
(it opens the store read-only) and serves the YASGUI query page at / from its own files. Its
default graph is the union of the report graphs (`--union-default-graph`).

`publish` pushes a graph to any SPARQL 1.1 Graph Store (Oxigraph, Fuseki, GraphDB …), one named
graph per report, with HTTP PUT.
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import OutputError, QueryError, UsageError
from .store import is_store, open_store, write_store

SERVE_STORE = "serve-store"  # under the output folder: the store made from a --graph file
SOURCE_STAMP = ".source.json"  # beside it: which file it was made from, to reuse it while unchanged


def oxigraph_command() -> str:
    """The `oxigraph` executable: the one installed beside this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise OutputError("the `oxigraph` server command is not installed (pip install oxigraph)")
    return found


def store_for(source: Path, out_dir: Path) -> Path:
    """An on-disk store holding `source`: the store folder itself, or `out_dir/serve-store` loaded
    from the graph file (kept while the file is unchanged)."""
    source = Path(source)
    if source.is_dir():
        if not is_store(source):
            raise QueryError(f"{source}: not a kg store folder; pass a graph file or run `kg build`")
        return source
    if not source.is_file():
        raise QueryError(f"{source}: graph file not found (run `kg build` first, or pass --graph)")
    location = out_dir / SERVE_STORE
    info = source.stat()
    stamp = {"source": str(source.resolve()), "size": info.st_size, "mtime_ns": info.st_mtime_ns}
    stamp_path = out_dir / (SERVE_STORE + SOURCE_STAMP)
    try:
        if is_store(location) and json.loads(stamp_path.read_text(encoding="utf-8")) == stamp:
            return location
    except (OSError, ValueError):
        pass
    import pyoxigraph as ox

    nquads = ox.serialize(open_store(source), format=ox.RdfFormat.N_QUADS)
    write_store(location, nquads)
    try:
        stamp_path.write_text(json.dumps(stamp, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as e:
        raise OutputError(f"{stamp_path}: cannot write ({e.strerror or e})") from e
    return location


def default_store(out_dir: Path) -> Path:
    """The store `kg serve` uses without --graph: the build's `out_dir/store` when it is current
    (as for `kg query`), else a store made from `out_dir/graph.ttl`."""
    from .query import default_source

    return store_for(default_source(out_dir), out_dir)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    # Linux: the server gets SIGTERM when kg dies, even by SIGKILL, so it is never left behind
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Endpoint:
    """The Oxigraph server on a store, bound to host:port; a context manager that stops it.

    `start()` returns once the server answers HTTP (or raises OutputError); `url` is its base URL,
    `query_url` the SPARQL endpoint."""

    def __init__(self, store: Path, host: str = "127.0.0.1", port: int | None = None, timeout_s: int | None = None):
        self.store, self.host = Path(store), host
        self.port = port or free_port(host)
        self.timeout_s = timeout_s
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def start(self, wait: float = 30.0) -> str:
        """Start the server and wait until it answers; returns the URL."""
        try:  # a server already on that port would answer our readiness check in its place
            with socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET) as s:
                s.bind((self.host, self.port))
        except OSError as e:
            raise OutputError(f"the SPARQL server on {self.host}:{self.port} did not start: cannot listen there "
                              f"({e.strerror or e}); choose another --port or leave it out for a free one") from e
        cmd = [oxigraph_command(), "serve-read-only", "--location", str(self.store),
               "--bind", f"{self.host}:{self.port}", "--union-default-graph"]
        if self.timeout_s:
            cmd += ["--timeout-s", str(self.timeout_s)]
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode("utf-8", "replace").strip().splitlines()
                reason = next((line for line in err if line.startswith("Error")), err[0] if err else "no message")
                self.process = None
                raise OutputError(f"the SPARQL server on {self.host}:{self.port} did not start: {reason}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as r:
                    if r.status == 200 and self.process.poll() is None:
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.1)
        self.stop()
        raise OutputError(f"the SPARQL server on {self.host}:{self.port} did not answer within {wait:g} s")

    def wait(self) -> int:
        """Block until the server exits; its exit status.

        It wakes every half second: a Ctrl-C (or SIGTERM) the kernel delivers to another thread
        of this process (RocksDB's background threads outlive the store that started them) is
        acted on only when the main thread runs Python again, which one long wait for the child
        never lets it do; `kg serve` then ignored Ctrl-C until it was killed."""
        assert self.process is not None
        while True:
            try:
                return self.process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s) and reap it."""
        p, self.process = self.process, None
        if p is None:
            return
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p.stderr:
            p.stderr.close()

    def __enter__(self) -> "Endpoint":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def publish(source: Path, endpoint: str, timeout: float = 60.0) -> list[str]:
    """PUT each report graph of `source` (a store folder or graph file) to a SPARQL 1.1 Graph Store
    at `endpoint` (e.g. http://localhost:7878/store) as the named graph of the same IRI; triples
    outside any named graph go to the default graph. Returns the graph IRIs written."""
    import pyoxigraph as ox

    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise UsageError(f"--endpoint {endpoint}: give the Graph Store's http(s) URL")
    store = open_store(Path(source))
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    targets = [(g, f"graph={urllib.parse.quote(g.value, safe='')}") for g in graphs]
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        targets.append((ox.DefaultGraph(), "default"))
    written = []
    sep = "&" if parsed.query else "?"
    for graph, query in targets:
        triples = (q.triple for q in store.quads_for_pattern(None, None, None, graph))
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        request = urllib.request.Request(f"{endpoint}{sep}{query}", data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                r.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            raise OutputError(f"{endpoint}: the Graph Store refused {graph}: HTTP {e.code} "
                              f"{detail[0][:200] if detail else e.reason}") from e
        except (urllib.error.URLError, OSError) as e:
            raise OutputError(f"{endpoint}: cannot reach the Graph Store ({getattr(e, 'reason', e)})") from e
        written.append(graph.value if isinstance(graph, ox.NamedNode) else "default graph")
    return written
