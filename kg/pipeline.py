"""The main job: ingest → segment → extract → to RDF → validate → export.

Reports are independent until export: each is extracted, converted to N-Quads, validated and
serialised (Turtle/TriG/JSON-LD fragments) on its own, in parallel (`kg.executors`), and the
result is kept in the build cache (`kg.cache`) so a rebuild redoes only changed reports. Export
then concatenates the fragments in slug order and loads the store (`kg.store`).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import executors
from .cache import Cache, ReportResult, entry_key, extractor_version
from .export import GraphFiles, StagedFiles, check_writable, jsonld_fragment, trig_block, turtle_fragment
from .gazetteer import ONTOLOGY_DIR, Vocabulary, load_vocabulary
from .ingest import ingest
from .iri import graph_iri, report_iri
from .records import Document, Extraction
from .segment import segment
from .extract import extract
from .to_rdf import to_nquads
from .validate import shape_validator

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
OUTPUT_DIR = Path(__file__).resolve().parent.parent / "output"
CACHE = ".cache"
# quads per bulk load into the store. It also bounds how far the loader lags behind extraction:
# with 1M, up to 2M quads were left to load when the last report came in (7 s on 1,000 reports,
# with one core idle); with 400k under 1 s, and peak memory is halved (bench/run.py). Smaller
# batches make more RocksDB files, and queries slower (200k: the commitments listing +15%).
STORE_BATCH_QUADS = 400_000
MANIFEST = "manifest.json"     # in the cache folder: which entry each named graph of OUT/store/ came from
# the store's graph of statements about shared nodes (a name no report slug can take: slugs are [a-z0-9-])
SHARED_GRAPH = str(graph_iri("_shared"))

# progress(done, total, reused): called after each report (reused: how many came from the cache)
Progress = Callable[[int, int, int], None]


@dataclass
class BuildSummary:
    """What a build read and wrote, for the CLI's summary line."""

    reports: int = 0
    sentences: int = 0
    actors: int = 0
    topics: int = 0
    commitments: int = 0
    statistics: int = 0
    events: int = 0
    triples: int = 0
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)   # slugs of the reports extracted (not from the cache)
    reused: int = 0                                        # reports taken from the cache
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent in each stage of the build


@lru_cache(maxsize=2)
def _vocabulary(ontology_dir: Path) -> Vocabulary:
    return load_vocabulary(ontology_dir)


def extract_paths(paths: list[Path], strict: bool = False, ontology_dir: Path = ONTOLOGY_DIR) -> tuple[list[Extraction], list[tuple[str, str]]]:
    """Ingest, segment and extract every report under `paths` (in this process)."""
    vocab = _vocabulary(ontology_dir)
    result = ingest(paths, frozenset(vocab.acronyms), strict=strict)
    return [extract(segment(doc), vocab) for doc in result.documents], result.skipped


def warm(ontology_dir: Path) -> None:
    """Load the vocabulary and compile the shapes once in a worker process, before its first report."""
    _vocabulary(ontology_dir)
    shape_validator(ontology_dir)


