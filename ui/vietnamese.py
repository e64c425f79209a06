"""Vietnamese for what Gradio itself shows, and for the API's refusals of malformed requests.

Gradio ships no Vietnamese, and its own words (the upload box, toasts, labels read by screen
readers) can only be chosen by the browser's language, among those it ships. So the page carries a
small script (`HEAD`) that puts Gradio's own strings into Vietnamese as they appear: text exactly
equal to a known string, and the `aria-label`, `title` and `placeholder` attributes. Answers and
the documents table are left alone: they are the articles' own words.
"""

from __future__ import annotations

import json
from typing import Iterable, Mapping

from .app import MAX_UPLOAD_BYTES

# Gradio's own text, as it renders it, → what the page shows instead.
TEXT = {
    "Drop File Here": "Thả tệp vào đây",
    "- or -": "- hoặc -",
    "or": "hoặc",
    "Click to Upload": "Bấm để chọn tệp",
    # The upload box's accessible name holds its visible words (axe: label-content-name-mismatch).
    "Click to upload or drop files": "Thả tệp vào đây - hoặc - Bấm để chọn tệp",
    "File upload": "Tải tệp lên",
    "Uploading...": "Đang tải lên…",
    "Loading": "Đang tải",
    "Loading...": "Đang tải…",
    "Error": "Lỗi",
    "Warning": "Cảnh báo",
    "Info": "Thông tin",
    "Success": "Thành công",
    "Close": "Đóng",
    "Clear": "Xóa",
    "Remove": "Bỏ tệp",
    "Download": "Tải xuống",
    "Submit": "Gửi",
    "Empty": "Trống",
    "More tabs": "Các thẻ khác",
    "Scroll down": "Cuộn xuống cuối",
    "Dismiss": "Đóng",
    "Loading response": "Đang chờ câu trả lời",
    "View full screen": "Xem toàn màn hình",
    "Close full screen": "Thoát toàn màn hình",
    "common.complete": "Xong",
    "chatbot conversation": "Cuộc trò chuyện",
    "Chatbot": "Cuộc trò chuyện",
    "Examples": "Ví dụ",
    "processing": "đang xử lý",
    "pending": "đang chờ",
    "Connection errored out.": "Mất kết nối tới máy chủ.",
    "Lost connection due to leaving page. Rejoining queue...": "Mất kết nối; đang kết nối lại…",
    "Waiting for file(s) to finish uploading, please retry.": "Tệp đang được tải lên; hãy thử lại sau giây lát.",
}
# Gradio's strings with a value inside: a JavaScript regular expression → its replacement.
PATTERNS = [
    (r"^user's message: ", "Câu hỏi của bạn: "),
    (r"^File: ", "Tệp: "),
    (r"^Uploading (\d*)\s+files?\.\.\.$", "Đang tải lên $1 tệp…"),
    (r"^bot's message: [\s\S]*$", "Câu trả lời của trợ lý"),
    (r"^In queue: (\d+) of (\d+)$", "Đang chờ: $1 trên $2"),
    (r"^queue: (\d+)/(\d+)", "hàng chờ: $1/$2"),
    (r"^processing \| ", "đang xử lý | "),
    (r"^Invalid file types?: (.*)\. Only (.*) allowed\.$", "Không nhận tệp $1: chỉ nhận $2."),
    # Gradio's own refusal, above five times the chat's limit (below it, the chat's message says it).
    (r'^File\(s\) exceed the maximum allowed size of .*: "?(.*?)"?$',
     f"Không thêm được tài liệu: $1 vượt giới hạn {MAX_UPLOAD_BYTES // 1_000_000} MB; hãy chia nhỏ tệp"),
]
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
# Where the words are the articles' or the user's own, never translated.
UNTOUCHED = ".va-answer, #documents, textarea, input"

_SCRIPT = """
(() => {
  const TEXT = %(text)s;
  const PATTERNS = %(patterns)s.map(([source, replacement]) => [new RegExp(source), replacement]);
  const ATTRIBUTES = %(attributes)s;
  const UNTOUCHED = %(untouched)s;
  const translated = (value) => {
    const trimmed = value.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(TEXT, trimmed)) return value.replace(trimmed, TEXT[trimmed]);
    for (const [pattern, replacement] of PATTERNS) {
      if (pattern.test(trimmed)) return trimmed.replace(pattern, replacement);
    }
    return null;
  };
  const fixText = (node) => {
    const parent = node.parentElement;
    if (!parent || parent.closest(UNTOUCHED)) return;
    const value = translated(node.nodeValue);
    if (value !== null && value !== node.nodeValue) node.nodeValue = value;
  };
  const fixAttributes = (element) => {
    for (const name of ATTRIBUTES) {
      const current = element.getAttribute(name);
      if (current === null) continue;
      const value = translated(current);
      if (value !== null && value !== current) element.setAttribute(name, value);
    }
  };
  const visit = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixAttributes(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) fixText(node); else fixAttributes(node);
    }
  };
  const keepVietnamese = () => { if (document.documentElement.lang !== 'vi') document.documentElement.lang = 'vi'; };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') fixText(record.target);
      else if (record.type === 'attributes') {
        if (record.target === document.documentElement) keepVietnamese(); else fixAttributes(record.target);
      } else record.addedNodes.forEach(visit);
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,
                                        attributeFilter: [...ATTRIBUTES, 'lang']});
  keepVietnamese();
  if (document.body) visit(document.body);
})();
"""

HEAD = ('<meta name="viewport" content="width=device-width, initial-scale=1">\n<script>'
        + _SCRIPT % {"text": json.dumps(TEXT, ensure_ascii=False), "patterns": json.dumps(PATTERNS),
                     "attributes": json.dumps(ATTRIBUTES), "untouched": json.dumps(UNTOUCHED)}
        + "</script>")

# Pydantic's error types → what was wrong, in Vietnamese.
_PROBLEMS = {
    "missing": "thiếu",
    "string_type": "cần là chuỗi văn bản",
    "int_type": "cần là số nguyên",
    "int_parsing": "cần là số nguyên",
    "greater_than_equal": "nhỏ quá",
    "less_than_equal": "lớn quá",
    "too_long": "dài quá",
    "list_type": "cần là một danh sách",
    "dict_type": "cần là một đối tượng JSON",
    "model_attributes_type": "cần là một đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
}


def validation_message(errors: Iterable[Mapping]) -> str:
    """One line in Vietnamese for FastAPI's validation errors: the first field that is wrong, and how."""
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path"))
        problem = _PROBLEMS.get(str(error.get("type", "")).split("[")[0], "không hợp lệ")
        limit = error.get("ctx", {}) or {}
        bound = next((f" (giới hạn {value})" for key, value in limit.items() if key in ("ge", "le", "max_length")), "")
        field = f"“{where}”" if where else "nội dung yêu cầu"
        return f"Yêu cầu không hợp lệ: {field} {problem}{bound}; xem /api/v1/openapi.json."
    return "Yêu cầu không hợp lệ; xem /api/v1/openapi.json."
