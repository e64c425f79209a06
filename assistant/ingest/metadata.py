"""Article metadata: title, date, source and author from a file's header or its `.meta.json`
sidecar, checked (text of bounded length without control characters, real calendar dates)."""

from __future__ import annotations

import datetime
import json
import os
import re
import unicodedata
from pathlib import Path

from ..errors import DocumentError

METADATA_KEYS = ("title", "date", "source", "url", "author")
MAX_METADATA_CHARS = 300
SIDECAR_SUFFIX = ".meta.json"
MAX_SIDECAR_BYTES = 64_000

_DATE = r"\d{4}-\d{2}-\d{2}"
# "date 2025-10-24 Ngày 24-10, ..." — a key and value at the very start, possibly on the text's line.
_INLINE_DATE = re.compile(rf"\A\s*date\s*:?\s*({_DATE})\b[ \t]*\n?", re.IGNORECASE)
_HEADER_LINE = re.compile(r"\A\s*(title|date|source|url|author)\s*:?[ \t]+([^\n]+)\n", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
# Dates as they are written: ISO (2025-10-24, 2025/10/24) or Vietnamese day first (24/10/2025, 24-10-2025).
_DATE_FORMS = (
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"), (3, 2, 1)),
)


# A date as a news export writes it near the top ("Thứ Sáu, 24/10/2025 10:30", "TP.HCM, ngày 24 tháng 10
# năm 2025", "2025-10-24"): searched in the first lines of an article that gives no date otherwise.
_OPENING_DATES = (
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"), (3, 2, 1)),
    (re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE), (3, 2, 1)),
)
OPENING_LINES = 3
OPENING_CHARS = 120  # of each line: a date further into a paragraph is an event's, not the article's


class SidecarError(DocumentError):
    """A document's `.meta.json` sidecar cannot be read as JSON (the document itself can)."""


def clean_text(value: str) -> str:
    """`value` in NFC, whitespace collapsed: control characters and line separators become spaces,
    format characters (zero-width spaces, bidi controls, soft hyphens) are removed, so
    "Ti\u200bêu đề" is "Tiêu đề", not "Ti êu đề"."""
    kept = "".join("" if category == "Cf" else " " if category in ("Cc", "Cs", "Zl", "Zp") else ch
                   for ch, category in ((ch, unicodedata.category(ch)) for ch in value))
    return " ".join(unicodedata.normalize("NFC", kept).split())


def parse_date(value: str) -> str | None:
    """`value` as an ISO date (YYYY-MM-DD) when it is a real calendar date in an accepted form."""
    for pattern, (year, month, day) in _DATE_FORMS:
        match = pattern.fullmatch(value.strip())
        if match:
            try:
                return datetime.date(int(match[year]), int(match[month]), int(match[day])).isoformat()
            except ValueError:
                return None
    return None


def date_in_opening(body: str) -> str | None:
    """The first real calendar date written near the start of one of the first non-empty lines of
    `body`, in ISO form (YYYY-MM-DD); None when there is none."""
    lines = [line.strip() for line in body.splitlines() if line.strip()][:OPENING_LINES]
    for line in lines:
        opening = line[:OPENING_CHARS]
        found = []
        for pattern, (year, month, day) in _OPENING_DATES:
            for match in pattern.finditer(opening):
                try:
                    date = datetime.date(int(match[year]), int(match[month]), int(match[day]))
                except ValueError:
                    continue
                found.append((match.start(), date.isoformat()))
        if found:
            return min(found)[1]
    return None


def check_metadata(raw: dict, origin: str) -> tuple[dict[str, str], list[str]]:
    """Keep the known fields of `raw` that are valid, saying in one line each what was left out.

    Args:
        raw: field → value as read (any JSON value).
        origin: the file they come from, named in the notes.

    Returns:
        `(metadata, notes)`: cleaned text fields of at most `MAX_METADATA_CHARS`, the date in ISO form.
    """
    metadata, notes = {}, []
    for key in METADATA_KEYS:
        if key not in raw or raw[key] in (None, ""):
            continue
        value = raw[key]
        text = clean_text(value) if isinstance(value, str) else None
        if key == "date":
            date = parse_date(text) if text else None
            if date is None:
                notes.append(f"{origin}: \"date\" is not a calendar date such as 2025-10-24 or 24/10/2025; ignored")
            else:
                metadata["date"] = date
        elif not text or len(text) > MAX_METADATA_CHARS:
            notes.append(f"{origin}: \"{key}\" is not text of at most {MAX_METADATA_CHARS} characters; ignored")
        else:
            metadata[key] = text
    return metadata, notes


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split metadata headers from the body (values as written; `check_metadata` checks them).

    Accepts YAML-like front matter (`---` … `---`), leading `key value` / `key: value` lines for
    title, date, source, url and author, and a bare `date YYYY-MM-DD` prefix on the first line.

    Returns:
        `(metadata, body)`; the body no longer contains the header.
    """
    metadata: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in METADATA_KEYS and value.strip():
                metadata[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end():]
    while True:
        inline = _INLINE_DATE.match(text)
        if inline and "date" not in metadata:
            metadata["date"] = inline.group(1)
            text = text[inline.end():]
            continue
        line = _HEADER_LINE.match(text)
        if line and line.group(1).lower() not in metadata and _looks_like_value(line.group(1), line.group(2)):
            metadata[line.group(1).lower()] = line.group(2).strip()
            text = text[line.end():]
            continue
        return metadata, text


def _looks_like_value(key: str, value: str) -> bool:
    if key.lower() == "date":
        return re.fullmatch(rf"\s*{_DATE}\s*", value) is not None
    return len(value) < MAX_METADATA_CHARS


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> tuple[dict[str, str], list[str]]:
    """The checked metadata of the document `path`'s sidecar, and notes on what was left out.

    Raises:
        SidecarError: the sidecar exists but is unreadable, too large, or not JSON.
    """
    sidecar = sidecar_path(path)
    if not os.path.isfile(sidecar):  # False, not ENAMETOOLONG, for a name near the 255-byte limit
        return {}, []
    try:
        if sidecar.stat().st_size > MAX_SIDECAR_BYTES:
            raise SidecarError(f"{sidecar}: {sidecar.stat().st_size:,} bytes is too large for metadata "
                               f"(at most {MAX_SIDECAR_BYTES:,}); shorten or delete it")
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise SidecarError(f"{sidecar}: unreadable metadata ({reason}); fix or delete the file") from error
    if not isinstance(data, dict):
        return {}, [f"{sidecar}: not a JSON object such as {{\"title\": \"…\"}}; its metadata is ignored"]
    return check_metadata(data, str(sidecar))
