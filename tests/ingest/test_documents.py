"""Loading one article (`ingest/documents.py`): header and title, paragraphs and headings,
encodings, and the files refused with a message; any bytes at all give a document or a
`DocumentError`."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import AssistantError, DocumentError
from assistant.ingest.chunking import ChunkingSettings, chunk_document
from assistant.ingest.documents import Document, load_document
from assistant.text.normalize import TONE_MARKS as TONES

ARTICLE = "title: Cầu Ánh Sao\n\nCầu Ánh Sao ở phường Bình Thạnh dài 500 mét.\n\nCây cầu khánh thành cuối tuần.\n"

def test_seed_article_header_becomes_metadata(seed_article):
    document = load_document(seed_article)
    assert document.date == "2025-10-24"
    assert document.id == "000_dbd6872183af7f42"
    assert document.title.startswith("Tổ công tác số 5")
    assert document.text.startswith("Ngày 24-10, tổ công tác số 5")
    assert "date 2025" not in document.text


def test_seed_article_paragraphs_and_headings(seed_article):
    document = load_document(seed_article)
    headings = [document.text[p.start:p.end] for p in document.paragraphs if p.is_heading]
    assert headings == ["Nhân sự chuyên môn còn thiếu và không đồng đều",
                        "Đề xuất sớm phê duyệt phương án bố trí trụ sở làm việc"]
    numbers = [p.number for p in document.paragraphs if not p.is_heading]
    assert numbers == list(range(1, 12))


def test_nfd_file_is_loaded_as_nfc(tmp_path):
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", "Phường Tân Mỹ kiến nghị.\n\nĐoạn hai."), encoding="utf-8")
    document = load_document(path)
    assert document.text == "Phường Tân Mỹ kiến nghị.\n\nĐoạn hai."


def test_cp1258_file_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    # Windows-1258 stores the base letter (with circumflex, breve or horn) and the tone as a combining mark.
    legacy = "".join(
        unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in TONES))
        + "".join(c for c in unicodedata.normalize("NFD", ch) if c in TONES)
        for ch in "Hà Nội mùa thu. Trời đẹp."
    )
    path.write_bytes(legacy.encode("cp1258"))
    assert load_document(path).text == "Hà Nội mùa thu. Trời đẹp."


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"   \n\n", "no text"),
    ("binary.txt", b"\x00\x01\x02PNG", "binary"),
    ("image.png", b"x", "unsupported file type"),
    ("header-only.md", b"date 2024-01-01\n", "no text"),
])
def test_bad_documents_are_refused_with_a_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        load_document(path)


def test_huge_document_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Một câu rất dài. " * 1000, encoding="utf-8")
    with pytest.raises(DocumentError, match="limit"):
        load_document(path, max_bytes=1000)


def test_odd_file_names_get_safe_ids(tmp_path):
    path = tmp_path / "Bài báo (số 1) — TP.HCM!.md"
    path.write_text("# Tiêu đề bài\n\nNội dung bài báo.", encoding="utf-8")
    document = load_document(path)
    assert document.id == "Bài-báo-số-1-TP.HCM"
    assert document.title == "Tiêu đề bài"


@pytest.mark.parametrize("first_line", [
    "Thua Hồng Kông, tuyển quần vợt Việt Nam phải đá trụ hạng với Iran vào tháng 4 tới tại sân nhà",
    "'Kẻ phản bội' Donnarumma bị CĐV ném tiền giả vào người",
    "Cơ quan nào giải quyết chế độ thai sản trong trường hợp đã thôi việc?",
    "4 món 'lai rai' ông xã nào cũng thích",
])
def test_news_export_headline_is_the_title_not_a_passage(tmp_path, first_line):
    # Headline on line 1, lead on line 2, body on line 3, no blank lines: a common news export.
    path = tmp_path / "21479074.txt"
    path.write_text(f"{first_line}\nĐoạn dẫn của bài.\nThân bài câu một. Thân bài câu hai.\n", encoding="utf-8")
    document = load_document(path)
    assert document.title == first_line
    assert [p.number for p in document.paragraphs] == [None, 1, 2]
    chunks = chunk_document(document, ChunkingSettings())
    assert [c.text for c in chunks] == ["Đoạn dẫn của bài.", "Thân bài câu một. Thân bài câu hai."]
    assert chunks[0].search_text(document.title) == f"{first_line}\nĐoạn dẫn của bài."  # the headline once


@pytest.mark.parametrize("content, title", [
    ("Sáng nay, mưa lớn kéo dài ở Hà Nội.\nNhiều tuyến phố ngập.\n", "a"),  # a sentence: the file's name
    ("Cầu dài 500 mét. Xem [ảnh](http://x)\n\nCầu được khánh thành.\n", "a"),  # two sentences, a link at the end
    ("title: Tin cầu\n\nCầu Ánh Sao nối hai bờ kênh ở quận 7 được xây trong hai năm với nhiều đơn vị thi công\n\n"
     "Cầu được khánh thành.\n", "Tin cầu"),  # the header gave the title
])
def test_a_first_paragraph_is_not_taken_for_a_headline(tmp_path, content, title):
    path = tmp_path / "a.txt"
    path.write_text(content, encoding="utf-8")
    document = load_document(path)
    assert document.title == title
    assert [p.number for p in document.paragraphs] == [1, 2]


@pytest.mark.parametrize("name, content, headings", [
    ("blank-lines.txt", "Giá xăng giảm mạnh từ chiều nay\n\nĐoạn dẫn của bài.\n\nThân bài câu một. Thân bài câu hai.\n",
     0),
    ("crlf-lines.txt", "Giá xăng giảm mạnh từ chiều nay\r\nĐoạn dẫn của bài.\r\nThân bài câu một. Thân bài câu hai.\r\n",
     0),
    ("export.md", "# Giá xăng giảm mạnh từ chiều nay\n\nĐoạn dẫn của bài.\n\n## Diễn biến\n\n"
     "Thân bài câu một. Thân bài câu hai.\n", 1),
])
def test_common_news_layouts_give_headline_title_and_body_paragraphs(tmp_path, name, content, headings):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    document = load_document(path)
    assert document.title == "Giá xăng giảm mạnh từ chiều nay"
    body = [document.text[p.start:p.end] for p in document.paragraphs if not p.is_heading]
    assert body == ["Đoạn dẫn của bài.", "Thân bài câu một. Thân bài câu hai."]
    assert sum(p.is_heading for p in document.paragraphs) == 1 + headings  # the headline, then section headings
    assert not any("Giá xăng giảm" in c.text for c in chunk_document(document, ChunkingSettings()))  # no passage swallows the headline


def test_real_news_files_give_headline_lead_and_body(shared_news):
    assert len(shared_news) >= 100
    for path in shared_news:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").strip().splitlines() if line.strip()]
        document = load_document(path)
        body = [document.text[p.start:p.end].strip() for p in document.paragraphs if not p.is_heading]
        assert document.title == lines[0], path.name
        assert body[0] == lines[1], path.name  # the lead is the first paragraph
        assert all(c.start >= document.paragraphs[1].start for c in chunk_document(document, ChunkingSettings())), path.name


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_unicode_files_with_a_byte_order_mark_are_read(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    document = load_document(path)
    assert "phường Bình Thạnh" in document.text and document.title == "Cầu Ánh Sao"


def test_a_nul_byte_anywhere_refuses_the_file_and_other_controls_are_removed(tmp_path):
    late_nul = tmp_path / "nul.txt"
    late_nul.write_bytes(("Đoạn đầu. " * 1000 + "\n\n\x00đoạn cuối.").encode())
    with pytest.raises(DocumentError, match="binary"):
        load_document(late_nul)
    bell = tmp_path / "bell.txt"
    bell.write_text("Cầu Ánh Sao\x07 dài\x1b[31m 500 mét.\n", encoding="utf-8")
    document = load_document(bell)
    assert document.text == "Cầu Ánh Sao dài[31m 500 mét." and "control character" in document.notes[0]


@given(content=st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
       suffix=st.sampled_from([".txt", ".md"]))
def test_loading_any_bytes_gives_a_document_or_a_document_error(tmp_path, content, suffix):
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(content)
    try:
        document = load_document(path)
    except AssistantError:
        return
    assert isinstance(document, Document) and document.text and "\x00" not in document.text
    for paragraph in document.paragraphs:
        assert 0 <= paragraph.start < paragraph.end <= len(document.text)
