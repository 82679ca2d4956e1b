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
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
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


class _Aborted(Exception):
    """The loading was abandoned (StoreWriter.abort)."""


class StoreWriter:
    """A new store at `location`, bulk-loaded batch by batch in a background thread while the
    caller goes on (Oxigraph's loader releases the GIL), then moved into place by `finish`: the
    previous store stays in use until then, and `abort` leaves it untouched.

    `add` takes N-Quads bytes, or a function returning them (called in the loader thread, so
    the caller does not hold the batch). At most `waiting` batches wait for the loader; `add`
    blocks beyond. `lenient` skips Oxigraph's validation of IRIs: for N-Quads already parsed."""

    def __init__(self, location: Path, lenient: bool = False, waiting: int = 1):
        self.location = Path(location)
        parent = self.location.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self._staging = Path(tempfile.mkdtemp(prefix=f".{self.location.name}.", suffix=".tmp", dir=parent))
            self._store: ox.Store | None = ox.Store(str(self._staging))
        except OSError as e:
            raise OutputError(f"{parent}: cannot create the store folder ({e.strerror or e})") from e
        self._lenient = lenient
        self._queue: queue.Queue = queue.Queue(maxsize=waiting)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="kg-store-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self._error is not None:
                continue   # drain what is queued after a failure
            try:
                data = batch() if callable(batch) else batch
                self._store.bulk_load(data, ox.RdfFormat.N_QUADS, lenient=self._lenient)
            except BaseException as e:   # raised in the caller's thread by add/finish
                self._error = e

    def _raise(self) -> None:
        e = self._error
        if isinstance(e, SyntaxError):
            raise OutputError(f"{self.location}: the N-Quads given to the store do not parse: {e}") from e
        if isinstance(e, OSError):
            raise OutputError(f"{self.location}: cannot write the store ({e.strerror or e})") from e
        raise e

    def add(self, batch: bytes | Callable[[], bytes]) -> None:
        """Queue a batch of N-Quads (whole lines) for loading."""
        if self._error is not None:
            self.abort()
            self._raise()
        self._queue.put(batch)

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def finish(self, before_move: Callable[[], None] = lambda: None) -> None:
        """Wait for the loader, call `before_move`, then replace the store at `location` with the new one."""
        self._stop()
        if self._error is not None:
            self.abort()
            self._raise()
        try:
            before_move()
        except BaseException:
            self.abort()
            raise
        retired: Path | None = None
        try:
            self._store.flush()
            # no count of quads: len() of an Oxigraph store scans it (1.7 s for 4M quads)
            graphs = len(list(self._store.named_graphs()))
            self._store = None  # closes RocksDB before the folder moves
            (self._staging / MARKER).write_text(
                json.dumps({"named_graphs": graphs, "pyoxigraph": ox.__version__}, sort_keys=True) + "\n",
                encoding="utf-8")
            os.chmod(self._staging, 0o755)
            parent = self.location.parent
            if self.location.exists():
                retired = Path(tempfile.mkdtemp(prefix=f".{self.location.name}.", suffix=".old", dir=parent))
                os.replace(self.location, retired / self.location.name)
            os.replace(self._staging, self.location)
        except OSError as e:
            raise OutputError(f"{self.location}: cannot write the store ({e.strerror or e})") from e
        finally:
            self.abort()
            if retired is not None:
                shutil.rmtree(retired, ignore_errors=True)

    def abort(self) -> None:
        """Stop loading and remove the new store (the previous one is kept). Safe to call twice.
        The batches still queued are dropped, but a batch being loaded is waited for (a batch is
        at most a few seconds' work): removing the folder while Oxigraph writes into it left
        files of the new store behind in the output folder."""
        self._error = self._error or _Aborted()
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass
        self._queue.put_nowait(None)
        self._thread.join()
        self._store = None
        shutil.rmtree(self._staging, ignore_errors=True)


def write_store(location: Path, nquads: str | bytes | BinaryIO | Iterable[bytes], lenient: bool = False) -> None:
    """Replace the on-disk Oxigraph store at `location` with these N-Quads: text, a binary file
    object, or an iterable of byte strings of whole lines, each bulk-loaded in turn (the loader
    holds each in memory while sorting it). `lenient` skips Oxigraph's validation of IRIs while
    loading: for N-Quads that were already parsed (a fifth less time on millions of quads).

    The quads are bulk-loaded into a temporary sibling folder, which is renamed into place only
    once it is complete; the previous store is removed afterwards. Raises OutputError when the
    folder cannot be written or the N-Quads do not parse.
    """
    if isinstance(nquads, str):
        chunks: Iterable = [nquads.encode("utf-8")]
    elif isinstance(nquads, bytes) or hasattr(nquads, "read"):
        chunks = [nquads]
    else:
        chunks = nquads
    writer = StoreWriter(location, lenient=lenient)
    try:
        for chunk in chunks:
            writer.add(chunk)
        writer.finish()
    finally:
        writer.abort()


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