def process_document(doc: Document, key: str, ontology_dir: Path, cache_folder: Path | None = None,
                     step: Callable[[str], None] | None = None) -> ReportResult:
    """Everything one report needs before export: extract, N-Quads, validate (compiled SHACL),
    and its Turtle/TriG/JSON-LD fragments. Runs in a worker (local process or Dask).

    With `cache_folder` (a worker on this machine), the worker writes the result's cache entry
    itself and returns it without its serialisations: they would otherwise be pickled, sent to
    the parent and written by it alone (about 2.4 GB for 1,000 reports). `step(name)` is called
    at the end of each step (rules, rdf, parse, validate, serialise, cache): bench/worker.py
    times them."""
    step = step or (lambda name: None)
    vocab = _vocabulary(ontology_dir)
    ex = extract(segment(doc), vocab)
    step("rules")
    nquads = to_nquads(ex, vocab).encode("utf-8")
    before, own_nquads, after = _split_own(nquads, str(report_iri(doc.slug)).encode())
    step("rdf")
    # lenient: IRIs and language tags are not checked again (half of the parsing time). Every IRI
    # is a term of kg.vocab, an IRI of ontology/*.ttl (checked strictly when loaded, see
    # kg.gazetteer._parse) or a namespace and slugs ([a-z0-9-], kg.iri); every tag is an
    # ontology label's or the report's own (kg.ingest: en, zh).
    own = list(ox.parse(own_nquads, format=ox.RdfFormat.N_QUADS, lenient=True))
    shared = list(ox.parse(before + after, format=ox.RdfFormat.N_QUADS, lenient=True))
    lines_before = before.count(b"\n")
    shared_before, shared_after = shared[:lines_before], shared[lines_before:]
    quads = shared_before + own + shared_after
    step("parse")
    shape_validator(ontology_dir).validate(quads, doc.file_name)
    step("validate")
    own_turtle = turtle_fragment(q.triple for q in own)
    graph = str(graph_iri(doc.slug))
    result = ReportResult(
        key=key, slug=doc.slug, graph=graph, file_name=doc.file_name,
        sentences=len(ex.segmented.sentences), commitments=len(ex.commitments), statistics=len(ex.statistics),
        triples=len(quads), own_triples=len(own), actors=sorted(ex.actors),
        topics=sorted({m.target for m in ex.mentions if m.kind == "topic"}),
        events=sorted({ev.key for ev in ex.events}),
        nquads=own_nquads,
        turtle=own_turtle,
        trig=trig_block(ox.NamedNode(graph), turtle_fragment(q.triple for q in shared_before) + own_turtle
                        + turtle_fragment(q.triple for q in shared_after)),
        jsonld=jsonld_fragment(quads),
        shared=ox.serialize((q.triple for q in shared), format=ox.RdfFormat.N_TRIPLES),
    )
    step("serialise")
    if cache_folder is not None:
        Cache(cache_folder).put(result)
        step("cache")
    return result


def _split_own(nquads: bytes, report: bytes) -> tuple[bytes, bytes, bytes]:
    """Sorted N-Quads → (lines before, lines about the report's own nodes, lines after). The own
    lines (subjects <report/...>, then <report>: "/" sorts before ">") are one block, found by
    searching the text rather than testing each parsed quad in Python."""
    text = b"\n" + nquads
    heads = (b"\n<" + report + b"/", b"\n<" + report + b">")
    found = [i for i in (text.find(h) for h in heads) if i >= 0]
    if not found:
        return nquads, b"", b""
    first = min(found)
    last = text.find(b"\n", max(text.rfind(h) for h in heads) + 1)
    last = len(nquads) if last < 0 else last
    block = nquads[first:last]
    if block.count(b"\n") != sum(text.count(h) for h in heads):   # not one block: never for our IRIs
        lines = nquads.splitlines(keepends=True)
        own = [line.startswith((heads[0][1:], heads[1][1:])) for line in lines]
        return (b"".join(line for line, o in zip(lines, own) if not o), b"".join(line for line, o in zip(lines, own) if o), b"")
    return nquads[:first], block, nquads[last:]


