"""Answering questions: named SPARQL queries from `queries/`, run with Oxigraph over a built graph.

A query is named by its file in `queries/` ("commitments"), by a path to an `.rq` file, or given
inline. It runs on the on-disk store `kg build` leaves in `output/store/` (or on a graph file loaded
into memory), over the union of the report graphs. Parameters are bound with SPARQL substitution
(pyoxigraph's `substitutions`, SEP-0007): a value is an RDF term, never text spliced into the
query, so a parameter cannot change what the query does. Queries are read-only: update operations
are refused, and stores are opened read-only. A query can run in a child process that is stopped
when it exceeds a time limit.
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import multiprocessing
import re
import shutil
import signal
import sys
import textwrap
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import KgError, QueryError, UsageError
from .store import is_store, open_store, store_time

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "queries"
# kg build's default output folder (kg.pipeline.OUTPUT_DIR, not imported here: the pipeline pulls
# in the extractors and pySHACL, which would slow every `kg query` down)
OUTPUT_DIR = ROOT / "output"
FORMATS = ("table", "csv", "tsv", "json", "turtle")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# formats of a SELECT answer that are the SPARQL 1.1 standards, which Oxigraph writes itself
_NATIVE = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV}

_UPDATE = re.compile(r"^\s*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I | re.M)
_PARAM = re.compile(r"^#\s+(?P<name>[A-Za-z_]\w*):.*\(default:\s*(?P<value>.+?)\)\s*$", re.M)
_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


@dataclass(frozen=True)
class NamedQuery:
    """One question of the library: its file, the question it answers, its text and parameter defaults."""

    name: str
    path: Path
    question: str
    text: str
    defaults: dict[str, str]


@dataclass
class Answer:
    """The answer to a query, read in full: `kind` is SELECT, ASK or CONSTRUCT (also for DESCRIBE).

    `rows` hold pyoxigraph terms (None where a variable is unbound), in the query's order."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)  # the values bound (given or defaults)

    def values(self) -> list[dict[str, str]]:
        """The rows as dicts of plain strings (lexical forms, IRIs), leaving out unbound variables."""
        return [{v: t.value for v, t in zip(self.variables, row) if t is not None} for row in self.rows]


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
        if lines and re.match(r"(Parameters|Columns):", body):
            break
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
    """(name, SPARQL text) for a query name, an `.rq` path or inline SPARQL (any text with a space
    or a brace: query names have neither). An unknown name suggests the closest names."""
    library = named_queries(query_dir)
    if query in library:
        return query, library[query].text
    if query.endswith(".rq"):
        p = Path(query)
        if not p.is_file():
            raise QueryError(f"{query}: no such query file")
        try:
            return p.stem, p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise QueryError(f"{query}: cannot read the query file ({e})") from e
    if re.search(r"[\s{}]", query):
        return "inline", query
    close = difflib.get_close_matches(query, list(library), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg query --list` shows the named queries"
    raise QueryError(f"unknown query '{query}'{hint}")


def default_source(out_dir: Path = OUTPUT_DIR) -> Path:
    """What `kg query` reads when no --graph is given: the build's store `out_dir/store` when it is
    at least as recent as `out_dir/graph.ttl` (so it belongs to that build), else graph.ttl."""
    store, ttl = out_dir / "store", out_dir / "graph.ttl"
    if is_store(store) and (not ttl.exists() or store_time(store) >= ttl.stat().st_mtime):
        return store
    return ttl


def parse_params(params: list[str]) -> dict[str, str]:
    """`NAME=VALUE` strings to a dict."""
    out = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise UsageError(f"--param {p!r}: expected NAME=VALUE")
        out[name] = value
    return out


def _term(name: str, value: str):
    """A parameter value as an RDF term: an IRI when written <…>, otherwise a plain literal."""
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as e:
            raise UsageError(f"--param {name}: {value} is not a valid IRI ({e})") from e
    return ox.Literal(value)


def _strip_comments(sparql: str) -> str:
    # a '#' inside an IRI (<…#>) is not a comment; strings rarely hold '#' and only matter here
    # for spotting update keywords at line starts
    return re.sub(r"(<[^<>\s]*>)|#[^\n]*", lambda m: m.group(1) or "", sparql)


def _syntax_message(name: str, error: SyntaxError, sparql: str) -> str:
    text = str(error)
    m = _SYNTAX.search(text)
    if not m:
        return f"{name}: SPARQL syntax error: {text.splitlines()[0][:200] if text else 'invalid query'}"
    line, col, why = int(m.group(1)), int(m.group(2)), " ".join(m.group(3).split())
    lines = sparql.splitlines() or [""]
    # Oxigraph's parser reports where it gave up, which can be past the offending token: the
    # whole line (shortened around that point) shows the user what to fix
    source = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if len(source) > 60:
        start = max(0, min(col - 40, len(source) - 60))
        source = ("…" if start else "") + source[start:start + 60] + "…"
    if len(why) > 120:
        why = why[:117].rsplit(",", 1)[0] + ", …"
    return f"{name}: SPARQL syntax error at line {line}, column {col}, in {source!r}: {why}"


@contextmanager
def _reading(name: str, sparql: str):
    """Oxigraph's errors, raised when a query is parsed or while its results are read, as one-line
    QueryErrors (UsageError for a parameter out of scope)."""
    try:
        yield
    except SyntaxError as e:
        if _UPDATE.search(_strip_comments(sparql)):
            raise QueryError(f"{name}: update operations are refused; kg query is read-only") from e
        raise QueryError(_syntax_message(name, e, sparql)) from e
    except RuntimeError as e:
        if "projection" in str(e):
            missing = re.search(r"variable \?(\w+)", str(e))
            var = missing.group(1) if missing else "?"
            raise UsageError(f"--param {var}: list ?{var} among the SELECT columns to bind it "
                             f"(parameters are bound by substitution, which needs the variable in scope)") from e
        raise QueryError(f"{name}: query failed: {e}") from e
    except OSError as e:
        raise QueryError(f"{name}: query failed reading the store: {e}") from e


def _evaluate(store: ox.Store, sparql: str, params: dict[str, str] | None, name: str):
    """(Oxigraph's lazy result, the parameter values bound): the query parsed and started, its
    results not read yet."""
    params = params or {}
    for k in params:
        if not re.search(r"[?$]" + re.escape(k) + r"\b", sparql):
            raise UsageError(f"--param {k}: the query has no variable ?{k}")
    values = {**defaults(sparql), **params}
    bindings = {ox.Variable(k): _term(k, v) for k, v in values.items()}
    with _reading(name, sparql):
        return store.query(sparql, use_default_graph_as_union=True, substitutions=bindings or None), values


def _collect(result, values: dict[str, str], name: str, sparql: str) -> Answer:
    with _reading(name, sparql):
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result), params=values)
        if isinstance(result, ox.QueryTriples):
            return Answer("CONSTRUCT", triples=list(result), params=values)
        variables = [v.value for v in result.variables]
        rows = [tuple(solution[i] for i in range(len(variables))) for solution in result]
        return Answer("SELECT", variables, rows, params=values)


def run_query(store: ox.Store, sparql: str, params: dict[str, str] | None = None, name: str = "query") -> Answer:
    """Run read-only SPARQL on `store` over the union of its graphs, with `params` (and the query's
    declared defaults) bound by substitution: literals, or IRIs when given as <…>. A SELECT query
    must list a parameter's variable among its columns."""
    result, values = _evaluate(store, sparql, params, name)
    return _collect(result, values, name, sparql)


def _cell(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, ox.Triple):
        return str(t)
    return t.value


def _term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(t.subject), "predicate": _term_json(t.predicate),
                                            "object": _term_json(t.object)}}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        d["datatype"] = t.datatype.value
    return d


def _turtle(triples: list) -> str:
    from .vocab import PREFIXES

    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def format_answer(answer: Answer, fmt: str = "table") -> str:
    """Text of an answer: an aligned table, SPARQL 1.1 Query Results CSV (lines ending CRLF) or
    JSON, or TSV (plain values, quoted as in CSV) for SELECT; Turtle for CONSTRUCT/DESCRIBE;
    true/false for ASK. (`answer` has Oxigraph write SELECT answers in CSV and JSON.)"""
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    if answer.kind == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": answer.boolean}) + "\n"
        return ("true" if answer.boolean else "false") + "\n"
    if answer.kind == "CONSTRUCT":
        return _turtle(answer.triples)
    if fmt == "turtle":
        raise UsageError("--format turtle: only CONSTRUCT and DESCRIBE queries give a graph; use table, csv, tsv or json")
    names = answer.variables
    if fmt == "json":
        bindings = [{n: _term_json(t) for n, t in zip(names, r) if t is not None} for r in answer.rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"
    if fmt in {"csv", "tsv"}:
        buf = io.StringIO()
        # CSV as SPARQL 1.1 (and RFC 4180) write it, lines ending CRLF, as Oxigraph's serialiser does
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n" if fmt == "csv" else "\n")
        w.writerow(names)
        for r in answer.rows:
            w.writerow([_cell(t) for t in r])
        return buf.getvalue()
    # a parameter's column repeats the value bound in every row: the table says it once, below
    shown = [i for i, n in enumerate(names) if n not in answer.params]
    cells = [[re.sub(r"\s+", " ", _cell(r[i])) for i in shown] for r in answer.rows]
    bound = "; ".join(f"{n} = {answer.params[n]}" for n in names if n in answer.params)
    # on a terminal the table fits its width; into a file or pipe it keeps its natural width (each
    # column up to 60 characters), the same wherever it runs
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    return table([names[i] for i in shown], cells, total_width=width, note=bound)


def table(names: list[str], rows: list[list[str]], max_width: int = 60, total_width: int | None = None,
          note: str = "") -> str:
    """An aligned plain-text table; long cells wrap within `max_width` characters. With
    `total_width`, the widest columns narrow until a line fits, but not below their longest word
    (or 12 characters), so short values are never cut. `note` follows the row count."""
    widths = [min(max_width, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    floors = [min(w, max([12, len(n)] + [len(word) for r in rows for word in r[i].split()]))
              for i, (n, w) in enumerate(zip(names, widths))]
    sample = rows[:200]

    def lines(i: int, w: int) -> int:  # about how many lines column i's cells take at width w
        return sum(-(-len(r[i]) // w) for r in sample)

    while total_width and sum(widths) + 3 * (len(widths) - 1) > total_width:
        shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not shrinkable:
            break
        # narrow the column that grows the table least, the widest among equals
        cheapest = min(shrinkable, key=lambda i: (lines(i, widths[i] - 1) - lines(i, widths[i]), -widths[i]))
        widths[cheapest] -= 1
    out = [" | ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(), "-+-".join("-" * w for w in widths)]
    for r in rows:
        cells = [textwrap.wrap(c, w) or [""] for c, w in zip(r, widths)]
        for k in range(max(len(c) for c in cells)):
            out.append(" | ".join((c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths)).rstrip())
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{'; ' + note if note else ''})")
    return "\n".join(out) + "\n"


def answer(source: Path, sparql: str, params: dict[str, str] | None = None, name: str = "query",
           fmt: str = "table") -> tuple[str, int]:
    """Open `source` (a store folder or a graph file), run the query and format it: (text, exit
    status), the status being 1 when an ASK query answers false, else 0."""
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    result, values = _evaluate(open_store(source), sparql, params, name)
    if isinstance(result, ox.QuerySolutions) and fmt in _NATIVE:
        # SPARQL 1.1 JSON and CSV written by Oxigraph as it reads the solutions: no Python object
        # per term (that doubled the time of a long listing)
        with _reading(name, sparql):
            text = result.serialize(format=_NATIVE[fmt]).decode("utf-8")
        return text + "\n" if fmt == "json" else text, 0
    got = _collect(result, values, name, sparql)
    return format_answer(got, fmt), 1 if got.kind == "ASK" and not got.boolean else 0


def answer_within(timeout: float | None, source: Path, sparql: str, params: dict[str, str] | None = None,
                  name: str = "query", fmt: str = "table") -> tuple[str, int]:
    """`answer` in a child process that is killed after `timeout` seconds (loading included).

    Oxigraph does not give the interpreter back while it evaluates a query, so a thread could
    neither interrupt nor abandon it; a process can be stopped at any moment."""
    if timeout is None:
        return answer(source, sparql, params, name, fmt)
    if timeout <= 0:
        raise UsageError(f"--timeout {timeout:g}: give a number of seconds above 0")
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_answer_in_child, args=(sender, source, sparql, params, name, fmt), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"{name}: stopped after {timeout:g} s (--timeout); narrow the query or allow more time")
        status, value = receiver.recv()
    except EOFError:
        child.join(5)
        raise QueryError(f"{name}: the query process ended without an answer (exit status {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "error":
        raise value
    return value


def _answer_in_child(sender, source, sparql, params, name, fmt) -> None:
    # Ctrl-C reaches the whole process group; the parent handles it and kills this child
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        message = ("ok", answer(source, sparql, params, name, fmt))
    except KgError as e:
        message = ("error", e)
    except Exception as e:  # reported to the parent as one line rather than lost with the child
        message = ("error", QueryError(f"{name}: query failed: {type(e).__name__}: {e}"))
    sender.send(message)
    sender.close()
