"""Stage 2, segment: cut a document into title, sections, paragraphs and sentences.

Works on the original text without changing it: every record carries `begin`/`end` offsets into
`Document.text`, and a sentence's `text` is exactly `document.text[begin:end]` (hard-wrapped
lines keep their newlines). Recognises numbered headings ("1. The pace of…", "IV. Governments…",
Markdown "## …"), numbered paragraphs ("12\\. We will…"), list items ("- Stay agile…", "(a) …")
and Markdown emphasis around a whole line.
"""
from __future__ import annotations

import re

from .ingest import title_spans
from .records import Document, Paragraph, Section, Segmented, Sentence

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
# "1. ", "IV. ", "1\. " (Markdown-escaped), "12) ", "## 3. " …
_NUMBERED = re.compile(rf"^(?P<lead>\s*(?:#+\s*)?(?:\*\*)?)(?P<num>\d{{1,3}}|{_ROMAN})\\?[.)](?=\s)\s*")
_MD_HEADING = re.compile(r"^\s*(#{1,6})\s+")
_LIST_ITEM = re.compile(r"^(?P<lead>\s*(?:[-*•·▪‣◦]|\(?[a-z]\)|\(?[ivx]{1,4}\)|\d{1,2}\))\s+)")
_BLANK = re.compile(r"^\s*$")
_EDGE_MARKUP = "#>"   # and white space of any kind (str.isspace): form feeds, U+2028 …

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "art", "arts", "para", "paras", "vol",
    "e.g", "i.e", "cf", "vs", "viz", "al", "approx", "inc", "ltd", "co", "corp", "dept", "fig",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "op",
    "u.s", "u.k", "u.n", "gov", "govt", "sec", "ch", "pp", "p", "ed", "eds", "rev", "est",
}
_BOUNDARY = re.compile(
    r"(?P<stop>[.!?…]+[\"'”’)\]*_]*|[。！？]+[”’」』)]*)"
    r"(?=(?P<space>\s+)[\"'“‘(\[*]*[A-Z0-9\u3400-\u9fff]|\s*$|(?<=[。！？])|(?<=[。！？][”’」』)]))"
)


# Markdown that is not prose: fenced code, HTML comments, thematic breaks ("---", "***") and the
# underlines of Setext headings ("Title\n=====").
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_RULE = re.compile(r"\s*(?:(?:[-*_=]\s*){3,})")
_UNDERLINE = re.compile(r"\s*(?:=+|-+)\s*")
_TABLE_SEPARATOR = re.compile(r"\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?\s*")


def _not_prose(text: str) -> list[tuple[int, int]]:
    """Spans of fenced code blocks and HTML comments, which hold no sentences of the report."""
    spans = [(m.start(), m.end()) for m in _COMMENT.finditer(text)] if "<!--" in text else []
    if "```" in text or "~~~" in text:
        fence, start = None, 0
        for pos, line in _lines(text):
            m = _FENCE.match(line)
            if fence is None and m:
                fence, start = m.group(1), pos
            elif fence is not None and line.strip().startswith(fence):
                spans.append((start, pos + len(line)))
                fence = None
        if fence is not None:
            spans.append((start, len(text)))
    return sorted(spans)