def build(paths: list[Path] | None = None, out_dir: Path = OUTPUT_DIR, strict: bool = False,
          ontology_dir: Path = ONTOLOGY_DIR, *, jobs: int | None = None, executor: str = "local",
          scheduler: str | None = None, use_cache: bool = True, progress: Progress | None = None,
          top: int | None = None) -> BuildSummary:
    """Build the knowledge graph of the reports under `paths` (default: the bundled corpus) into
    `out_dir`: graph.ttl (merged), graph.trig and graph.jsonld (a named graph per report), the
    HTML views (graph.html …) and the Oxigraph store `store/`. Every report graph is validated
    against the SHACL shapes before any output is replaced.

    `jobs` processes extract reports (default: all cores), or a Dask cluster does
    (`executor="dask"`, `scheduler` its address). With `use_cache`, `out_dir/.cache/` keeps each
    report's result, keyed by its content and the extractor's version, so unchanged reports are
    not extracted again. `progress(done, total, reused)` is called after each report. `top` is
    passed to the HTML views (how many actors/topics to draw)."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    ontology_dir = Path(ontology_dir)
    check_writable(out_dir)
    paths = paths or [CORPUS_DIR]
    phases: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock[0]
        clock[0] = now

    vocab = _vocabulary(ontology_dir)
    ingested = ingest(paths, frozenset(vocab.acronyms), strict=strict)
    docs = sorted(ingested.documents, key=lambda d: d.slug)
    version = extractor_version(ontology_dir)
    # the copies of a file are part of its report's graph (kg:alsoReadFrom), so part of its key
    keys = {d.slug: entry_key(d.sha256, d.slug, "\0".join([d.file_name, *sorted(d.also_read_from)]), version) for d in docs}

    scratch = None if use_cache else Path(tempfile.mkdtemp(prefix=".kg-build.", dir=out_dir))
    cache = Cache(out_dir / CACHE if use_cache else scratch)
    # a store rewritten whole is loaded while reports are still being extracted
    wanted = {str(graph_iri(d.slug)): keys[d.slug] for d in docs}
    loading = _StoreLoad(out_dir / "store", cache) if _rewrites_store(out_dir / "store", cache, wanted) else None
    staged = StagedFiles()
    try:
        results: dict[str, ReportResult] = {}
        for d in docs:
            cached = cache.header(keys[d.slug]) if use_cache else None
            if cached is not None:
                results[d.slug] = cached
                if loading:
                    loading.add(cached)
        reused = len(results)
        todo = [d for d in docs if d.slug not in results]
        if progress:
            progress(reused, len(docs), reused)
        lap("ingest")
        # the graph files are written as the reports come in, each once those before it are in:
        # in a cold build they are then written during extraction, not after it
        graph_files = GraphFiles(staged, out_dir)
        written = [0]   # how many reports, in slug order, are in the graph files

        def write_ready() -> None:
            while written[0] < len(docs) and docs[written[0]].slug in results:
                key = results[docs[written[0]].slug].key
                graph_files.add(*cache.regions(key, ("turtle", "trig", "jsonld")))
                written[0] += 1

        write_ready()
        lap("files")

        def arrived(result: ReportResult) -> None:
            if result.nquads is not None:   # not yet in the cache (a Dask worker's result)
                cache.put(result)
            results[result.slug] = result
            if loading:
                loading.add(result)
            write_ready()
            if progress:
                progress(len(results), len(docs), reused)

        # local workers write their cache entries themselves; a cluster's send results back
        local_cache = cache.folder if executor == "local" else None
        executors.run(process_document, [(d, keys[d.slug], ontology_dir, local_cache) for d in todo], arrived,
                      executor=executor, jobs=jobs, scheduler=scheduler, initializer=warm, initargs=(ontology_dir,))
        ordered = [results[d.slug] for d in docs]
        lap("extract")
        files, triples = _export(out_dir, ordered, cache, top, lap, staged, graph_files, loading)
        if use_cache:
            cache.keep_only(set(keys.values()))
    finally:
        staged.discard()
        if loading:
            loading.writer.abort()   # (nothing left to do after a finished load)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)

    return BuildSummary(
        reports=len(ordered),
        sentences=sum(r.sentences for r in ordered),
        actors=len({a for r in ordered for a in r.actors}),
        topics=len({t for r in ordered for t in r.topics}),
        commitments=sum(r.commitments for r in ordered),
        statistics=sum(r.statistics for r in ordered),
        events=len({e for r in ordered for e in r.events}),
        triples=triples,
        seconds=time.perf_counter() - started, files=files, skipped=ingested.skipped,
        extracted=sorted(d.slug for d in todo), reused=reused, phases=phases,
    )


def _shared_lines(results: list[ReportResult], cache: Cache) -> list[bytes]:
    """The statements about shared nodes (actors, topics, events, places) of all reports: each once, sorted."""
    return sorted({line for r in results for line in cache.section(r.key, "shared").splitlines(keepends=True)})


def _export(out_dir: Path, results: list[ReportResult], cache: Cache, top: int | None,
            lap: Callable[[str], None], staged: StagedFiles, graph_files: GraphFiles,
            loading: "_StoreLoad | None" = None) -> tuple[list[Path], int]:
    """Finish the graph files (every report's fragments are in `graph_files`), then write the
    store and the HTML views; returns the files and the number of distinct triples."""
    from .store import open_store
    from .viz import render_views

    names = [p.name for p in graph_files.paths]
    shared = _shared_lines(results, cache)
    if loading:
        loading.send_last(_in_graph(shared, SHARED_GRAPH))
    graph_files.finish(shared)
    lap("files")
    # the store changes only once the graph files are safely written, so a failure leaves both old
    _update_store(out_dir / "store", results, shared, cache, loading, before_change=staged.wait_on_disk)
    lap("store")
    pages = render_views(open_store(out_dir / "store"), top_n=top)
    for name, html in pages.items():
        staged.stage(out_dir / name, html)
        names.append(name)
    staged.commit()
    # pages of reports an earlier build drew and this one does not (at scale, only the
    # reports with the most commitments get a page) would be left stale
    for old in out_dir.glob("graph-report-*.html"):
        if old.name not in pages:
            old.unlink(missing_ok=True)
    lap("views")
    return [out_dir / n for n in names] + [out_dir / "store"], sum(r.own_triples for r in results) + len(shared)


def _previous_graphs(location: Path, cache: Cache) -> dict[str, str] | None:
    """Graph IRI → cache key of each named graph of the store at `location`, when it is the store
    the previous build left (its manifest in the cache names it by its marker file's inode, time
    and size, which any rewrite changes); None when it is not, or there is none."""
    from .store import MARKER, is_store

    try:
        previous = json.loads((cache.folder / MANIFEST).read_text(encoding="utf-8")) if is_store(location) else None
    except (OSError, ValueError):
        return None
    if previous is None or (previous.get("location") != str(location.resolve())
                            or previous.get("store") != _store_identity(location, MARKER)):
        return None   # another build (or tool) wrote this store since
    return previous.get("graphs", {})


def _few_changes(changed: int, removed: int, reports: int) -> bool:
    """Whether a store with this many graphs to replace or drop is patched rather than rewritten."""
    return changed + removed <= max(2, reports // 4)


def _rewrites_store(location: Path, cache: Cache, wanted: dict[str, str]) -> bool:
    """Whether the build will rewrite its store whole (`wanted`: report graph IRI → cache key)."""
    graphs = _previous_graphs(location, cache)
    if graphs is None:
        return True
    changed = sum(graphs.get(g) != key for g, key in wanted.items())
    removed = len(set(graphs) - set(wanted) - {SHARED_GRAPH})
    return not _few_changes(changed, removed, len(wanted))


class _StoreLoad:
    """A store being rewritten whole while reports are extracted: each report's N-Quads (read
    back from the cache, by the loader thread) join a batch of about STORE_BATCH_QUADS, loaded
    in the background (kg.store.StoreWriter); the shared graph comes last."""

    def __init__(self, location: Path, cache: Cache):
        from .store import StoreWriter

        # every line was parsed (so its IRIs checked) by the worker that wrote it
        self.writer = StoreWriter(location, lenient=True)
        self.cache = cache
        self.keys: list[str] = []
        self.quads = 0
        self.sent_last = False

    def add(self, result: ReportResult) -> None:
        self.keys.append(result.key)
        self.quads += result.own_triples
        if self.quads >= STORE_BATCH_QUADS:
            self._send()

    def _send(self, tail: bytes = b"") -> None:
        keys, cache = self.keys, self.cache
        self.keys, self.quads = [], 0
        self.writer.add(lambda: b"".join(cache.section(k, "nquads") for k in keys) + tail)

    def send_last(self, shared_nquads: bytes) -> None:
        """Queue the last batch, with the shared graph (the loader works on while files are written)."""
        if not self.sent_last:
            self._send(shared_nquads)
            self.sent_last = True

    def finish(self, shared_nquads: bytes, before_move: Callable[[], None] = lambda: None) -> None:
        self.send_last(shared_nquads)
        self.writer.finish(before_move)


def _update_store(location: Path, results: list[ReportResult], shared: list[bytes], cache: Cache,
                  loading: _StoreLoad | None = None, before_change: Callable[[], None] = lambda: None) -> None:
    """Make OUT/store/ hold these reports: one named graph per report with the statements about
    its own nodes, and the graph `SHARED_GRAPH` with those about actors, topics, events and
    places, each once. (Queries run on the union of the graphs, which Oxigraph does not
    de-duplicate: a triple in every report graph would multiply every join by the number of reports.)

    With `loading`, the store was being rewritten during extraction: the shared graph is added
    and it is moved into place. Otherwise, when the store is the one a previous cached build
    left and few reports changed, only their graphs and the shared graph are replaced; else the
    store is rewritten whole. `before_change` is called before the store at `location` changes."""
    from .store import MARKER, mark_current, write_store

    manifest_path = cache.folder / MANIFEST
    shared_nquads = _in_graph(shared, SHARED_GRAPH)
    wanted = {r.graph: r.key for r in results}
    wanted[SHARED_GRAPH] = hashlib.sha256(shared_nquads).hexdigest()[:32]
    graphs = None if loading else _previous_graphs(location, cache)
    if loading:
        loading.finish(shared_nquads, before_move=before_change)
    else:
        before_change()   # (before a patch, or before a store rewritten whole is loaded beside the old one)
    if graphs is not None:
        changed = {r.graph: cache.section(r.key, "nquads") for r in results if graphs.get(r.graph) != r.key}
        if graphs.get(SHARED_GRAPH) != wanted[SHARED_GRAPH]:
            changed[SHARED_GRAPH] = shared_nquads
        removed = sorted(set(graphs) - set(wanted))
        if not changed and not removed:
            # the graph files were just rewritten; the store, unchanged, still belongs to them
            mark_current(location)
        elif _few_changes(len(changed), len(removed), len(results)):
            _patch_store(location, changed, removed, MARKER)
        else:
            graphs = None
    if graphs is None and not loading:
        def batches():
            batch: list[bytes] = []
            quads = 0
            for r in results:
                batch.append(cache.section(r.key, "nquads"))
                quads += r.own_triples
                if quads >= STORE_BATCH_QUADS:
                    yield b"".join(batch)
                    batch, quads = [], 0
            yield b"".join(batch) + shared_nquads

        # bulk-loaded in batches: Oxigraph's loader holds what it is given in memory while
        # sorting it (1.8 GB for 4M quads at once); every line was parsed by a worker
        write_store(location, batches(), lenient=True)
    manifest = json.dumps({"location": str(location.resolve()), "graphs": wanted,
                           "store": _store_identity(location, MARKER)}, sort_keys=True) + "\n"
    cache.folder.mkdir(parents=True, exist_ok=True)
    try:
        unchanged = manifest_path.read_text(encoding="utf-8") == manifest
    except OSError:
        unchanged = False
    if not unchanged:
        fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".tmp", dir=cache.folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(manifest)
        os.replace(tmp, manifest_path)


def _store_identity(location: Path, marker: str) -> list[int] | None:
    """The store's marker file as (inode, modification time in ns, size): a rewrite or patch changes it."""
    try:
        st = (location / marker).stat()
    except OSError:
        return None
    return [st.st_ino, st.st_mtime_ns, st.st_size]


