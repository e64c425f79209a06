"""Vietnamese for Gradio's own strings and the API's refusals (`ui/vietnamese.py`). That the page
shows no English is checked in a real browser (test_page_browser.py)."""

import re

from ui.vietnamese import HEAD, PATTERNS, TEXT, validation_message


def test_every_gradio_string_has_a_vietnamese_replacement_in_the_page_script():
    assert "Drop File Here" in TEXT and "Click to Upload" in TEXT and "chatbot conversation" in TEXT
    for english, vietnamese in TEXT.items():
        assert vietnamese and vietnamese != english and f'"{english}"' in HEAD
    assert all(replacement for _pattern, replacement in PATTERNS)
    assert HEAD.startswith('<meta name="viewport"') and "MutationObserver" in HEAD and "</script>" in HEAD
    assert HEAD.count("</script>") == 1  # nothing in the maps closes the script early


def test_translations_are_not_english_again():
    # A translation matching a key or a pattern would be translated forever.
    for vietnamese in TEXT.values():
        assert vietnamese not in TEXT
        assert not any(re.search(pattern.replace("$1", ""), vietnamese) for pattern, _ in PATTERNS)


def test_validation_errors_become_one_vietnamese_line():
    assert validation_message([{"loc": ("body", "question"), "type": "missing"}]) == \
        "Yêu cầu không hợp lệ: “question” thiếu; xem /api/v1/openapi.json."
    assert validation_message([{"loc": ("query", "k"), "type": "less_than_equal", "ctx": {"le": 20}}]) == \
        "Yêu cầu không hợp lệ: “k” lớn quá (giới hạn 20); xem /api/v1/openapi.json."
    assert validation_message([{"loc": ("body",), "type": "json_invalid"}]) == \
        "Yêu cầu không hợp lệ: nội dung yêu cầu không phải JSON hợp lệ; xem /api/v1/openapi.json."
    assert "không hợp lệ" in validation_message([{"loc": ("body", "x"), "type": "something_new"}])
    assert validation_message([]) == "Yêu cầu không hợp lệ; xem /api/v1/openapi.json."
