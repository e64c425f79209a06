"""Article metadata (`ingest/metadata.py`): headers and front matter, `.meta.json` sidecars cleaned
and checked, whatever JSON or bytes a sidecar holds."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.ingest.documents import load_document
from assistant.ingest.metadata import (
    MAX_METADATA_CHARS,
    METADATA_KEYS,
    SidecarError,
    date_in_opening,
    parse_header,
    read_sidecar,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=400),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)

sidecar_objects = st.dictionaries(st.sampled_from(["title", "date", "source", "url", "author", "other"]), json_values,
                                  max_size=6)

ARTICLE = "title: Cầu Ánh Sao\n\nCầu Ánh Sao ở phường Bình Thạnh dài 500 mét.\n\nCây cầu khánh thành cuối tuần.\n"


@pytest.mark.parametrize("text, metadata, body", [
    ("title: Tin A\ndate: 2024-01-02\nsource: Báo B\n\nNội dung.", {"title": "Tin A", "date": "2024-01-02", "source": "Báo B"}, "\nNội dung."),
    ("---\ntitle: \"Tin C\"\ndate: 2023-05-06\n---\nThân bài.", {"title": "Tin C", "date": "2023-05-06"}, "Thân bài."),
    (" date 2025-10-24 Ngày 24-10, tổ công tác", {"date": "2025-10-24"}, "Ngày 24-10, tổ công tác"),
    ("Ngày 24-10, không có tiêu đề.", {}, "Ngày 24-10, không có tiêu đề."),
])
def test_parse_header(text, metadata, body):
    assert parse_header(text) == (metadata, body)


def test_sidecar_text_is_cleaned_and_dates_are_normalised(write_article, tmp_path):
    sidecar = {"title": "Tin\u001b[2J\u001b]0;PWNED\u0007 mới", "date": "24/10/2025", "source": "Báo\nA"}
    path = write_article(tmp_path, "a.txt", ARTICLE, sidecar=sidecar)
    document = load_document(path)
    assert document.title == "Tin [2J ]0;PWNED mới" and "\x1b" not in document.title
    assert document.date == "2025-10-24" and document.source == "Báo A"


@given(data=sidecar_objects | json_values)
def test_any_json_sidecar_gives_checked_metadata(tmp_path, data):
    path = tmp_path / "a.txt"
    path.write_text("Nội dung.", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(json.dumps(data), encoding="utf-8")
    metadata, notes = read_sidecar(path)
    assert all(isinstance(value, str) and 0 < len(value) <= MAX_METADATA_CHARS for value in metadata.values())
    assert all(ch >= " " for value in metadata.values() for ch in value)
    assert all(isinstance(note, str) and "\n" not in note for note in notes)


def parses_as_json(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError included
        return False
    return True


json_bytes = (sidecar_objects | json_values).map(lambda value: json.dumps(value).encode())


@given(raw=st.binary(max_size=500) | json_bytes | json_bytes.map(lambda data: data[:len(data) // 2]))
def test_any_sidecar_bytes_give_checked_metadata_or_a_one_line_sidecar_error(tmp_path, raw):
    path = tmp_path / "a.txt"
    path.write_text("Nội dung.", encoding="utf-8")
    sidecar = tmp_path / "a.txt.meta.json"
    sidecar.write_bytes(raw)
    if not parses_as_json(raw):
        with pytest.raises(SidecarError) as refused:
            read_sidecar(path)
        message = str(refused.value)
        assert message.startswith(f"{sidecar}: unreadable metadata (") and message.endswith("); fix or delete the file")
        assert "\n" not in message
        return
    metadata, notes = read_sidecar(path)
    assert set(metadata) <= set(METADATA_KEYS)
    assert all(isinstance(value, str) and 0 < len(value) <= MAX_METADATA_CHARS for value in metadata.values())
    assert all(ch >= " " for value in metadata.values() for ch in value)
    assert all(note.startswith(f"{sidecar}: ") and "\n" not in note for note in notes)
    if not isinstance(json.loads(raw.decode("utf-8")), dict):
        assert metadata == {} and len(notes) == 1 and "not a JSON object" in notes[0]


@pytest.mark.parametrize(("body", "date"), [
    ("Cầu Ánh Sao khánh thành\nThứ Sáu, 24/10/2025 - 10:30\n\nCầu dài 500 mét.", "2025-10-24"),
    ("TP.HCM, ngày 3 tháng 11 năm 2025\n\nCầu dài 500 mét.", "2025-11-03"),
    ("Cầu mới\n2025-11-02 08:00 GMT+7\nCầu dài 500 mét.", "2025-11-02"),
    ("Ngày 2-11-2025, cầu Ánh Sao được khánh thành.", "2025-11-02"),
    ("Tin nhanh 31/02/2025 rồi 01/03/2025\n\nNội dung.", "2025-03-01"),  # the first real date
    ("Suzuki ra mắt Axelo RR 2017\nGiá 28,29 triệu.\n\nNội dung.", None),  # a year is no date
    ("Tiêu đề\n\nDòng hai\n\nDòng ba\n\nNgày 24/10/2025 ở dòng bốn.", None),
    ("Một đoạn dài " + "rất dài " * 20 + "và ngày 24/10/2025 ở giữa đoạn.", None),
])
def test_a_date_near_the_start_of_the_first_lines_is_found(body, date):
    assert date_in_opening(body) == date


def test_an_article_without_a_header_takes_the_date_of_its_first_lines(tmp_path, write_article):
    path = write_article(tmp_path, "a.txt", "Cầu Ánh Sao khánh thành\nThứ Sáu, 24/10/2025\n\nCầu dài 500 mét.")
    assert load_document(path).date == "2025-10-24"
    headed = write_article(tmp_path, "b.txt", "date: 2025-01-05\n\nThứ Sáu, 24/10/2025\n\nCầu dài 500 mét.")
    assert load_document(headed).date == "2025-01-05"
    sidecar = write_article(tmp_path, "c.txt", "Thứ Sáu, 24/10/2025\n\nCầu dài 500 mét.", {"date": "2025-02-01"})
    assert load_document(sidecar).date == "2025-02-01"


def test_zero_width_and_bidi_characters_are_left_out_of_titles_not_turned_into_spaces(write_article, tmp_path):
    """A zero-width space in a title showed as a space inside a word ("Ti êu đề")."""
    path = write_article(tmp_path, "a.txt", "title: Ti\u200bêu đề \u202emới\u202c\n\nThân\u200b bài.\n")
    document = load_document(path)
    assert document.title == "Tiêu đề mới"
    assert document.text == "Thân\u200b bài."  # the article itself is stored as written
    headline = write_article(tmp_path, "b.txt", "Tin \u2067đảo\u2069 mới\u200b\n\nThân bài của tin.\n")
    assert load_document(headline).title == "Tin đảo mới"
    named = write_article(tmp_path, "bài\u202ebáo.txt", "thân bài không có tiêu đề.")
    assert load_document(named).title == "bàibáo"