def _in_graph(ntriples_lines: list[bytes], graph: str) -> bytes:
    """N-Triples lines as N-Quads in `graph`."""
    suffix = f" <{graph}> .\n".encode()
    return b"".join(line.rstrip()[:-1].rstrip() + suffix for line in ntriples_lines if line.strip())


def _patch_store(location: Path, changed: dict[str, bytes], removed: list[str], marker: str) -> None:
    """Replace the named graphs in `changed` (graph IRI → N-Quads) and drop `removed` graphs,
    in place. The store's marker is removed first and written back last, so a store left
    half-patched by a crash is never used (the next build rewrites it)."""
    if not changed and not removed:
        return
    marker_path = location / marker
    info = json.loads(marker_path.read_text(encoding="utf-8"))
    marker_path.unlink()
    store = ox.Store(str(location))
    for g in removed + sorted(changed):
        node = ox.NamedNode(g)
        if store.contains_named_graph(node):
            store.remove_graph(node)
    for g in sorted(changed):
        store.load(changed[g], format=ox.RdfFormat.N_QUADS)
    store.flush()
    info.pop("quads", None)   # (written by older versions; counting scans the whole store)
    info.update(named_graphs=len(list(store.named_graphs())))
    del store
    marker_path.write_text(json.dumps(info, sort_keys=True) + "\n", encoding="utf-8")
