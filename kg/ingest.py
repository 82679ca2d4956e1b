"""Stage 1, ingest: read report files, decode them, and record what they are.

`ingest(paths)` takes files and folders (`.txt`, `.md`) and returns one `Document` per distinct
content; the decoded text is kept exactly as read, so every later offset slices back into it.
"""
from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .records import Document, Label

SUFFIXES = (".txt", ".md", ".markdown")
# Reports saved in a format we cannot read: in a folder they are skipped with a warning saying
# how to convert them, rather than ignored without a word.
OTHER_FORMATS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".epub")
# A folder's own documentation files are not reports.
NOT_REPORTS = ("README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING")

# runs, not single characters, and ASCII letters by str.count: a match object per letter took
# most of ingest's time
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
_LATIN_ACCENTED = re.compile(r"[\u00c0-\u024f]+")
_CJK_LEADS = tuple(bytes([b]) for b in (0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEF))
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
            raise InputError(f"{p}: no such file or folder; check the path")
        if not p.is_dir() and not p.is_file():
            # a named pipe or a device would block or never end
            raise InputError(f"{p}: not a regular file or folder; give a report file or a folder of them")
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES + OTHER_FORMATS
                           and not f.stem.upper().startswith(NOT_REPORTS)
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise InputError(f"{p}: folder holds no .txt or .md report; add reports or give another path")
            files.extend(found)
        else:
            files.append(p)
    # a file named twice (or also found in a folder given) is read once
    seen: set[Path] = set()
    return [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]


