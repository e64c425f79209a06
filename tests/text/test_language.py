"""Language detection (`text/language.py`): Vietnamese with or without diacritics, against English,
French and other scripts."""

import pytest

from assistant.text.language import looks_vietnamese


@pytest.mark.parametrize("text, expected", [
    ("Ai là Chủ tịch UBND phường Tân Mỹ?", True),
    ("chu tich ubnd phuong tan my la ai", True),
    ("dien tich khu dat xay trung tam hanh chinh", True),
    ("tru so cong an phuong phu thuan the nao", True),  # "an", "the": công an, thế nào
    ("cach chuyen file word sang pdf", True),  # a few foreign words in a Vietnamese question
    ("TP.HCM", True),
    ("What did the working group chief expect about the inter-ward model?", False),
    ("How do I convert a Word file to PDF?", False),
    ("Comment faire une tarte aux pommes ?", False),
    ("How big is the land plot?", False),
    ("Какой район?", False),
    ("哪个区的主席是谁?", False),
    ("12.000", False),
])
def test_looks_vietnamese(text, expected):
    assert looks_vietnamese(text) is expected
