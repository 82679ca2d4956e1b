"""Answering questions: named SPARQL queries from `queries/`, run over a built graph.

A query is named by its file in `queries/` ("commitments"), by a path to an `.rq` file, or given
inline. Parameters are bound with `initBindings`, never spliced into the query text; updates are
refused (queries are read-only).
"""
from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.query import Result

from .errors import QueryError, UsageError

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
FORMATS = ("table", "csv", "tsv", "json")
_UPDATE = re.compile(r"^\s*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I | re.M)
_RDF_FORMATS = {".ttl": "turtle", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld",
                ".nt": "nt", ".nq": "nquads", ".rdf": "xml", ".owl": "xml", ".n3": "n3"}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    question: str
    text: str
    defaults: dict[str, str]


_PARAM = re.compile(r"^#\s+(?P<name>[A-Za-z_]\w*):.*\(default:\s*(?P<value>.+?)\)\s*$", re.M)


def defaults(text: str) -> dict[str, str]:
    """Parameter defaults declared in a query's opening comment: "#   topic: … (default: cybersecurity)"."""
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    return {m.group("name"): m.group("value") for m in _PARAM.finditer(header)}


def _question(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if not body:
            if lines:
                break
            continue
        lines.append(body)
    return re.sub(r"^(?:Question:\s*)", "", " ".join(lines))


def named_queries(query_dir: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every `.rq` file of the question library, by name."""
    out = {}
    for path in sorted(query_dir.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = NamedQuery(path.stem, path, _question(text), text, defaults(text))
    return out


def resolve(query: str, query_dir: Path = QUERY_DIR) -> tuple[str, str]:
    """(name, SPARQL text) for a query name, an `.rq` path or inline SPARQL."""
    library = named_queries(query_dir)
    if query in library:
        return query, library[query].text
    p = Path(query)
    if query.endswith(".rq"):
        if not p.is_file():
            raise QueryError(f"{query}: no such query file")
        return p.stem, p.read_text(encoding="utf-8")
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE)\b", query, re.I):
        return "inline", query
    import difflib
    close = difflib.get_close_matches(query, list(library), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg query --list` shows the named queries"
    raise QueryError(f"unknown query '{query}'{hint}")


def load_graph(path: Path) -> Graph:
    """Load a built graph; TriG/N-Quads/JSON-LD load as a dataset queried over the union of graphs."""
    if not path.is_file():
        raise QueryError(f"{path}: graph file not found (run `kg build` first, or pass --graph)")
    fmt = _RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: not an RDF file kg can read (.ttl, .trig, .jsonld, .nt, .nq)")
    try:
        if fmt in {"trig", "nquads", "json-ld"}:
            ds = Dataset(default_union=True)
            ds.parse(path, format=fmt)
            return ds
        return Graph().parse(path, format=fmt)
    except Exception as e:  # rdflib's parsers raise many exception types
        raise QueryError(f"{path}: cannot parse as {fmt}: {str(e).splitlines()[0][:200]}") from e


def parse_params(params: list[str]) -> dict[str, str]:
    """`NAME=VALUE` strings to a dict."""
    out = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise UsageError(f"--param {p!r}: expected NAME=VALUE")
        out[name] = value
    return out


def run(graph: Graph, sparql: str, params: dict[str, str] | None = None, name: str = "query") -> Result:
    """Run read-only SPARQL with parameters bound as literals (or IRIs when given as <…>)."""
    if _UPDATE.search(re.sub(r"#[^\n]*", "", sparql)):
        raise QueryError(f"{name}: update operations are refused; kg query is read-only")
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(sparql)
    except Exception as e:
        raise QueryError(f"{name}: SPARQL syntax error: {_syntax_message(e, sparql)}") from e
    for k in params or {}:
        if not re.search(r"[?$]" + re.escape(k) + r"\b", sparql):
            raise UsageError(f"--param {k}: the query has no variable ?{k}")
    bindings = {}
    for k, v in {**defaults(sparql), **(params or {})}.items():
        bindings[k] = URIRef(v[1:-1]) if v.startswith("<") and v.endswith(">") else Literal(v)
    try:
        return graph.query(prepared, initBindings=bindings)
    except Exception as e:
        raise QueryError(f"{name}: query failed: {e}") from e


def _syntax_message(e: Exception, sparql: str) -> str:
    loc = getattr(e, "loc", None)
    if loc is not None:
        line = sparql.count("\n", 0, loc) + 1
        col = loc - (sparql.rfind("\n", 0, loc) + 1) + 1
        snippet = sparql[loc:loc + 30].split("\n")[0]
        return f"line {line}, column {col}, at {snippet!r}"
    return str(e).splitlines()[0][:200]


def _term_json(t) -> dict:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype:
        d["datatype"] = str(t.datatype)
    return d


def format_result(result: Result, fmt: str) -> str:
    """Text of a result: an aligned table, CSV, TSV or SPARQL 1.1 JSON; Turtle for graphs; true/false for ASK."""
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return result.graph.serialize(format="turtle")
    names = [str(v) for v in result.vars]
    rows = [[row[v] if row[v] is not None else None for v in result.vars] for row in result]
    if fmt == "json":
        bindings = [{n: _term_json(t) for n, t in zip(names, r) if t is not None} for r in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"
    if fmt in {"csv", "tsv"}:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(names)
        for r in rows:
            w.writerow(["" if t is None else str(t) for t in r])
        return buf.getvalue()
    if fmt != "table":
        raise UsageError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    return table(names, [["" if t is None else re.sub(r"\s+", " ", str(t)) for t in r] for r in rows])


def table(names: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    """An aligned plain-text table; long cells wrap within `max_width` characters."""
    widths = [min(max_width, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    out = [" | ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(), "-+-".join("-" * w for w in widths)]
    for r in rows:
        cells = [textwrap.wrap(c, w) or [""] for c, w in zip(r, widths)]
        for k in range(max(len(c) for c in cells)):
            out.append(" | ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths)).rstrip())
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
