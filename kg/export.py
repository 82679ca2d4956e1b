"""Stage 6, export: write the graph files, all or nothing.

Every file is written to a temporary file in the output folder and renamed into place only when
all of them were written, so a failed or interrupted build leaves the previous output intact.
Output is deterministic: report graphs in IRI order, JSON-LD keys and nodes sorted.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import OutputError
from .to_rdf import new_graph
from .vocab import PREFIXES

FILES = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html")


def check_writable(out_dir: Path) -> None:
    """Fail early, before any work, when `out_dir` cannot be created or written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out_dir}: cannot create the output folder ({e.strerror or e})") from e
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError(f"{out_dir}: output folder is not writable")


def merged(graphs: list[Graph]) -> Graph:
    """All report graphs as one graph (the union of their triples)."""
    g = new_graph()
    for part in graphs:
        for t in part:
            g.add(t)
    return g


def _turtle_body(g: Graph) -> str:
    text = g.serialize(format="turtle")
    return "\n".join(line for line in text.splitlines() if not line.startswith("@prefix")).strip("\n")


def trig(graphs: list[Graph]) -> str:
    """TriG text: one GRAPH block per report, in IRI order."""
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    blocks = []
    for g in sorted(graphs, key=lambda g: str(g.identifier)):
        body = "\n".join("    " + line if line else "" for line in _turtle_body(g).splitlines())
        blocks.append(f"<{g.identifier}> {{\n{body}\n}}\n")
    return head + "\n" + "\n".join(blocks)


def jsonld(graphs: list[Graph]) -> str:
    """JSON-LD of the dataset (one named graph per report), compacted with our prefixes, sorted."""
    ds = Dataset()
    for g in graphs:
        target = ds.graph(g.identifier)
        for t in g:
            target.add(t)
    context = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    data = json.loads(ds.serialize(format="json-ld", context=context))

    def key(node):
        return node.get("@id", "") if isinstance(node, dict) else str(node)

    def tidy(value):
        if isinstance(value, list):
            return sorted((tidy(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        if isinstance(value, dict):
            return {k: tidy(v) for k, v in value.items()}
        return value

    graphs_out = data.get("@graph", [])
    if isinstance(graphs_out, list):
        graphs_out = sorted((tidy(n) for n in graphs_out), key=key)
        data["@graph"] = [n for n in graphs_out if n.get("@graph") or len(n) > 1]
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomic(files: dict[Path, str]) -> None:
    """Write every file to a temporary sibling, then rename all into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(content)
            # mkstemp makes the file private (0600); output files get the usual umask-based mode
            os.chmod(tmp, 0o666 & ~_UMASK)
        for tmp, path in temps:
            os.replace(tmp, path)
        temps = []
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
