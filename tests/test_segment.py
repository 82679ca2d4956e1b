"""Stage 2: sections, paragraphs and sentences, with offsets into the original text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import read_document
from kg.pipeline import CORPUS_DIR
from kg.records import Document
from kg.segment import segment, split_sentences


def _doc(text: str) -> Document:
    return Document(path="t.txt", file_name="t.txt", slug="t", sha256="0" * 64, encoding="utf-8", text=text,
                    title="t", title_labels=[], title_derived=True, year=None, language="en")


def test_roman_and_arabic_numbered_headings_open_sections():
    seg = segment(read_document(CORPUS_DIR / "wic-2017-internet-development-trends.txt"))
    assert [s.number for s in seg.sections] == ["I", "II", "III", "IV", "V"]
    assert seg.sections[3].heading.startswith("Governments are poised to contribute more actively")
    seg18 = segment(read_document(CORPUS_DIR / "wic-2018-wuzhen-outlook.txt"))
    assert [s.number for s in seg18.sections] == ["1", "2", "3", "4", "5"]
    assert seg18.sections[0].heading == "The pace of IT innovation accelerated and narrowing the digital divide is an urgent task."


def test_every_sentence_slices_back_from_the_source_text():
    for name in ("wic-2017-internet-development-trends.txt", "wic-2018-wuzhen-outlook.txt"):
        doc = read_document(CORPUS_DIR / name)
        seg = segment(doc)
        assert seg.sentences
        for s in seg.sentences:
            assert doc.text[s.begin:s.end] == s.text


def test_sentence_split_keeps_abbreviations_and_decimals_together():
    text = "The rate reached 54.4 percent, e.g. in Asia. Growth was about 3 percent in Dec. 2018. Next one."
    spans = split_sentences(text, 0, len(text))
    assert [text[b:e] for b, e in spans] == [
        "The rate reached 54.4 percent, e.g. in Asia.",
        "Growth was about 3 percent in Dec. 2018.",
        "Next one.",
    ]


def test_numbered_paragraphs_hard_wraps_and_list_items():
    text = ("1\\. Fourteen years ago, the Leaders of the G20 met for the first time,\n"
            "facing a crisis. We recognized our duty.\n\n"
            "2\\. With the above in mind, we\nwill:\n\n"
            "-   Stay agile and flexible in our policy\n    responses.\n"
            "-   Protect financial stability.\n")
    seg = segment(_doc(text))
    assert [p.number for p in seg.paragraphs[:2]] == ["1", "2"]
    assert seg.sentences[0].text == "Fourteen years ago, the Leaders of the G20 met for the first time,\nfacing a crisis."
    items = [p for p in seg.paragraphs if p.is_list_item]
    assert [text[p.begin:p.end] for p in items] == ["Stay agile and flexible in our policy\n    responses.", "Protect financial stability."]
    assert seg.sections == []  # numbered paragraphs of prose are not headings


def test_consecutive_one_line_numbered_paragraphs_are_not_headings():
    # one line each, numbered 1, 2, 3: a declaration's paragraphs; a numbered line followed by its
    # body is a heading, as in the WIC reports
    text = ("1. We met in New Delhi on 9-10 September 2023.\n\n2. We commit to bridging the digital divide.\n\n"
            "3. We will meet again in 2024.\n\nThe meeting closed.\n\n"
            "5. Digital technologies develop fast.\n\nThey change every industry.\n")
    seg = segment(_doc(text))
    assert [(p.number, text[p.begin:p.end][:12]) for p in seg.paragraphs if p.number] == [
        ("1", "We met in Ne"), ("2", "We commit to"), ("3", "We will meet")]
    assert [(s.number, s.heading) for s in seg.sections] == [("5", "Digital technologies develop fast.")]
    assert [s.is_heading for s in seg.sentences] == [False, False, False, False, True, False]


def test_markdown_heading_opens_a_section():
    seg = segment(_doc("# Outlook 2030\n\n## 1. Connectivity\n\nGovernments should invest.\n"))
    assert [(s.number, s.heading) for s in seg.sections] == [("1", "Connectivity")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("ab AB.,;:!?\n\t1(\")-*#IV") + ["é", "乌", "\r\n", "  ", "We should act", "1. ", "- "]), max_size=80).map("".join))
def test_property_offsets_slice_back_and_sentences_do_not_overlap(text):
    seg = segment(_doc(text))
    last_end = -1
    for s in seg.sentences:
        assert text[s.begin:s.end] == s.text
        assert s.text.strip() == s.text and s.text
        assert s.begin >= last_end
        last_end = s.end


def test_markdown_that_is_not_prose_gives_no_sentences():
    text = ("Report Title 2020\n=================\n\nOverview\n--------\n\nThe UN should act.\n\n---\n\n"
            "| Country | Users |\n|---------|------:|\n| China   | 800   |\n\n"
            "```\ncode should not be sentences.\n\nstill code.\n```\n\n<!-- a comment\nover lines -->\n\n***\n\n"
            "Governments must invest.\n")
    seg = segment(_doc(text))
    assert [s.heading for s in seg.sections] == ["Overview"]
    assert [s.text for s in seg.sentences] == [
        "Report Title 2020", "Overview", "The UN should act.", "Country | Users", "China   | 800", "Governments must invest."]
    assert all(text[s.begin:s.end] == s.text for s in seg.sentences)


def test_emphasis_is_trimmed_only_where_it_is_not_closed_inside_the_sentence():
    text = "**We will act. We must go.** The *UN* should act. **Bold** and **more**\n"
    assert [text[b:e] for b, e in split_sentences(text, 0, len(text) - 1)] == [
        "We will act.", "We must go.", "The *UN* should act.", "**Bold** and **more**"]


def test_any_line_break_counts_old_mac_line_ends_form_feeds_and_line_separators():
    text = "Title 2020\r\r1. The UN should act\rnow. Governments must\rinvest.\r\rPage one ends.\x0c\nMore text.\u2028Last one.\n"
    seg = segment(_doc(text))
    assert seg.sections == []
    assert [p.number for p in seg.paragraphs] == [None, "1", None, None]  # a page break ends a paragraph
    assert [s.text for s in seg.sentences] == [
        "Title 2020", "The UN should act\rnow.", "Governments must\rinvest.", "Page one ends.", "More text.", "Last one."]


def test_markup_alone_makes_no_paragraph_or_section():
    """Found by the property test: b"0A\\n#" gave an empty title paragraph."""
    for text in ["0A\n#", "0A\n**\n", "**\n\n## \n\n1. \n\n- \n\n**Real**"]:
        seg = segment(_doc(text))
        assert all(p.end > p.begin for p in seg.paragraphs), text
        assert all(s.heading for s in seg.sections), text
    assert [s.text for s in segment(_doc("**\n\n## \n\n1. \n\n- \n\n**Real**")).sentences] == ["Real"]
