"""Stage 1: reading and decoding report files, and their metadata."""
from __future__ import annotations

import hashlib
import os

import pytest

from kg.errors import InputError
from kg.ingest import decode, ingest, read_document
from kg.pipeline import CORPUS_DIR


def test_2018_report_keeps_its_chinese_title_as_a_zh_label():
    doc = read_document(CORPUS_DIR / "wic-2018-wuzhen-outlook.txt")
    assert doc.title == "Wuzhen Outlook 2018"
    assert ("乌镇展望2018", "zh") in [(lb.text, lb.lang) for lb in doc.title_labels]
    assert doc.title_derived is False
    assert doc.year == 2018
    assert doc.language == "en"


def test_a_subtitle_is_an_alternative_title_so_the_report_keeps_one_title_per_language(tmp_path):
    path = tmp_path / "outlook.txt"
    path.write_text("Digital Economy Outlook 2020\n\n数字经济展望 Digital Economy Outlook\n\n"
                    "A report for the Internet community\n\nThe digital economy grows. Governments should act.\n",
                    encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Digital Economy Outlook 2020"
    assert [(lb.text, lb.lang) for lb in doc.title_labels] == [("Digital Economy Outlook 2020", "en"), ("数字经济展望", "zh")]
    assert [(lb.text, lb.lang) for lb in doc.alternative_titles] == [("Digital Economy Outlook", "en"),
                                                                     ("A report for the Internet community", "en")]


def test_a_line_ending_in_a_comma_opens_the_body_not_a_title(tmp_path):
    # a resolution's speaker and preamble ("The General Assembly,", "Noting …,") and a salutation
    # run on into what follows them
    path = tmp_path / "resolution.txt"
    path.write_text("Resolution on Broadband 2025\n\nThe General Assembly,\n\nNoting the growth of networks,\n\n"
                    "1. Decides to convene a meeting.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Resolution on Broadband 2025"
    assert doc.alternative_titles == []


def test_2017_report_has_no_title_line_so_one_is_derived():
    doc = read_document(CORPUS_DIR / "wic-2017-internet-development-trends.txt", frozenset({"WIC"}))
    assert doc.title_derived is True
    assert doc.title == "WIC 2017 Internet Development Trends"
    assert doc.year == 2017


def test_sha256_and_text_are_those_of_the_file():
    path = CORPUS_DIR / "wic-2017-internet-development-trends.txt"
    doc = read_document(path)
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("data,encoding,text", [
    ("Café policy.".encode("utf-8"), "utf-8", "Café policy."),
    (b"\xef\xbb\xbfCaf\xc3\xa9 policy.", "utf-8-sig", "Café policy."),
    ("Café policy.".encode("utf-16-le"), "utf-16-le", "Café policy."),
    (b"\xff\xfe" + "Café policy.".encode("utf-16-le"), "utf-16-le", "Café policy."),
    (b"\xfe\xff" + "Café €.".encode("utf-16-be"), "utf-16-be", "Café €."),
    ("Café “policy”.".encode("cp1252"), "cp1252", "Café “policy”."),
])
def test_decode_detects_the_encoding(data, encoding, text):
    assert decode(data, "x") == (text, encoding)


def test_binary_file_is_refused_with_a_clear_message(tmp_path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="image.txt: is a PNG image"):
        read_document(p)


def test_empty_file_is_refused(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        read_document(p)


def test_folder_skips_bad_files_and_reads_duplicates_once(tmp_path):
    (tmp_path / "a.txt").write_text("The UN should act now.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The UN should act now.", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "README.md").write_text("# notes about this folder", encoding="utf-8")
    result = ingest([tmp_path])
    assert [d.file_name for d in result.documents] == ["a.txt"]
    assert result.documents[0].also_read_from == [str(tmp_path / "b.txt")]
    assert dict(result.skipped) == {
        str(tmp_path / "b.txt"): f"{tmp_path / 'b.txt'}: same content as {tmp_path / 'a.txt'}; built once as a.txt",
        str(tmp_path / "c.txt"): f"{tmp_path / 'c.txt'}: binary file (contains NUL bytes), not a text report; "
                                 "give a plain-text (.txt or .md) version",
    }


def test_strict_makes_a_bad_file_in_a_folder_fatal(tmp_path):
    (tmp_path / "a.txt").write_text("The UN should act now.", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="c.txt"):
        ingest([tmp_path], strict=True)


def test_a_file_named_twice_is_read_once_without_a_warning(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("The UN should act now.", encoding="utf-8")
    result = ingest([p, tmp_path, tmp_path / "." / "a.txt"])
    assert [d.file_name for d in result.documents] == ["a.txt"]
    assert result.documents[0].also_read_from == [] and result.skipped == []


def test_a_named_pipe_is_refused_instead_of_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="pipe.txt: not a regular file or folder"):
        ingest([fifo])


@pytest.mark.parametrize("data,encoding", [
    (b"\xff\xfe\x00\x00" + "Café €.".encode("utf-32-le"), "utf-32-le"),
    (b"\x00\x00\xfe\xff" + "Café €.".encode("utf-32-be"), "utf-32-be"),
    # 0x81 is undefined in CP1252: Latin-1 takes every byte
    (b"Caf\xe9 \x81 policy.", "latin-1"),
])
def test_decode_utf32_and_latin1_fallback(data, encoding):
    text, found = decode(data, "x")
    assert found == encoding and text.startswith("Café")


def test_decoded_text_is_what_offsets_count(tmp_path):
    """A BOM is not part of the text; UTF-16 surrogate pairs are one character each."""
    p = tmp_path / "r.txt"
    p.write_bytes("Title 2020\n\nThe UN should act 🙂 now.\n".encode("utf-16"))
    doc = read_document(p)
    assert doc.encoding == "utf-16-le" and doc.text == "Title 2020\n\nThe UN should act 🙂 now.\n"


def test_utf8_with_a_few_stray_bytes_stays_utf8_and_says_so():
    data = "Café “policy” € and ".encode() + b"\xe9t\xe9" + " naïve.".encode()
    assert decode(data, "x") == ("Café “policy” € and \ufffdt\ufffd naïve.", "utf-8 (2 invalid bytes replaced by U+FFFD)")


def test_language_is_told_by_cjk_characters_of_every_range_the_detector_counts():
    # detect_language skips counting when the UTF-8 text holds no lead byte a CJK character can
    # have: a character of each range it counts must still make a short text Chinese
    from kg.ingest import detect_language
    for ch in ("\u3000", "\u303f", "\u3400", "\u4e2d", "\u9fff", "\uf900", "\ufaff", "\uff01", "\uffef"):
        assert detect_language("“" + ch * 5 + "ab") == "zh", hex(ord(ch))
    assert detect_language("“Curly quotes” and café, naïve – no CJK") == "en"
    assert detect_language("\u3041\u3042 (kana, not counted) “ab”") == "en"