def _lines(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line
        pos += len(line)


def _blocks(text: str) -> list[tuple[int, int]]:
    """Runs of non-blank lines: (begin, end) without the final newline."""
    blocks, start, last_end = [], None, 0
    for pos, line in _lines(text):
        if _BLANK.match(line):
            if start is not None:
                blocks.append((start, last_end))
                start = None
            continue
        if start is None:
            start = pos
        last_end = pos + len(line.rstrip("\r\n"))
    if start is not None:
        blocks.append((start, last_end))
    return blocks


def _split_list_items(text: str, begin: int, end: int) -> list[tuple[int, int, bool, str | None]]:
    """Cut a block where list items start: (begin, end, is_item, number). In a block that opens
    with a numbered line ("1. …"), every later line that opens with a number starts a numbered
    paragraph of its own (a Markdown ordered list, numbered paragraphs without blank lines)."""
    parts: list[tuple[int, int, bool, str | None]] = []
    first = _NUMBERED.match(text[begin:end])
    numbered_block = bool(first and first.group("num") and first.group("num")[0].isdigit())
    cur, cur_item, cur_number = begin, False, None
    for pos, line in _lines(text[begin:end]):
        at = begin + pos
        numbered = _NUMBERED.match(line) if numbered_block else None
        if pos > 0 and numbered and numbered.group("num").isdigit():
            parts.append((cur, at, cur_item, cur_number))
            cur, cur_item, cur_number = at, False, numbered.group("num")
        elif pos > 0 and _LIST_ITEM.match(line):
            parts.append((cur, at, cur_item, cur_number))
            cur, cur_item, cur_number = at, True, None
        elif pos == 0 and _LIST_ITEM.match(line):
            cur_item = True
    parts.append((cur, end, cur_item, cur_number))
    return [p for p in parts if text[p[0]:p[1]].strip()]


_EMPHASIS_RUN = re.compile(r"[*_]+")


def _trim(text: str, begin: int, end: int) -> tuple[int, int]:
    """Move begin/end inwards past white space, heading and quote marks, and Markdown emphasis
    marks that are not closed inside the span ("**We will act." → "We will act.") or that wrap
    all of it ("**Prepared by the Council**"); inline emphasis ("*UN* should act.") is kept whole."""
    while True:
        b0, e0 = begin, end
        while begin < end and (text[begin] in _EDGE_MARKUP or text[begin].isspace()):
            begin += 1
        while end > begin and (text[end - 1] in _EDGE_MARKUP or text[end - 1].isspace()):
            end -= 1
        # (runs of emphasis marks read in place: most spans have none at either edge, and a regex
        # over a copy of every sentence was a third of segmenting's time)
        lead = _EMPHASIS_RUN.match(text, begin, end) if begin < end and text[begin] in "*_" else None
        if lead:
            run = lead.group(0)
            at = text.find(run, begin + len(run), end)
            if at == -1 or (at == end - len(run) and len(run) < end - begin - len(run)):
                begin += len(run)
                if at != -1:
                    end -= len(run)
        k = end
        while k > begin and text[k - 1] in "*_":
            k -= 1
        if k < end and text.find(text[k:end], begin, k) == -1:   # a trailing run not opened inside
            end = k
        if (begin, end) == (b0, e0):
            return begin, end


# Longest sentence kept whole. Real sentences stay far below it (the longest in the bundled
# reports and the G20 declaration is 734 characters); a longer run without a sentence end is a
# flattened table or list, and cutting it keeps extraction linear in the size of the file.
MAX_SENTENCE = 2000


def _cut_long(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Cut text[begin:end] into pieces of at most MAX_SENTENCE characters, at the last clause
    break (";", ":", ",") in the second half of each piece, else at the last space, else hard."""
    pieces: list[tuple[int, int]] = []
    while end - begin > MAX_SENTENCE:
        window = text[begin + MAX_SENTENCE // 2:begin + MAX_SENTENCE]
        cut = None
        for pattern in (r"[;:,]\s", r"\s"):
            last = None
            for last in re.finditer(pattern, window):
                pass
            if last:
                cut = begin + MAX_SENTENCE // 2 + last.end()
                break
        cut = cut or begin + MAX_SENTENCE
        b, e = _trim(text, begin, cut)
        if e > b:
            pieces.append((b, e))
        begin = cut
    b, e = _trim(text, begin, end)
    if e > b:
        pieces.append((b, e))
    return pieces


def split_sentences(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[begin:end] (offsets into `text`); a run longer than
    MAX_SENTENCE characters without a sentence end is cut into pieces (see `_cut_long`)."""
    spans: list[tuple[int, int]] = []
    start = begin
    chunk = text[begin:end]
    for m in _BOUNDARY.finditer(chunk):
        stop_at = begin + m.end("stop")
        if stop_at >= end:
            break
        if m.group("stop")[0] == ".":
            # only the last few characters can hold an abbreviation: a bounded window keeps a
            # long run of abbreviations ("Mr. Smith Mr. Smith …") linear, not quadratic
            stop = begin + m.start("stop")
            word = re.search(r"(^|[^\w.])([\w.]+)$", text[max(start, stop - 64):stop])
            w = word.group(2).lower() if word else ""
            initial = bool(word) and re.fullmatch(r"[A-Z]", word.group(2)) and word.group(1) in {"", " ", "\n", "("}
            if w in _ABBREVIATIONS or initial or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):
                continue
        b, e = _trim(text, start, stop_at)
        if e > b:
            spans.extend(_cut_long(text, b, e))
        start = stop_at
    b, e = _trim(text, start, end)
    if e > b:
        spans.extend(_cut_long(text, b, e))
    return spans


def _numbered_items(text: str, blocks: list[tuple[int, int]]) -> set[int]:
    """Starts of the one-line numbered blocks that are numbered paragraphs, not headings: those
    next to a block numbered one more or one less ("1. We met in New Delhi." / "2. We commit to …"),
    where a heading would be followed by its body ("1. Digital technologies develop fast." / text)."""
    numbers: list[int | None] = []
    for b, e in blocks:
        m = _NUMBERED.match(text[b:min(e, b + 200)])   # (a number opens the block: no need to copy all of it)
        numbers.append(int(m.group("num")) if m and m.group("num") and m.group("num").isdigit() else None)
    out: set[int] = set()
    for k, (b, _) in enumerate(blocks):
        n = numbers[k]
        if n is None:
            continue
        if (k + 1 < len(blocks) and numbers[k + 1] == n + 1) or (k > 0 and numbers[k - 1] == n - 1):
            out.add(b)
    return out


def segment(document: Document) -> Segmented:
    """Cut `document` into sections, paragraphs and sentences, all with offsets into its text."""
    text = document.text
    titles = title_spans(text)
    title_end = titles[-1][1] if titles else 0
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []

    def add_paragraph(b: int, e: int, section: int | None, **flags) -> None:
        if e <= b:
            return   # markup alone ("**", "#"): no paragraph
        para = Paragraph(index=len(paragraphs) + 1, begin=b, end=e, section=section, **flags)
        paragraphs.append(para)
        heading = flags.get("is_heading", False) or flags.get("is_title", False)
        for sb, se in split_sentences(text, b, e):
            sentences.append(Sentence(index=len(sentences) + 1, begin=sb, end=se, text=text[sb:se],
                                      paragraph=para.index, section=section, is_heading=heading))

    for tb, te in titles:
        tb, te = _trim(text, tb, te)
        if te > tb:
            add_paragraph(tb, te, None, is_title=True)

    current: int | None = None
    skips = _not_prose(text)
    blocks = list(_blocks(text))
    items = _numbered_items(text, blocks)
    for block_begin, block_end in blocks:
        if block_begin < title_end:
            # a block that starts with the title lines: keep only what follows them
            block_begin = title_end
            while block_begin < block_end and text[block_begin].isspace():
                block_begin += 1
            if block_begin >= block_end:
                continue
        if any(sb <= block_begin < se for sb, se in skips):
            continue
        raw = text[block_begin:block_end]
        if _RULE.fullmatch(raw):
            continue
        lines = raw.splitlines()
        if len(lines) >= 2 and _UNDERLINE.fullmatch(lines[-1]) and len(lines[-1].strip()) >= 2:
            # a Setext heading: the lines above the underline
            b, e = _trim(text, block_begin, block_begin + len(raw) - len(raw.splitlines(keepends=True)[-1]))
            if e > b:
                sections.append(Section(index=len(sections) + 1, number=None, heading=text[b:e], begin=b, end=block_end))
                current = len(sections)
                add_paragraph(b, e, current, is_heading=True)
            continue
        if all(line.lstrip().startswith("|") for line in lines):
            # a Markdown table: each row but the separator is a paragraph, without its outer bars
            for pos, line in _lines(raw):
                if _TABLE_SEPARATOR.fullmatch(line.rstrip("\r\n")):
                    continue
                b, e = block_begin + pos, block_begin + pos + len(line.rstrip("\r\n"))
                while b < e and text[b] in "| \t":
                    b += 1
                while e > b and text[e - 1] in "| \t":
                    e -= 1
                if e > b:
                    add_paragraph(b, e, current)
            continue
        one_line = len(raw.strip().splitlines()) == 1   # any line break: \n, \r\n, a lone \r
        numbered = _NUMBERED.match(raw)
        md = _MD_HEADING.match(raw)
        bold_line = one_line and raw.strip().startswith("**") and raw.strip().endswith("**") and len(raw) < 200
        if one_line and (md or (numbered and len(raw) <= 250 and numbered.group("num") and block_begin not in items)
                         or bold_line):
            number = numbered.group("num") if numbered and numbered.group("num") else None
            skip = numbered.end() if number else (md.end() if md else 0)
            b, e = _trim(text, block_begin + skip, block_end)
            if e <= b:
                continue   # a heading mark with no heading ("## ", "1. ")
            if number is None and bold_line and not md:
                # A bold line alone (a dateline, a sub-title) is a heading paragraph, not a section.
                add_paragraph(b, e, current, is_heading=True)
                continue
            sections.append(Section(index=len(sections) + 1, number=number, heading=text[b:e],
                                    begin=block_begin + len(raw) - len(raw.lstrip()), end=block_end))
            current = len(sections)
            add_paragraph(b, e, current, is_heading=True)
            continue
        for b, e, is_item, number in _split_list_items(text, block_begin, block_end):
            if is_item:
                b += _LIST_ITEM.match(text[b:e]).end()
            elif number:
                b += _NUMBERED.match(text[b:e]).end()
            elif numbered and b == block_begin and numbered.group("num"):
                number = numbered.group("num")
                b += numbered.end()
            b, e = _trim(text, b, e)
            if e > b:
                add_paragraph(b, e, current, number=number, is_list_item=is_item)
        if current is not None:
            s = sections[current - 1]
            sections[current - 1] = Section(s.index, s.number, s.heading, s.begin, block_end)
    return Segmented(document=document, sections=sections, paragraphs=paragraphs, sentences=sentences)
