"""A corpus of N distinct reports for benchmarks and scale tests, made from the bundled reports
and the extra text in tests/data: copy i of a text gets its own title line and year (first
line), and its own file name, so no two reports have the same bytes or slug."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "corpus").glob("*.txt")) + [ROOT / "tests" / "data" / "g20-2022-bali-leaders-declaration.txt"]


def make_corpus(n: int, dest: Path, sources: list[Path] = SOURCES) -> list[Path]:
    """Write `n` reports into `dest` (created) and return their paths, in order."""
    dest.mkdir(parents=True, exist_ok=True)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    out = []
    for i in range(n):
        stem, text = texts[i % len(texts)]
        year = 1990 + i % 36
        title = f"Benchmark Report {i + 1} of {year}: {stem.replace('-', ' ').title()}"
        path = dest / f"r{i + 1:05d}-{stem}.txt"
        path.write_text(f"{title}\n\n{text}", encoding="utf-8")
        out.append(path)
    return out
