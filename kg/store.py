"""The Oxigraph store a build leaves beside its graph files, and how queries open a graph.

`kg build` writes `OUT/store/`, an on-disk Oxigraph (RocksDB) store holding one named graph per
report; `kg query` and `kg serve` read it instead of re-parsing Turtle, which is 10-25x faster on
large graphs. A store is replaced as a whole: the new one is bulk-loaded into a sibling folder and
renamed into place, so readers see either the previous store or the new one.

Beside the RocksDB files, the store folder holds `kg-store.json` (the marker written last): a
folder without it is an unfinished or foreign store and is never used.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import OutputError, QueryError

MARKER = "kg-store.json"

# RDF files a query can run on, by suffix; Turtle and N-Triples load into the default graph,
# the others keep their named graphs (queries see the union of all graphs).
RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


def write_store(location: Path, nquads: str | bytes | BinaryIO | Iterable[bytes], lenient: bool = False) -> None:
    """Replace the on-disk Oxigraph store at `location` with these N-Quads: text, a binary file
    object, or an iterable of byte strings of whole lines, each bulk-loaded in turn (the loader
    holds each in memory while sorting it). `lenient` skips Oxigraph's validation of IRIs while
    loading: for N-Quads that were already parsed (a fifth less time on millions of quads).

    The quads are bulk-loaded into a temporary sibling folder, which is renamed into place only
    once it is complete; the previous store is removed afterwards. Raises OutputError when the
    folder cannot be written or the N-Quads do not parse.
    """
    location = Path(location)
    parent = location.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{location.name}.", suffix=".tmp", dir=parent))
    except OSError as e:
        raise OutputError(f"{parent}: cannot create the store folder ({e.strerror or e})") from e
    retired: Path | None = None
    try:
        if isinstance(nquads, str):
            chunks: Iterable = [nquads.encode("utf-8")]
        elif isinstance(nquads, bytes) or hasattr(nquads, "read"):
            chunks = [nquads]
        else:
            chunks = nquads
        store = ox.Store(str(staging))
        for chunk in chunks:
            store.bulk_load(chunk, ox.RdfFormat.N_QUADS, lenient=lenient)
        store.flush()
        # no count of quads: len() of an Oxigraph store scans it (1.7 s for 4M quads)
        graphs = len(list(store.named_graphs()))
        del store  # closes RocksDB before the folder moves
        (staging / MARKER).write_text(
            json.dumps({"named_graphs": graphs, "pyoxigraph": ox.__version__}, sort_keys=True) + "\n",
            encoding="utf-8")
        os.chmod(staging, 0o755)
        if location.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{location.name}.", suffix=".old", dir=parent))
            os.replace(location, retired / location.name)
        os.replace(staging, location)
    except SyntaxError as e:
        raise OutputError(f"{location}: the N-Quads given to the store do not parse: {e}") from e
    except OSError as e:
        raise OutputError(f"{location}: cannot write the store ({e.strerror or e})") from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)


def is_store(path: Path) -> bool:
    """True when `path` is a complete store written by `write_store`."""
    return (Path(path) / MARKER).is_file()


def mark_current(path: Path) -> None:
    """Record that the store at `path` matches the graph files a build has just written, when the
    build left the store itself unchanged: `kg query` uses a store only when its marker is at least
    as recent as graph.ttl (see kg.query.default_source)."""
    try:
        os.utime(Path(path) / MARKER)
    except OSError as e:
        raise OutputError(f"{path}: cannot update the store's marker ({e.strerror or e})") from e


def store_time(path: Path) -> float:
    """When the store at `path` was completed (its marker's modification time)."""
    return (Path(path) / MARKER).stat().st_mtime


def open_store(path: Path) -> ox.Store:
    """A store to query: an on-disk store folder opened read-only, or an RDF file (.ttl, .trig,
    .nq, .nt, .jsonld) loaded into memory. Raises QueryError naming the path when it is missing,
    not RDF, or does not parse."""
    path = Path(path)
    if path.is_dir():
        if not is_store(path):
            raise QueryError(f"{path}: not a kg store folder (no {MARKER}); pass a graph file or run `kg build`")
        try:
            return ox.Store.read_only(str(path))
        except OSError as e:
            raise QueryError(f"{path}: cannot open the store: {e}") from e
    if not path.exists():
        raise QueryError(f"{path}: graph file not found (run `kg build` first, or pass --graph)")
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: not an RDF file kg can read (.ttl, .trig, .nq, .nt, .jsonld, or a store folder)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError) as e:
        message = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        raise QueryError(f"{path}: not valid {fmt.name}: {message}") from e
    except OSError as e:
        raise QueryError(f"{path}: cannot read: {e.strerror or e}") from e
    return store
