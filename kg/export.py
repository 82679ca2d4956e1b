"""Stage 6, export: write the graph files, all or nothing.

Every file is written to a temporary file in the output folder and renamed into place only when
all of them were written, so a failed or interrupted build leaves the previous output intact.
Output is deterministic: reports in slug order, each report's statements sorted, one header of
prefixes per file. The files are assembled from per-report fragments (made in parallel, kept in
the build cache, and copied from it by the kernel as the reports come in), so no step holds or
re-serialises the whole graph:

- graph.ttl: the union of the report graphs: each report's statements about its own nodes, then
  the statements about shared nodes (actors, topics, events, places), de-duplicated.
- graph.trig: one GRAPH block per report.
- graph.jsonld: JSON-LD (expanded form) with one named graph object per report.
"""
from __future__ import annotations

import errno
import os
import signal
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .cache import Region
from .errors import OutputError
from .vocab import PREFIXES

FILES = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html")

# prefixes for Turtle and TriG, longest namespace first so the most specific one is used
PREFIX_MAP = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
PREFIX_HEADER = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIX_MAP.items()).encode()


def check_writable(out_dir: Path) -> None:
    """Fail early, before any work, when `out_dir` cannot be created or written. Writes and
    removes a probe file rather than asking `os.access`, which says yes to root even on a
    read-only file system."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: the output path is a file, not a folder; give --out a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out_dir}: cannot create the output folder ({e.strerror or e}); "
                          "give --out a folder you can write") from e
    try:
        fd, probe = tempfile.mkstemp(prefix=".kg-probe.", suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(f"{out_dir}: output folder is not writable ({e.strerror or e}); "
                          "give --out a folder you can write") from e


def _without_prefixes(text: bytes) -> bytes:
    """The serialisation without its @prefix lines (Oxigraph writes them all first)."""
    start = 0
    while text.startswith(b"@prefix ", start):
        start = text.index(b"\n", start) + 1
    rest = text[start:]
    if b"\n@prefix " in rest:   # not where expected: drop them wherever they are
        return b"".join(line for line in rest.splitlines(keepends=True) if not line.startswith(b"@prefix "))
    return rest


def turtle_fragment(triples: Iterable[ox.Triple]) -> bytes:
    """Turtle statements of these triples (in the order given) without @prefix lines."""
    return _without_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP))


def trig_fragment(quads: Iterable[ox.Quad]) -> bytes:
    """The TriG GRAPH block(s) of these quads without @prefix lines, as Oxigraph serialises them
    (builds use `trig_block`, which tests/test_build.py checks against this)."""
    return _without_prefixes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIX_MAP))


def trig_block(graph: ox.NamedNode, turtle: bytes) -> bytes:
    """The TriG GRAPH block of the named graph `graph` whose statements are `turtle` (Turtle
    statements without @prefix lines, from `turtle_fragment`; concatenated fragments of
    consecutive subjects will do). Oxigraph's TriG of a graph is exactly its Turtle with each line
    indented by a tab, between `graph {` and `}` (tests/test_build.py checks it on real reports),
    so a report's statements are serialised once for both files."""
    if not turtle:
        return b""
    # the graph's name as Oxigraph writes it (a prefixed name, with its escapes): from a one-quad TriG
    head = _without_prefixes(ox.serialize([ox.Quad(graph, graph, graph, graph)], format=ox.RdfFormat.TRIG,
                                          prefixes=PREFIX_MAP)).split(b"\n", 1)[0]
    return head + b"\n\t" + turtle[:-1].replace(b"\n", b"\n\t") + b"\n}\n"


def jsonld_fragment(quads: Iterable[ox.Quad]) -> bytes:
    """The JSON-LD object of one named graph (`{"@id": graph, "@graph": [...]}`)."""
    text = ox.serialize(quads, format=ox.RdfFormat.JSON_LD).strip()
    if not (text.startswith(b"[") and text.endswith(b"]")):
        raise OutputError("unexpected JSON-LD from pyoxigraph (not a list of graph objects)")
    return text[1:-1].strip()


# a fragment: bytes, or a region of a cache entry's file
Piece = bytes | Region
# errors of os.copy_file_range that mean "not between these files" (another file system before
# Linux 5.3, a file system or kernel without it): the bytes are then read and written instead
_NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EBADF}