# Magic numbers of formats people mistake for text reports, whatever the file is called.
_FORMATS = (
    (b"%PDF-", "a PDF", "convert it to text first (e.g. `pdftotext FILE.pdf FILE.txt`)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "give the report's text, not a picture of it"),
    (b"\xff\xd8\xff", "a JPEG image", "give the report's text, not a picture of it"),
    (b"GIF8", "a GIF image", "give the report's text, not a picture of it"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)", "unpack it, or save the document as plain text (.txt)"),
    (b"\xd0\xcf\x11\xe0", "a Word/Office document", "save it as plain text (.txt)"),
    (b"{\\rtf", "an RTF document", "save it as plain text (.txt)"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first"),
)
# Control characters binary data is full of and text reports hardly ever hold (tab, newline,
# vertical tab, form feed and carriage return are text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# A well-formed UTF-8 sequence of two to four bytes.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def sniff_format(data: bytes) -> tuple[str, str] | None:
    """(what the file is, what to do) when `data` starts like a known non-text format."""
    for magic, what, todo in _FORMATS:
        if data.startswith(magic):
            return what, todo
    return None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode report bytes: BOMs first, then UTF-16 without a BOM, UTF-8, then CP1252 (Latin-1
    for the few bytes CP1252 leaves undefined). Returns (text, encoding name as recorded).

    Raises `InputError` for binary data: a known non-text format, NUL bytes that are not
    UTF-16, or text full of control characters."""
    found = sniff_format(data)
    if found:
        raise InputError(f"{name}: is {found[0]}, not a text report; {found[1]}")
    text, encoding = _decode_text(data, name)
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(2, len(text[:65536]) // 1000):
        raise InputError(f"{name}: binary file ({controls} control characters), not a text report; "
                         "give a plain-text (.txt or .md) version")
    return text, encoding


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    boms = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8-sig"),
            (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
    for bom, codec in boms:
        if data.startswith(bom):
            try:
                # "utf-8-sig" drops its BOM itself; for the others, skip the BOM bytes
                return (data.decode(codec) if codec == "utf-8-sig" else data[len(bom):].decode(codec)), codec
            except UnicodeDecodeError as e:
                raise InputError(f"{name}: starts with a {codec.upper()} byte-order mark but is not valid "
                                 f"{codec.upper()} (byte {e.start}); re-save it as UTF-8") from e
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
        raise InputError(f"{name}: binary file (contains NUL bytes), not a text report; "
                         "give a plain-text (.txt or .md) version")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray bytes (files pasted together): decoding all of it as CP1252
    # would garble every accented letter, so keep UTF-8 and replace only the stray bytes.
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    if multibyte:
        text = data.decode("utf-8", errors="replace")
        stray = text.count("\ufffd") - data.count("\ufffd".encode())
        if stray < multibyte:
            return text, f"utf-8 ({stray} invalid byte{'s' if stray > 1 else ''} replaced by U+FFFD)"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # bytes 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in CP1252; Latin-1 maps every byte
        return data.decode("latin-1"), "latin-1"


def detect_language(text: str) -> str:
    """`zh` when CJK characters outnumber Latin letters, else `en` (reports we read are English).
    Counts over the first 200,000 characters: enough to tell, and bounded for a file of many MB."""
    sample = text[:200_000]
    if sample.isascii():
        return "en"
    # every character _CJK matches is encoded in UTF-8 from a lead byte E3-E9 or EF: without any,
    # there is none (a test of bytes, ten times cheaper than the regex over most non-ASCII text)
    encoded = sample.encode("utf-8", "surrogatepass")
    if not any(lead in encoded for lead in _CJK_LEADS):
        return "en"
    cjk = sum(map(len, _CJK.findall(sample)))
    if not cjk:
        return "en"
    latin = sum(map(sample.count, string.ascii_letters)) + sum(map(len, _LATIN_ACCENTED.findall(sample)))
    return "zh" if cjk > latin else "en"


def slugify(text: str) -> str:
    """Lower-case ASCII slug: runs of other characters become one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the leading lines that form a title: short lines, no sentence-final stop and no
    trailing comma (a speaker's "The General Assembly," runs on into the text), before the first
    prose paragraph (at most three). A block of lines is taken whole or not at all, so the first
    lines of a hard-wrapped paragraph are never mistaken for a title. A dateline
    ("Bali, Indonesia, 15-16 November 2022") is not a title."""
    spans: list[tuple[int, int]] = []
    block: list[tuple[int, int]] = []
    pos = 0
    # A title opens the text: look at its first 20,000 characters only (a file may be many MB);
    # the "" after the last whole line closes a title block that runs to the end of the text.
    head = text[:20_000]
    lines = head.splitlines(keepends=True)
    if len(head) < len(text):
        lines = lines[:-1]   # may be cut short
    else:
        lines.append("")
    for line in lines:
        start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not stripped:
            if block:
                spans.extend(block)
                block = []
                if len(spans) >= 3 or not line:
                    break
            if not line:
                break
            continue
        if len(stripped) > 200:
            break   # prose, not a title (and a line of megabytes is not scanned further)
        if block and re.fullmatch(r"=+|-+", stripped) and len(stripped) >= 2:
            # a Setext underline: the lines above are a heading; the first one is the title
            if not spans:
                spans.extend(block)
            break
        if stripped.startswith("|"):
            break   # a table row ("| Indicator | Value |") starts the body
        bare = _MARKUP.sub("", stripped)
        if not bare:
            continue   # markup alone ("#", "***"): nothing to name the report by
        if (len(bare) > 120 or re.search(r"[.;:,]$", bare) or _DATELINE.match(bare)
                or re.match(r"^(\d+|[IVXLC]+)\\?[.)]\s", bare)):
            break
        b = start + line.index(stripped[0])
        block.append((b, b + len(stripped)))
    return spans[:3]


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
        raise InputError(f"{path}: cannot read ({e.strerror or e}); check its permissions") from e
    name = path.name
    text, encoding = decode(data, str(path))
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path}: not a .txt or .md report; save it as plain text (.txt) or rename it")
    if not text.strip():
        raise InputError(f"{path}: empty file (no text); remove it or give the report's text")
    if not re.search(r"\w{2,}", text):
        raise InputError(f"{path}: no words in the file; remove it or give the report's text")

    language = detect_language(text)
    spans = title_spans(text)
    labels: list[Label] = []
    for b, e in spans:
        for label in _split_scripts(text[b:e]):
            if label not in labels:
                labels.append(label)
    # the first label in each language is the title in it; the others are alternative titles
    titles: list[Label] = []
    alternatives: list[Label] = []
    for label in labels:
        (alternatives if any(t.lang == label.lang for t in titles) else titles).append(label)
    labels = titles
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
                    language=language, alternative_titles=alternatives)


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
            first = by_hash[doc.sha256]
            first.also_read_from.append(str(f))
            result.skipped.append((str(f), f"{f}: same content as {first.path}; built once as {first.file_name}"))
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
