"""Property-based tests: generated report-like text through ingest, segment, extract, to RDF and
the SHACL shapes. Whatever the text, nothing crashes, every span's offsets slice back to its
text, and every graph conforms to the shapes.

The generated texts mix what the extractors look for (agents, modal verbs, numbers with units,
dates, acronyms in brackets, conference sentences) with what trips them up (headings of every
kind, list markers, Markdown emphasis, hard wraps, CRLF, blank lines, unicode, stray
punctuation). Example counts are bounded so the file runs in well under a minute.
"""
from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.extract import extract
from kg.gazetteer import load_vocabulary
from kg.ingest import decode, read_document
from kg.segment import segment
from kg.to_rdf import to_graph, to_nquads
from kg.validate import shape_validator, violations

AGENTS = ["The United Nations", "We", "Governments", "The ITU", "All countries", "The G20 Leaders",
          "the Internet Governance Forum (IGF)", "Member States", "The World Internet Conference (WIC)",
          "Internet companies", "the international community", "China", "The OECD", "They", "Civil society"]
MODALS = ["should", "must", "will", "shall", "may", "need to", "are encouraged to", "look forward to",
          "call on all parties to", "commit to", "are determined to", "reaffirm our commitment to", "can"]
AIMS = ["expand broadband access", "protect personal data", "bridge the digital divide", "invest in digital skills",
        "strengthen cybersecurity cooperation", "promote the digital economy", "support small businesses",
        "respect privacy online", "build resilient infrastructure"]
TAILS = ["", " in rural areas", " by 2030", " in order to foster inclusive growth", " if resources allow",
         " so that no one is left behind", ", as agreed in Bali,", " with the private sector"]
NUMBERS = ["$12.9 trillion", "54.4 percent", "about 3 billion", "over 1,000 participants", "4.1 million users",
           "more than 80 countries", "7%", "USD 2.5 billion", "nearly half", "1.2 billion people", "€3 million",
           "0.5 per cent", "3 times", "12th"]
DATES = ["from 7 to 9 November 2018", "on 15-16 November 2022", "in 2019", "on Dec. 3, 2017", "by mid-2025",
         "between 2015 and 2020", "in Q3 2021"]
WORDS = ["café", "naïve", "乌镇", "互联网", "Zürich", "São Paulo", "—", "“quoted”", "‘single’", "e.g.", "i.e.", "Mr.",
         "No.", "U.S.", "etc.", "(a)", "[1]", "...", "…", "🙂", "&", "<b>", "\\.", "%", "A.I.", "5G", "IPv6"]


def _sentence(draw) -> str:
    kind = draw(st.integers(0, 5))
    if kind <= 1:
        s = f"{draw(st.sampled_from(AGENTS))} {draw(st.sampled_from(MODALS))} {draw(st.sampled_from(AIMS))}{draw(st.sampled_from(TAILS))}"
    elif kind == 2:
        s = f"The number of Internet users reached {draw(st.sampled_from(NUMBERS))} {draw(st.sampled_from(DATES))}"
    elif kind == 3:
        s = (f"The {draw(st.sampled_from(['5th', 'Fourth', 'first', '2nd']))} World Internet Conference was held in "
             f"{draw(st.sampled_from(['Wuzhen, Zhejiang Province, China', 'Bali, Indonesia', 'Geneva']))} "
             f"{draw(st.sampled_from(DATES))}, attended by {draw(st.sampled_from(NUMBERS))}")
    elif kind == 4:
        s = " ".join(draw(st.lists(st.sampled_from(WORDS + AIMS + NUMBERS + AGENTS), min_size=1, max_size=8)))
    else:
        s = draw(st.text(st.sampled_from(list("abcdefgh ABCDE.,;:!?()-'\"*_#0123456789é乌\t")), min_size=1, max_size=40))
    if draw(st.booleans()):
        s = s.replace(" ", "\n", 1)   # a hard wrap
    if draw(st.integers(0, 6)) == 0:
        words = s.split(" ")
        i = draw(st.integers(0, len(words) - 1))
        mark = draw(st.sampled_from(["*", "**", "_"]))
        words[i] = f"{mark}{words[i]}{mark}"
        s = " ".join(words)
    return s + draw(st.sampled_from([".", ".", ".", ";", "!", "?", "", ":"]))


@st.composite
def blocks(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(["#", "##", "###"])) + " " + draw(st.sampled_from(AIMS + ["Outlook 2030", "Connectivity"]))
    if kind == 1:
        return f"{draw(st.sampled_from(['1', '2', '12', 'IV', 'II']))}. {draw(st.sampled_from(AIMS)).capitalize()}"
    if kind == 2:
        marker = draw(st.sampled_from(["- ", "* ", "• ", "(a) ", "1. ", "2) ", "-   "]))
        return "\n".join(marker + _sentence(draw) for _ in range(draw(st.integers(1, 3))))
    if kind == 3:
        return f"**{draw(st.sampled_from(AIMS + ['Bali, Indonesia, 15-16 November 2022']))}**"
    if kind == 4:
        return f"{draw(st.integers(1, 40))}\\. " + " ".join(_sentence(draw) for _ in range(draw(st.integers(1, 3))))
    if kind == 5:
        return "> " + _sentence(draw)
    return " ".join(_sentence(draw) for _ in range(draw(st.integers(1, 4))))


