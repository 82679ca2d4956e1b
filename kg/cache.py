"""The build cache: what extracting one report gave, kept under `OUT/.cache/` so that a rebuild
redoes only the reports whose text (or the extractor) changed.

An entry is keyed by the report's content hash, its name in the build (slug, file name) and the
extractor's version: a hash of every source file of the `kg` package and of the ontology folder,
so any change to the code or the vocabulary invalidates every entry. An entry holds the report's
N-Quads, its Turtle/TriG/JSON-LD fragments and its summary counts, in one file written atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SECTIONS = ("nquads", "turtle", "trig", "jsonld", "shared")


@dataclass(frozen=True)
class Region:
    """A byte range of a cache entry's file: one serialisation, to be copied without reading it."""

    path: Path
    offset: int
    length: int


@dataclass
class ReportResult:
    """One report, extracted, converted to RDF and validated: its serialisations and counts."""

    key: str
    slug: str
    graph: str                  # IRI of its named graph
    file_name: str
    sentences: int
    commitments: int
    statistics: int
    triples: int                # in its named graph (self-contained: with actors, topics, events)
    own_triples: int            # of those, about its own nodes (subjects under its report IRI)
    actors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    # serialisations (None once written to the cache and dropped from memory)
    nquads: bytes | None = None     # statements about its own nodes, sorted N-Quads in its named graph
    turtle: bytes | None = None     # Turtle statements about the report's own nodes (no @prefix lines)
    trig: bytes | None = None       # the TriG block of its named graph (no @prefix lines)
    jsonld: bytes | None = None     # the JSON-LD object of its named graph
    shared: bytes | None = None     # N-Triples about nodes other reports may describe too (actors, topics, events, places)

    def header(self) -> dict:
        """The counts and names, without the serialisations."""
        return {k: v for k, v in asdict(self).items() if k not in SECTIONS}


# the modules whose code shapes a report's cached result (the CLI, queries, views and the store
# do not: editing them must not throw the cache away)
EXTRACTOR_MODULES = ("ingest.py", "segment.py", "extract", "gazetteer.py", "records.py", "iri.py", "vocab.py",
                     "to_rdf.py", "validate.py", "export.py", "pipeline.py", "cache.py")


@lru_cache(maxsize=4)
def extractor_version(ontology_dir: Path) -> str:
    """Hash of the code and vocabulary that turn a report into RDF."""
    h = hashlib.sha256()
    files = sorted(f for m in EXTRACTOR_MODULES for f in ([PACKAGE_DIR / m] if m.endswith(".py") else (PACKAGE_DIR / m).rglob("*.py")))
    files += sorted(Path(ontology_dir).glob("*.ttl"))
    for f in files:
        h.update(str(f.relative_to(f.parents[1])).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:20]


def entry_key(sha256: str, slug: str, file_name: str, version: str) -> str:
    """Cache key of one report: its bytes, its names in the build and the extractor's version."""
    return hashlib.sha256(f"{sha256}\0{slug}\0{file_name}\0{version}".encode()).hexdigest()[:32]


class Cache:
    """A folder of entries `<key>.kgc`: a JSON header line, then the sections, lengths in the header."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.kgc"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def put(self, result: ReportResult) -> None:
        """Write the entry of `result` atomically and drop its serialisations from memory."""
        self.folder.mkdir(parents=True, exist_ok=True)
        sections = [getattr(result, s) or b"" for s in SECTIONS]
        header = dict(result.header(), lengths=[len(s) for s in sections])
        fd, tmp = tempfile.mkstemp(prefix=f".{result.key}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(json.dumps(header, sort_keys=True).encode() + b"\n")
                for s in sections:
                    f.write(s)
            os.replace(tmp, self.path(result.key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for s in SECTIONS:
            setattr(result, s, None)

    def header(self, key: str) -> ReportResult | None:
        """The entry's counts (no serialisations), or None when there is no whole, readable entry."""
        try:
            with open(self.path(key), "rb") as f:
                head = json.loads(f.readline())
                # a file cut short (a full disk when it was copied, say) is no entry: extracted again
                whole = f.tell() + sum(head.pop("lengths")) == os.fstat(f.fileno()).st_size
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not whole:
            return None
        try:
            return ReportResult(**head)
        except TypeError:   # an entry from another layout
            return None

    def section(self, key: str, name: str) -> bytes:
        """One serialisation of an entry."""
        [region] = self.regions(key, (name,))
        with open(region.path, "rb") as f:
            f.seek(region.offset)
            return f.read(region.length)

    def regions(self, key: str, names: tuple[str, ...]) -> list[Region]:
        """Where the serialisations `names` of an entry lie in its file (read with one header read)."""
        path = self.path(key)
        with open(path, "rb") as f:
            head = json.loads(f.readline())
            start = f.tell()
        lengths = head["lengths"]
        return [Region(path, start + sum(lengths[:SECTIONS.index(n)]), lengths[SECTIONS.index(n)]) for n in names]

    def keep_only(self, keys: set[str]) -> None:
        """Remove every entry not in `keys` (reports no longer in the build, older versions)."""
        if not self.folder.is_dir():
            return
        for f in self.folder.iterdir():
            if f.suffix == ".kgc" and f.stem not in keys:
                f.unlink(missing_ok=True)
