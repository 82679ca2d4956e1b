"""`kg build` at work: parallel and serial builds agree byte for byte, the cache redoes only
changed reports (and the result equals a cold build), the store follows, errors keep old output."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ValidationError
from kg.gazetteer import ONTOLOGY_DIR
from kg.pipeline import CORPUS_DIR, build
from kg.store import open_store

DATA = Path(__file__).resolve().parent / "data"
TEXT_FILES = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html")


def _reports(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    src.mkdir()
    for p in sorted(CORPUS_DIR.glob("*.txt")) + [DATA / "g20-2022-bali-leaders-declaration.txt"]:
        shutil.copy(p, src / p.name)
    return src


def _store_quads(out: Path) -> set:
    return set(open_store(out / "store"))


def _same_output(a: Path, b: Path) -> None:
    for name in TEXT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert _store_quads(a) == _store_quads(b)


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """Three reports, built cold with one process: the reference output."""
    tmp = tmp_path_factory.mktemp("three")
    src = _reports(tmp)
    out = tmp / "cold"
    summary = build([src], out, jobs=1, use_cache=False)
    return src, out, summary


def test_parallel_build_is_byte_identical_to_serial(three, tmp_path):
    src, cold, summary = three
    par = build([src], tmp_path / "par", jobs=2, use_cache=False)
    assert par.extracted == summary.extracted == sorted(
        ["g20-2022-bali-leaders-declaration", "wic-2017-internet-development-trends", "wic-2018-wuzhen-outlook"])
    _same_output(cold, tmp_path / "par")
    assert not (cold / ".cache").exists()   # --no-cache leaves no cache behind


def test_store_holds_one_named_graph_per_report(three):
    _, cold, summary = three
    store = open_store(cold / "store")
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == ["https://w3id.org/policykg/id/graph/_shared"] + [
        f"https://w3id.org/policykg/id/graph/{s}" for s in summary.extracted]
    # each triple once: actors and topics are described in the shared graph, not once per report
    # (the union Oxigraph queries does not de-duplicate, so joins would multiply)
    quads = list(store)
    assert len({q.triple for q in quads}) == len(quads) == summary.triples
    un = "https://w3id.org/policykg/actor/united-nations"
    labels = [q for q in quads if q.subject.value == un and q.predicate.value.endswith("#prefLabel")]
    assert [q.graph_name.value for q in labels] == ["https://w3id.org/policykg/id/graph/_shared"]
    ask = ("ASK { GRAPH <https://w3id.org/policykg/id/graph/g20-2022-bali-leaders-declaration> { "
           "?r <https://w3id.org/policykg/ontology#fileName> 'g20-2022-bali-leaders-declaration.txt' } }")
    assert store.query(ask)


def test_rebuild_after_one_change_redoes_only_that_report_and_equals_a_cold_build(three, tmp_path):
    src0, _, _ = three
    src = tmp_path / "reports"
    shutil.copytree(src0, src)
    out = tmp_path / "out"
    first = build([src], out, jobs=2)
    assert first.reused == 0 and len(first.extracted) == 3
    again = build([src], out, jobs=2)
    assert again.extracted == [] and again.reused == 3

    changed = src / "wic-2017-internet-development-trends.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe United Nations should close the digital divide.\n",
                       encoding="utf-8")
    inc = build([src], out, jobs=2)
    assert inc.extracted == ["wic-2017-internet-development-trends"] and inc.reused == 2
    cold = build([src], tmp_path / "cold", jobs=1, use_cache=False)
    _same_output(out, tmp_path / "cold")
    assert inc.triples == cold.triples and inc.commitments == cold.commitments
    store = open_store(out / "store")
    assert store.query('ASK { GRAPH ?g { ?c <https://w3id.org/policykg/ontology#text> ?t '
                       'FILTER(CONTAINS(?t, "United Nations should close the digital divide")) } }')

    # a report removed: its graph leaves the store too, and its cache entry goes
    changed.unlink()
    build([src], out, jobs=2)
    cold2 = tmp_path / "cold2"
    build([src], cold2, jobs=1, use_cache=False)
    _same_output(out, cold2)
    assert len(list((out / ".cache").glob("*.kgc"))) == 2


def test_a_build_without_the_cache_in_between_does_not_mislead_the_next_one(three, tmp_path):
    src0, cold, _ = three
    src = tmp_path / "reports"
    shutil.copytree(src0, src)
    out = tmp_path / "out"
    build([src], out, jobs=1)
    report = src / "wic-2018-wuzhen-outlook.txt"
    original = report.read_bytes()
    report.write_bytes(original + b"\nGovernments should act.\n")
    build([src], out, jobs=1, use_cache=False)     # the store now holds the changed report
    report.write_bytes(original)
    build([src], out, jobs=1)                      # the cache still has the original: store must follow
    _same_output(out, cold)


def test_a_broken_store_is_rewritten_whole(three, tmp_path):
    src, cold, _ = three
    out = tmp_path / "out"
    build([src], out, jobs=1)
    (out / "store" / "kg-store.json").unlink()     # as an interrupted patch would leave it
    summary = build([src], out, jobs=1)
    assert summary.reused == 3
    _same_output(out, cold)


def test_shape_violation_in_a_worker_fails_the_build_and_keeps_old_output(three, tmp_path):
    src, cold, _ = three
    out = tmp_path / "out"
    shutil.copytree(cold, out)
    before = {n: (out / n).read_bytes() for n in TEXT_FILES}
    onto = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, onto)
    shapes = (onto / "shapes.ttl").read_text(encoding="utf-8")
    (onto / "shapes.ttl").write_text(shapes.replace("sh:path kg:fileName ; sh:minCount 1", "sh:path kg:fileName ; sh:minCount 2"),
                                     encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        build([src], out, jobs=2, ontology_dir=onto)
    assert "does not conform to the shapes" in str(e.value) and "fileName" in str(e.value)
    assert {n: (out / n).read_bytes() for n in TEXT_FILES} == before
    assert not list(out.glob(".*.tmp"))


def test_progress_is_reported_for_every_report(three, tmp_path):
    src, _, _ = three
    seen = []
    build([src], tmp_path / "out", jobs=2, progress=lambda done, total, reused: seen.append((done, total, reused)))
    assert seen[0] == (0, 3, 0) and seen[-1] == (3, 3, 0)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    seen.clear()
    build([src], tmp_path / "out", jobs=2, progress=lambda done, total, reused: seen.append((done, total, reused)))
    assert seen == [(3, 3, 3)]


def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True)


def test_cli_quiet_prints_nothing_and_a_summary_otherwise(three, tmp_path):
    src, _, _ = three
    quiet = _kg("build", str(src), "--out", str(tmp_path / "q"), "--quiet", "--jobs", "2")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    loud = _kg("build", str(src), "--out", str(tmp_path / "q"), "-j", "1")
    assert loud.returncode == 0
    assert loud.stdout.startswith("3 reports (3 from the cache), ")
    assert loud.stderr == ""   # no progress bar when stderr is not a terminal


@pytest.mark.parametrize("args, message", [
    (["--jobs", "0"], "--jobs must be 1 or more"),
    (["--executor", "dask"], "--executor dask needs --scheduler"),
])
def test_cli_usage_errors(tmp_path, args, message):
    done = _kg("build", "--out", str(tmp_path / "o"), *args)
    assert done.returncode == 2
    assert done.stderr.strip() == f"kg: error: {message}" or message in done.stderr


def test_a_rebuild_with_nothing_changed_keeps_queries_on_the_store(tmp_path):
    """The graph files are rewritten on every build; an untouched store must still count as theirs,
    or `kg query` falls back to parsing graph.ttl."""
    from kg.query import default_source

    out = tmp_path / "out"
    build([CORPUS_DIR], out, jobs=1)
    assert default_source(out) == out / "store"
    before = (out / "store" / "kg-store.json").read_bytes()
    summary = build([CORPUS_DIR], out, jobs=1)
    assert summary.extracted == []
    assert default_source(out) == out / "store"
    assert (out / "store" / "kg-store.json").read_bytes() == before


def test_the_store_loaded_in_batches_holds_the_same_quads(three, tmp_path, monkeypatch):
    # a large build loads the store a batch at a time (Oxigraph's loader holds a batch in memory);
    # with a batch of one quad, each report is its own batch, and the shared graph comes last
    from kg import pipeline
    src, cold, _ = three
    monkeypatch.setattr(pipeline, "STORE_BATCH_QUADS", 1)
    out = tmp_path / "batched"
    build([src], out, jobs=1, use_cache=False)
    quads = _store_quads(out)
    assert quads == _store_quads(cold)
    shared = ox.NamedNode(pipeline.SHARED_GRAPH)
    assert any(q.graph_name == shared and q.subject.value.endswith("/actor/g20") for q in quads)


def test_a_report_removed_from_the_build_loses_its_page(three, tmp_path):
    # the views write one page per report drawn; a page of a report no longer in the build
    # must not be left behind, stale, beside the new ones
    src, _, _ = three
    out = tmp_path / "out"
    build([src], out, jobs=1)
    page = out / "graph-report-wic-2017-internet-development-trends.html"
    assert page.is_file()
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    for p in src.iterdir():
        if not p.name.startswith("wic-2017"):
            shutil.copy(p, fewer / p.name)
    build([fewer], out, jobs=1)
    assert not page.exists()
    assert (out / "graph-report-wic-2018-wuzhen-outlook.html").is_file()


def test_aborting_a_store_load_in_progress_leaves_the_previous_store_and_no_new_file(tmp_path):
    """A build that fails (or is interrupted) while the loader thread is bulk-loading a batch: abort
    returns once that load has stopped and the new store's folder is gone, so no file of it is left
    in the output folder (abort used to remove the folder while Oxigraph was still writing into it),
    and the previous store still answers."""
    import threading
    import time

    from kg.store import StoreWriter, write_store

    location = tmp_path / "store"
    write_store(location, b'<https://example.org/a> <https://example.org/p> "old" <https://example.org/g> .\n')
    before = sorted(p.name for p in tmp_path.iterdir())
    started = threading.Event()

    def slow_batch() -> bytes:
        started.set()
        time.sleep(0.5)
        return b"".join(f'<https://example.org/s{i}> <https://example.org/p> "{i}" <https://example.org/g> .\n'.encode()
                        for i in range(20_000))

    writer = StoreWriter(location)
    writer.add(slow_batch)
    assert started.wait(10)
    writer.abort()
    assert not writer._thread.is_alive()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    time.sleep(0.3)   # nothing appears later either
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert [q.object.value for q in open_store(location).quads_for_pattern(None, None, None)] == ["old"]


def test_graph_files_are_the_same_when_the_kernel_cannot_copy_fragments(three, tmp_path, monkeypatch):
    # the fragments are copied from the cache by os.copy_file_range; where the kernel or file
    # system refuses (EXDEV before Linux 5.3, ENOSYS, ...), they are read and written instead
    import errno
    import os

    def refuses(*args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    src, cold, _ = three
    monkeypatch.setattr(os, "copy_file_range", refuses, raising=False)
    build([src], tmp_path / "copied", jobs=1, use_cache=False)
    _same_output(cold, tmp_path / "copied")


def test_a_cache_entry_cut_short_is_extracted_again(three, tmp_path):
    src, cold, _ = three
    out = tmp_path / "out"
    build([src], out, jobs=1)
    entries = sorted((out / ".cache").glob("*.kgc"))
    assert len(entries) == 3
    damaged = entries[0]
    slug = json.loads(damaged.read_bytes().split(b"\n", 1)[0])["slug"]
    with open(damaged, "r+b") as f:
        f.truncate(damaged.stat().st_size // 2)
    summary = build([src], out, jobs=1)
    assert summary.extracted == [slug]
    _same_output(cold, out)


def test_the_trig_block_of_a_report_is_oxigraphs_trig_of_its_graph():
    # a report's TriG block is built from its Turtle fragments (kg.export.trig_block), not
    # serialised again: it must be, byte for byte, what Oxigraph's TriG serialiser writes
    from kg.export import trig_block, trig_fragment
    from kg.gazetteer import load_vocabulary
    from kg.ingest import read_document
    from kg.pipeline import process_document

    vocab = load_vocabulary(ONTOLOGY_DIR)
    for path in sorted(CORPUS_DIR.glob("*.txt")) + [DATA / "g20-2022-bali-leaders-declaration.txt"]:
        doc = read_document(path, frozenset(vocab.acronyms))
        result = process_document(doc, "key", ONTOLOGY_DIR)
        quads = list(ox.parse(result.shared, format=ox.RdfFormat.N_TRIPLES))
        graph = ox.NamedNode(result.graph)
        everything = sorted([ox.Quad(t.subject, t.predicate, t.object, graph) for t in quads]
                            + list(ox.parse(result.nquads, format=ox.RdfFormat.N_QUADS)), key=str)
        assert result.trig == trig_fragment(everything), path.name
        assert result.trig.startswith(b"id:graph\\/" + doc.slug.encode() + b" {\n\t")
    # literals with a line break, a tab and quotes stay on their line, so indenting lines is safe
    from kg.export import turtle_fragment
    g = ox.NamedNode("https://example.org/g")
    odd = [ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                   ox.Literal('one\nline\r\tand "two"\\'), g)]
    assert trig_block(g, turtle_fragment(q.triple for q in odd)) == trig_fragment(odd)
    assert trig_block(g, b"") == trig_fragment([]) == b""


def test_only_files_that_replace_older_ones_are_synced_to_disk_before_the_renames(three, tmp_path, monkeypatch):
    # a file replacing an older one is written to disk before the rename (the old one is kept if
    # that fails, and ext4 does not stall the rename); a new file has nothing to protect
    from kg import export

    src, _, _ = three
    synced: list[str] = []
    real = export._write_to_disk
    monkeypatch.setattr(export, "_write_to_disk", lambda path: (synced.append(Path(path).name), real(path)))
    out = tmp_path / "out"
    build([src], out, jobs=1)
    assert synced == []
    build([src], out, jobs=1)
    assert {name.split(".tmp")[0].rsplit(".", 1)[0].lstrip(".") for name in synced} >= {
        "graph.ttl", "graph.trig", "graph.jsonld", "graph.html", "graph-report-wic-2018-wuzhen-outlook.html"}


def test_graph_files_are_written_while_the_other_reports_are_extracted(three, tmp_path):
    # each report goes into the (staged) graph files as soon as it and those before it are in,
    # so a cold build does not write 1.2 GB at the end of 1,000 reports
    src, cold, _ = three
    out = tmp_path / "out"
    seen: list[tuple[int, bytes]] = []

    def progress(done, total, reused):
        staged = sorted(out.glob(".graph.trig.*.tmp"))
        seen.append((done, staged[0].read_bytes() if staged else b""))

    build([src], out, jobs=1, progress=progress)
    after_first = dict(seen)[1]
    assert b"id:graph\\/g20-2022-bali-leaders-declaration {" in after_first
    assert b"wic-2017" not in after_first
    assert (out / "graph.trig").read_bytes() == (cold / "graph.trig").read_bytes()
    assert not list(out.glob(".graph*.tmp"))