@st.composite
def reports(draw) -> str:
    title = draw(st.sampled_from(["", "Wuzhen Outlook 2018\n\n", "乌镇展望2018(双语全文)Wuzhen Outlook 2018\n\n",
                                  "# Digital Futures Report\n\n", "G20 Bali Leaders' Declaration\n\n"]))
    parts = draw(st.lists(blocks(), min_size=1, max_size=8))
    seps = draw(st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"]), min_size=len(parts), max_size=len(parts)))
    text = title + "".join(p + s for p, s in zip(parts, seps))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


@lru_cache(maxsize=1)
def _vocab():
    return load_vocabulary()


def _read(text: str, encoding: str = "utf-8"):
    """The document `read_document` makes of `text` saved in `encoding` (None when it refuses it)."""
    with tempfile.TemporaryDirectory() as folder:
        p = Path(folder) / "generated-report.md"
        p.write_bytes(text.encode(encoding))
        try:
            return read_document(p, frozenset(_vocab().acronyms))
        except InputError:
            return None


def _check_spans(ex) -> None:
    doc = ex.segmented.document
    text = doc.text
    sentences = {s.index: s for s in ex.segmented.sentences}
    last = -1
    for s in ex.segmented.sentences:
        assert text[s.begin:s.end] == s.text and s.text and s.text == s.text.strip()
        assert s.begin >= last
        last = s.end
    for p in ex.segmented.paragraphs:
        assert 0 <= p.begin < p.end <= len(text)
        assert text[p.begin:p.end] == text[p.begin:p.end].strip()
    for sec in ex.segmented.sections:
        assert sec.heading and sec.heading.strip("*_#") and sec.heading in text[sec.begin:sec.end]
    spans = [("mention", m) for m in ex.mentions] + [("commitment", c) for c in ex.commitments] + \
            [("statistic", st_) for st_ in ex.statistics] + [("event", ev) for ev in ex.events]
    for kind, item in spans:
        assert text[item.begin:item.end] == item.text, (kind, item)
        s = sentences[item.sentence]
        assert s.begin <= item.begin <= item.end <= s.end, (kind, item, s)
    for c in ex.commitments:
        assert all(a in ex.actors for a in c.agents), c


# derandomize: CI runs the same examples every time (a failure is reproducible, never flaky);
# run with `--hypothesis-seed=N` after removing it to explore further.
@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_report_text_extracts_with_offsets_that_slice_back(text):
    doc = _read(text)
    assume(doc is not None)
    assert doc.text == text
    ex = extract(segment(doc), _vocab())
    _check_spans(ex)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_every_graph_of_generated_text_conforms_to_the_shapes(text):
    doc = _read(text)
    assume(doc is not None)
    ex = extract(segment(doc), _vocab())
    found = shape_validator().violations(to_nquads(ex, _vocab()))
    assert found == [], found[:5]


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_pyshacl_agrees_that_generated_graphs_conform(text):
    """The reference SHACL engine on a few examples (it takes a second or more per graph)."""
    doc = _read(text)
    assume(doc is not None)
    assert violations(to_graph(extract(segment(doc), _vocab()), _vocab())) == []


@settings(max_examples=80, deadline=None, derandomize=True)
@given(reports(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]))
def test_text_saved_in_any_unicode_encoding_decodes_to_the_same_text(text, encoding):
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be") and not text.isascii():
        # without a byte-order mark, UTF-16 is recognised only by the NULs of ASCII text
        assume(False)
    assert decode(data, "x")[0] == text


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.one_of(st.binary(max_size=300),
                 st.builds(lambda head, body: head + body,
                           st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"%PDF-", b"PK\x03\x04"]),
                           st.binary(max_size=300))))
def test_any_bytes_either_read_or_refused_with_an_input_error(data):
    """Whatever the bytes, reading them gives a document or an InputError; never another exception."""
    with tempfile.TemporaryDirectory() as folder:
        p = Path(folder) / "any.txt"
        p.write_bytes(data)
        try:
            doc = read_document(p)
        except InputError as e:
            assert str(e).startswith(f"{p}: ") and "\n" not in str(e)
            return
        ex = extract(segment(doc), _vocab())
        _check_spans(ex)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_any_unicode_text_segments_and_extracts(text):
    doc = _read(text)
    assume(doc is not None)
    _check_spans(extract(segment(doc), _vocab()))


def test_one_edition_described_with_two_dates_still_conforms():
    """Found by the property test above with more examples: one edition once had the dates of two sentences."""
    text = ("The 5th World Internet Conference was held in Wuzhen, China on 15-16 November 2022.\n\n"
            "The 5th World Internet Conference was held in Wuzhen, China from 7 to 9 November 2018.\n")
    ex = extract(segment(_read(text)), _vocab())
    assert shape_validator().violations(to_nquads(ex, _vocab())) == []


def test_a_statistic_of_twenty_one_digits_conforms():
    """Found by the property test: Oxigraph's decimal holds about 1.7e20, so the compiled shapes once refused it."""
    ex = extract(segment(_read("Users reached 200000000000000000000.\n")), _vocab())
    assert violations(to_graph(ex, _vocab())) == []   # pySHACL: conforms
    assert shape_validator().violations(to_nquads(ex, _vocab())) == []


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_string_written_as_an_n_triples_literal_reads_back_the_same(text):
    # to_rdf writes literals as N-Triples text itself (no rdflib terms on the hot path); every
    # string, with backslashes, quotes and line breaks anywhere, must parse back to itself
    import pyoxigraph as ox

    from kg.to_rdf import _s

    line = f"<https://example.org/s> <https://example.org/p> {_s(text)} .\n".encode("utf-8")
    [triple] = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    assert triple.object.value == text
