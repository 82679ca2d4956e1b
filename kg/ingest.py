"""Stage 1, ingest: read report files, decode them, and record what they are.

`ingest(paths)` takes files and folders (`.txt`, `.md`) and returns one `Document` per distinct
content; the decoded text is kept exactly as read, so every later offset slices back into it.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .records import Document, Label

SUFFIXES = (".txt", ".md", ".markdown")
# A folder's own documentation files are not reports.
NOT_REPORTS = ("README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20\d\d)(?![\d])")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATELINE = re.compile(rf"^[\w\s,.'-]*\b\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+{_MONTH}\.?\s+\d{{4}}\s*$|"
                       rf"^[\w\s,.'-]*\b{_MONTH}\.?\s+\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?,?\s+\d{{4}}\s*$")
_MARKUP = re.compile(r"^[#>*_\s]+|[*_\s]+$")
# Bracketed editorial notes in a title line: "(双语全文)", "(full text)", "[draft]".
_NOTE = re.compile(r"[(（\[][^)）\]]{0,20}[)）\]]")


@dataclass
class IngestResult:
    """Documents read, and the files that were skipped with the reason why."""

    documents: list[Document]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def collect_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their report files (sorted, recursive); keep files as given."""
    files: list[Path] = []
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: no such file or folder")
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                           and not f.stem.upper().startswith(NOT_REPORTS)
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise InputError(f"{p}: folder holds no .txt or .md report")
            files.extend(found)
        else:
            files.append(p)
    return files


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode report bytes: BOMs first, then UTF-8, then CP1252/Latin-1. Returns (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: has a UTF-16 byte-order mark but is not valid UTF-16") from e
    if b"\x00" in data:
        # UTF-16 without a BOM shows NULs in every other byte of ASCII text.
        even, odd = data[0::2].count(0), data[1::2].count(0)
        # The other bytes of such text are mostly printable ASCII; in binary data they are not.
        other = data[1::2] if even > odd else data[0::2]
        asciiish = sum(1 for b in other if 32 <= b < 127 or b in (9, 10, 13)) / max(1, len(other))
        if len(data) % 2 == 0 and max(even, odd) > 0.4 * len(data) / 2 and min(even, odd) == 0 and asciiish > 0.6:
            codec = "utf-16-be" if even > odd else "utf-16-le"
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
        raise InputError(f"{name}: binary file (contains NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def detect_language(text: str) -> str:
    """`zh` when CJK characters outnumber Latin letters, else `en` (reports we read are English)."""
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    return "zh" if cjk > latin else "en"


def slugify(text: str) -> str:
    """Lower-case ASCII slug: runs of other characters become one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the leading lines that form a title: short lines, no sentence-final stop,
    before the first prose paragraph. A dateline ("Bali, Indonesia, 15-16 November 2022") is
    not a title."""
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not stripped:
            if spans:
                continue
            continue
        bare = _MARKUP.sub("", stripped)
        if (len(bare) > 120 or re.search(r"[.;:]$", bare) or _DATELINE.match(bare)
                or re.match(r"^(\d+|[IVXLC]+)\\?[.)]\s", bare)):
            break
        b = start + line.index(stripped[0])
        spans.append((b, b + len(stripped)))
        if len(spans) == 3:
            break
    return spans


def _split_scripts(line: str) -> list[Label]:
    """Cut a mixed-script title line into language-tagged labels:
    "乌镇展望2018(双语全文)Wuzhen Outlook 2018" → "乌镇展望2018"@zh, "Wuzhen Outlook 2018"@en."""
    line = _MARKUP.sub("", line)
    labels: list[Label] = []
    for run in re.finditer(r"[^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*|[^\u3400-\u9fff]+", line):
        part = run.group(0)
        lang = "zh" if _CJK.search(part) else "en"
        part = _NOTE.sub("", part).strip(" \t-–—:|()（）")
        if part and re.search(r"\w", part):
            labels.append(Label(part, lang))
    return labels


def _humanise_stem(stem: str, acronyms: frozenset[str]) -> str:
    """A title from a file name: "wic-2017-internet-development-trends" → "WIC 2017 Internet Development Trends"."""
    small = {"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"}
    out = []
    for w in (w for w in re.split(r"[-_\s]+", stem) if w):
        if w.upper() in acronyms or re.fullmatch(r"[a-z]+\d+[a-z]*", w, re.I):
            out.append(w.upper())
        elif out and w.lower() in small:
            out.append(w.lower())
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def read_document(path: Path, acronyms: frozenset[str] = frozenset(), slug: str | None = None) -> Document:
    """Read and decode one report file and record its metadata."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from e
    name = path.name
    if path.suffix.lower() not in SUFFIXES:
        if data[:5] == b"%PDF-":
            raise InputError(f"{path}: is a PDF; convert it to .txt first (e.g. pdftotext)")
        raise InputError(f"{path}: not a .txt or .md report")
    text, encoding = decode(data, str(path))
    if not text.strip():
        raise InputError(f"{path}: empty file (no text)")
    if not re.search(r"\w{2,}", text):
        raise InputError(f"{path}: no words in the file")

    language = detect_language(text)
    spans = title_spans(text)
    labels: list[Label] = []
    for b, e in spans:
        for label in _split_scripts(text[b:e]):
            if label not in labels:
                labels.append(label)
    english = [lb.text for lb in labels if lb.lang == "en"]
    if english:
        title, derived = english[0], False
    elif labels:
        title, derived = labels[0].text, False
    else:
        title, derived = _humanise_stem(path.stem, acronyms), True
        labels = [Label(title, "en")]
    year = None
    for source in [title, path.stem, text[:2000]]:
        m = _YEAR.search(source)
        if m:
            year = int(m.group(1))
            break
    return Document(path=str(path), file_name=name, slug=slug or slugify(path.stem) or "report",
                    sha256=hashlib.sha256(data).hexdigest(), encoding=encoding, text=text,
                    title=title, title_labels=labels, title_derived=derived, year=year,
                    language=language)


def ingest(paths: list[Path], acronyms: frozenset[str] = frozenset(), strict: bool = False) -> IngestResult:
    """Read every report under `paths`. Files with the same bytes are read once (all paths kept).

    A bad file given by name is an error; one found inside a folder is skipped (reported in
    `IngestResult.skipped`) unless `strict`.
    """
    named = {p.resolve() for p in paths if p.is_file()}
    result = IngestResult([])
    by_hash: dict[str, Document] = {}
    slugs: set[str] = set()
    for f in collect_files(paths):
        try:
            doc = read_document(f, acronyms)
        except InputError as e:
            if strict or f.resolve() in named:
                raise
            result.skipped.append((str(f), str(e)))
            continue
        if doc.sha256 in by_hash:
            by_hash[doc.sha256].also_read_from.append(str(f))
            continue
        slug, n = doc.slug, 2
        while doc.slug in slugs:
            doc.slug = f"{slug}-{n}"
            n += 1
        slugs.add(doc.slug)
        by_hash[doc.sha256] = doc
        result.documents.append(doc)
    if not result.documents:
        reasons = "; ".join(r for _, r in result.skipped[:3])
        raise InputError(f"no readable report in {', '.join(map(str, paths))}" + (f" ({reasons})" if reasons else ""))
    return result
