"""Refusals in Vietnamese: why a file was not indexed, said to the chat's users in their language
(the command line says it in English, in the error's own message)."""

from __future__ import annotations

from ..errors import AssistantError, DocumentError, IndexLockedError

# By `DocumentError.reason`, filled in with the error's `detail`. The chat checks an upload's type,
# size and readability itself, in its own words, before the file reaches the index.
REFUSALS = {
    "binary": "{name}: có vẻ là tệp nhị phân, không phải văn bản; hãy lưu bài báo dạng .txt hoặc .md (UTF-8)",
    "encoding": "{name}: không đọc được bảng mã của tệp (không phải UTF-8 hay Windows-1258); hãy lưu lại dạng UTF-8",
    "empty": "{name}: tệp không có nội dung; hãy thêm phần thân bài báo",
    "unreadable": "{name}: không đọc được tệp ({strerror})",
    "duplicate": "{name}: trùng nội dung với tài liệu {original} đã có trong chỉ mục",
    "failed": "{name}: không xử lý được tệp này; tệp đã bị bỏ qua",
    "watched": "không đọc được thư mục {name} (bị đổi tên, chưa gắn hoặc không có quyền đọc) nên chỉ mục chưa được "
               "cập nhật; không tài liệu nào bị xóa",
}
LOCKED = "Chỉ mục đang được cập nhật bởi một tiến trình khác; hãy thử lại sau ít phút."


def in_vietnamese(error: AssistantError) -> str:
    """Why `error` refused a file, in Vietnamese; its own (English) message when there is no
    wording for it."""
    if isinstance(error, IndexLockedError):
        return LOCKED
    template = REFUSALS.get(error.reason) if isinstance(error, DocumentError) else None
    if template is None:
        return str(error)
    try:
        return template.format(**error.detail)
    except (KeyError, IndexError, ValueError):  # a detail missing from where it was raised
        return str(error)
