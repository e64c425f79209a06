"""Refusals in Vietnamese: why the index would not take a file, said to the chat's users in their
language (the command line says it in English, in the error's own message).

The chat words the refusals of a file it can check itself (type, size, contents: `ui.app`); these
are the ones only indexing finds: a duplicate, a failure nobody foresaw, a watched folder that
cannot be seen, another process indexing, a full disk.
"""

from __future__ import annotations

from ..errors import AssistantError, DiskFullError, DocumentError, IndexLockedError

# By `DocumentError.reason`, filled in with the error's `detail`.
REFUSALS = {
    "duplicate": "{name}: trùng nội dung với tài liệu {original} đã có trong chỉ mục",
    "failed": "{name}: không xử lý được tệp này; tệp đã bị bỏ qua",
    "watched": "không đọc được thư mục {name} (bị đổi tên, chưa gắn hoặc không có quyền đọc) nên chỉ mục chưa được "
               "cập nhật; không tài liệu nào bị xóa",
}
LOCKED = "Chỉ mục đang được cập nhật bởi một tiến trình khác; hãy thử lại sau ít phút."
DISK_FULL = ("Ổ đĩa chứa chỉ mục đã đầy nên tài liệu chưa được thêm; chỉ mục vẫn như cũ. Hãy giải phóng dung lượng "
             "rồi thử lại.")


def in_vietnamese(error: AssistantError) -> str:
    """Why `error` refused a file, in Vietnamese; its own (English) message when there is no
    wording for it."""
    if isinstance(error, IndexLockedError):
        return LOCKED
    if isinstance(error, DiskFullError):
        return DISK_FULL
    template = REFUSALS.get(error.reason) if isinstance(error, DocumentError) else None
    if template is None:
        return str(error)
    try:
        return template.format(**error.detail)
    except (KeyError, IndexError, ValueError):  # a detail missing from where it was raised
        return str(error)