def put(f: BinaryIO, piece: Piece) -> None:
    """Append a fragment to `f`. A region is copied by the kernel (os.copy_file_range) where it
    can be: the 1.2 GB of fragments of 1,000 reports then never pass through Python's memory
    (the files stage of a rebuild of bench/run.py's 1,000 reports, in `kg build --timings`:
    1.3-2.2 s read and written, 0.8-0.9 s copied)."""
    if isinstance(piece, bytes):
        f.write(piece)
        return
    with open(piece.path, "rb") as src:
        offset, left = piece.offset, piece.length
        if hasattr(os, "copy_file_range"):
            f.flush()   # what f buffers goes first; the kernel then appends at the file's position
            try:
                while left:
                    copied = os.copy_file_range(src.fileno(), f.fileno(), left, offset)
                    if not copied:
                        break
                    offset, left = offset + copied, left - copied
            except OSError as e:
                if e.errno not in _NO_KERNEL_COPY or offset != piece.offset:
                    raise
        if left:
            src.seek(offset)
            rest = src.read(left)
            f.write(rest)
            left -= len(rest)
    if left:
        raise OutputError(f"{piece.path}: build cache entry is shorter than its header says; "
                          "remove the output folder's .cache folder and build again")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()

Content = str | bytes


def _write_to_disk(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        getattr(os, "fdatasync", os.fsync)(fd)   # (macOS has no fdatasync)
    finally:
        os.close(fd)


class StagedFiles:
    """Files written to temporary siblings (`stage`, or `open` to write one in steps), renamed
    into place together (`commit`), or removed (`discard`) when the build fails.

    A staged file that will replace an existing one is written to disk (fdatasync) by a
    background thread while the build goes on, and commit waits for that before renaming. So a
    crash leaves either the old file or the whole new one, and a full disk found only when the
    data is written (delayed allocation) is an error with the old file kept, not a lost file. It
    also keeps the renames quick: renamed over an older file, a file still in memory is allocated
    and written at once by ext4 (auto_da_alloc): renaming the graph files of 1,000 reports took
    most of the views stage of a rebuild (`kg build --timings`: 2.6 s, 2.1 s once synced first).
    A file with no older one has nothing to protect; it is left to the kernel, whose writeback
    then does not compete with the build's own writes."""

    def __init__(self):
        self.temps: list[tuple[str, Path]] = []
        self._open: list[StagedFile] = []
        self._synced: list[tuple[Future, Path]] = []
        self._syncer: ThreadPoolExecutor | None = None

    def open(self, path: Path) -> "StagedFile":
        """A temporary sibling of `path` to write in steps; `StagedFile.close` ends it."""
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as e:
            raise _cannot_write(path, e) from e
        self.temps.append((tmp, path))
        staged = StagedFile(self, path, tmp, os.fdopen(fd, "wb"), replaces=path.exists())
        self._open.append(staged)
        return staged

    def stage(self, path: Path, content: Content) -> None:
        """Write `content` (text or bytes) next to `path`."""
        f = self.open(path)
        f.write(content.encode("utf-8") if isinstance(content, str) else content)
        f.close()

    def _closed(self, staged: "StagedFile") -> None:
        self._open.remove(staged)
        if staged.replaces:
            self._to_disk(staged)

    def _to_disk(self, staged: "StagedFile") -> None:
        """Start writing what `staged` holds so far to disk, in the background."""
        if self._syncer is None:
            self._syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-sync")
        self._synced.append((self._syncer.submit(_write_to_disk, staged.tmp), staged.path))

    def wait_on_disk(self) -> None:
        """Wait until every file staged so far that replaces an existing one is on disk. Raises
        OutputError (and removes the staged files) when one could not be written."""
        for future, path in self._synced:
            error = future.exception()
            if error is not None:
                self.discard()
                if isinstance(error, OSError):
                    raise _cannot_write(path, error) from error
                raise error

    def commit(self) -> None:
        """Rename every staged file into place, once all are on disk. Ctrl-C is held off during the
        renames (and acted on right after), so an interrupt never leaves some files new and the
        others old."""
        if self._open:
            raise OutputError(f"cannot write {self._open[0].path}: it was not finished")
        self.wait_on_disk()
        held = hasattr(signal, "pthread_sigmask")
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if held else None
        try:
            for tmp, path in self.temps:
                os.replace(tmp, path)
            self.temps = []
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
        finally:
            self.discard()
            if held:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def discard(self) -> None:
        """Remove the staged files that were not committed (after their writes to disk stopped)."""
        for staged in self._open:
            try:
                staged.file.close()
            except OSError:
                pass
        self._open = []
        if self._syncer is not None:
            self._syncer.shutdown(wait=True, cancel_futures=True)
            self._syncer, self._synced = None, []
        for tmp, _ in self.temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.temps = []


def _cannot_write(path: Path, e: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {e.strerror or e}; the previous output is left as it was "
                       "(free some space or give --out another folder)")


class StagedFile:
    """One staged file being written (from `StagedFiles.open`); OSError becomes OutputError.

    A file that replaces an existing one goes to disk in the background as it grows (every
    SYNC_EVERY bytes), so that little is left to write when it is complete."""

    SYNC_EVERY = 64 << 20

    def __init__(self, files: StagedFiles, path: Path, tmp: str, file: BinaryIO, replaces: bool = False):
        self.files, self.path, self.tmp, self.file, self.replaces = files, path, tmp, file, replaces
        self._unsynced = 0

    def write(self, data: bytes) -> None:
        try:
            self.file.write(data)
        except OSError as e:
            raise _cannot_write(self.path, e) from e

    def put(self, piece: Piece) -> None:
        """Append a fragment (bytes, or a region of a cache entry, copied by the kernel)."""
        try:
            put(self.file, piece)
        except OSError as e:
            raise _cannot_write(self.path, e) from e
        self._unsynced += len(piece) if isinstance(piece, bytes) else piece.length
        if self.replaces and self._unsynced >= self.SYNC_EVERY:
            self._unsynced = 0
            self.files._to_disk(self)

    def close(self) -> None:
        """The file is complete: closed, given the usual mode, and queued to go to disk."""
        try:
            self.file.close()
            # mkstemp makes the file private (0600); output files get the usual umask-based mode
            os.chmod(self.tmp, 0o666 & ~_UMASK)
        except OSError as e:
            raise _cannot_write(self.path, e) from e
        self.files._closed(self)


class GraphFiles:
    """graph.ttl, graph.trig and graph.jsonld, staged in `staged` and written a report at a time
    (in slug order) by `add`, then ended by `finish`:

    - graph.ttl: the prefixes, each report's Turtle fragment, then the statements about shared
      nodes (actors, topics, events, places), sorted and once;
    - graph.trig: the prefixes, then one GRAPH block per report;
    - graph.jsonld: a JSON array of named graph objects, one per report.

    A build writes each report as soon as it and every report before it are done, so the files
    are mostly written while the others are still being extracted."""

    def __init__(self, staged: StagedFiles, out_dir: Path):
        # largest first: each goes to disk in the background while the next ones are written
        self.jsonld = staged.open(out_dir / "graph.jsonld")
        self.trig = staged.open(out_dir / "graph.trig")
        self.ttl = staged.open(out_dir / "graph.ttl")
        self.jsonld.write(b"[")
        self.trig.write(PREFIX_HEADER)
        self.ttl.write(PREFIX_HEADER)
        self.reports = 0

    @property
    def paths(self) -> list[Path]:
        return [self.ttl.path, self.trig.path, self.jsonld.path]

    def add(self, turtle: Piece, trig: Piece, jsonld: Piece) -> None:
        """Append one report's fragments."""
        self.jsonld.write(b",\n" if self.reports else b"\n")
        self.jsonld.put(jsonld)
        self.trig.write(b"\n")
        self.trig.put(trig)
        self.ttl.write(b"\n")
        self.ttl.put(turtle)
        self.reports += 1

    def finish(self, shared_ntriples: Iterable[bytes]) -> None:
        """Append the shared statements (N-Triples lines) to graph.ttl and close the three files."""
        self.jsonld.write(b"\n]\n")
        self.jsonld.close()
        self.trig.close()
        lines = sorted(set(shared_ntriples))
        if lines:
            triples = ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES)
            self.ttl.write(b"\n" + turtle_fragment(triples))
        self.ttl.close()


def write_atomic(files: dict[Path, Content]) -> None:
    """Write every file to a temporary sibling, then rename all into place."""
    staged = StagedFiles()
    try:
        for path, content in files.items():
            staged.stage(path, content)
        staged.commit()
    finally:
        staged.discard()
