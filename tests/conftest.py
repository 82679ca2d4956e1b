"""Shared fixtures: the bundled corpus built once per test session."""
from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from kg.gazetteer import load_vocabulary
from kg.pipeline import CORPUS_DIR, build, extract_paths

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# A shell starting a command in the background (`pytest … &` in a script) has it ignore SIGINT,
# and every process it starts inherits that: the tests that stop `kg serve` or a build with Ctrl-C
# would then wait for nothing. Ctrl-C gets its usual meaning back here, so children inherit it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def vocab():
    return load_vocabulary()


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Output folder of `kg build` on the bundled corpus."""
    out = tmp_path_factory.mktemp("out")
    build([CORPUS_DIR], out)
    return out


@pytest.fixture(scope="session")
def extractions():
    """Extraction records of the two bundled reports, by file name."""
    found, _ = extract_paths([CORPUS_DIR])
    return {ex.segmented.document.file_name: ex for ex in found}


@pytest.fixture(scope="session")
def graph(built):
    from rdflib import Graph
    return Graph().parse(built / "graph.ttl")


def text_fixture(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


@pytest.fixture
def copy_output(tmp_path):
    def _copy(src: Path) -> Path:
        dst = tmp_path / "prev"
        shutil.copytree(src, dst)
        return dst
    return _copy


def pytest_addoption(parser):
    parser.addoption("--update-cases", action="store_true", default=False,
                     help="rewrite tests/cases/*/expected.ttl from the current output (review the diff)")
