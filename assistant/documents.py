"""Documents: load `.txt`/`.md` articles, parse their metadata headers, split paragraphs."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_MAX_DOCUMENT_BYTES
from .errors import DocumentError
from .vietnamese import nfc, sentence_spans, trim_span

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md")
METADATA_KEYS = ("title", "date", "source", "url", "author")

_DATE = r"\d{4}-\d{2}-\d{2}"
# "date 2025-10-24 Ngày 24-10, ..." — a key and value at the very start, possibly on the text's line.
_INLINE_DATE = re.compile(rf"\A\s*date\s*:?\s*({_DATE})\b[ \t]*\n?", re.IGNORECASE)
_HEADER_LINE = re.compile(r"\A\s*(title|date|source|url|author)\s*:?[ \t]+([^\n]+)\n", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
# Headlines of the news in ../shared/eval/news are at most 124 characters; body sentences that
# stand alone on a first line and end without a full stop are rarer than long headlines.
MAX_HEADLINE_CHARS = 200


@dataclass(frozen=True)
class Paragraph:
    """A paragraph or heading of a document, as a span of `Document.text`."""

    start: int
    end: int
    number: int | None  # 1-based among body paragraphs; None for headings
    is_heading: bool


@dataclass(frozen=True)
class Document:
    """An article as loaded: `text` is what every citation offset refers to."""

    id: str
    title: str
    date: str | None
    path: str
    text: str
    source: str | None = None
    sha256: str = ""
    paragraphs: tuple[Paragraph, ...] = field(default=(), repr=False)

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph containing character `offset`, if any."""
        for paragraph in self.paragraphs:
            if paragraph.start <= offset < paragraph.end:
                return paragraph
        return None


def document_id_for(path: Path) -> str:
    """A stable id from the file name: the stem, made safe for URLs and JSON keys."""
    stem = nfc(path.stem)
    safe = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-")
    return safe or hashlib.sha256(stem.encode("utf-8")).hexdigest()[:16]


def decode_bytes(raw: bytes, path: Path) -> str:
    """Decode a document's bytes: UTF-8 first, then the legacy Vietnamese code page cp1258."""
    if b"\x00" in raw[:8192]:
        raise DocumentError(f"{path}: looks like a binary file, not text; save the article as UTF-8 .txt or .md")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("cp1258")
        except UnicodeDecodeError:
            raise DocumentError(
                f"{path}: not valid UTF-8 (byte {utf8_error.start}) nor Windows-1258; re-save it as UTF-8"
            ) from utf8_error
        log.warning("%s is not UTF-8; decoded it as Windows-1258 (cp1258). Re-save it as UTF-8 to be sure.", path)
        return text


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split metadata headers from the body.

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
    return len(value) < 300


def split_paragraphs(text: str, markdown: bool = False, headline: bool = True) -> tuple[Paragraph, ...]:
    """Paragraph spans of `text`: blocks separated by blank lines (or by line breaks when the
    text has no blank lines). Short lines without final punctuation, and Markdown `#` lines,
    are headings: they are not numbered and serve as context for the paragraphs below them.
    With `headline`, a first line that reads like a news headline is a heading too."""
    separator = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    blocks, position = [], 0
    for match in separator.finditer(text):
        blocks.append((position, match.start()))
        position = match.end()
    blocks.append((position, len(text)))
    paragraphs, number = [], 0
    spans = [trim_span(text, start, end) for start, end in blocks]
    spans = [span for span in spans if span[1] > span[0]]
    for index, (start, end) in enumerate(spans):
        is_last = index == len(spans) - 1
        block = text[start:end]
        if not is_last and (_is_heading(block, markdown) or (headline and index == 0 and _is_headline(block))):
            paragraphs.append(Paragraph(start, end, None, True))
        else:
            number += 1
            paragraphs.append(Paragraph(start, end, number, False))
    return tuple(paragraphs)


def _is_heading(block: str, markdown: bool) -> bool:
    if markdown and _MARKDOWN_HEADING.match(block):
        return True
    if "\n" in block or len(block.split()) > 14:
        return False
    return block[-1] not in ".!?…:;,”\"')" and block[0].isupper()


def _is_headline(block: str) -> bool:
    """A news export's first line: the headline, which may be long, quote someone or ask a question,
    but is one line and does not end like a sentence of the body."""
    return ("\n" not in block and len(block) <= MAX_HEADLINE_CHARS and block[-1] not in ".…:;,"
            and (block[0].isupper() or block[0].isdigit() or block[0] in "'\"“‘«(")
            and len(sentence_spans(block)) == 1)


def check_document_file(path: Path, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> int:
    """Check a file's type and size before reading it (indexing and chat uploads alike).

    Returns:
        Its size in bytes.

    Raises:
        DocumentError: not .txt/.md, larger than `max_bytes`, or not readable.
    """
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; use .txt or .md",
                            "type", name=path.name, suffix=path.suffix)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DocumentError(f"{path}: cannot read ({error.strerror}); check the path", "unreadable",
                            name=path.name, strerror=error.strerror) from error
    if size > max_bytes:
        raise DocumentError(f"{path.name}: {size:,} bytes is over the {max_bytes:,}-byte limit; split the file",
                            "size", name=path.name, size=size, limit=max_bytes)
    return size


def load_document(path: str | Path, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Document:
    """Load one article.

    Args:
        path: a `.txt` or `.md` file, UTF-8 (cp1258 accepted with a warning). A sidecar
            `<name>.meta.json` may give `title`, `date`, `source`; it overrides the header.
        max_bytes: refuse files larger than this.

    Raises:
        DocumentError: the file is missing, of another type, too large, empty, binary or undecodable.
    """
    path = Path(path)
    check_document_file(path, max_bytes)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{path}: cannot read ({error.strerror}); check the path") from error
    text = nfc(decode_bytes(raw, path)).replace("\r\n", "\n").replace("\r", "\n")
    metadata, body = parse_header(text)
    metadata.update(_read_sidecar(path))
    body = body.strip()
    if not body:
        raise DocumentError(f"{path}: the document has no text; add the article body")
    # A first line is the headline only where no header or sidecar gave the title.
    paragraphs = split_paragraphs(body, markdown=path.suffix.lower() == ".md", headline="title" not in metadata)
    title = metadata.get("title") or _fallback_title(body, paragraphs, path)
    return Document(
        id=document_id_for(path),
        title=nfc(title),
        date=metadata.get("date"),
        path=str(path),
        text=body,
        source=metadata.get("source") or metadata.get("url"),
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        paragraphs=paragraphs,
    )


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = path.with_name(path.name + ".meta.json")
    if not os.path.isfile(sidecar):  # False, not ENAMETOOLONG, for a name near the 255-byte limit
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DocumentError(f"{sidecar}: unreadable metadata ({error}); fix or delete the file") from error
    return {key: str(value) for key, value in data.items() if key in METADATA_KEYS and value}


def _fallback_title(body: str, paragraphs: tuple[Paragraph, ...], path: Path) -> str:
    headings = [p for p in paragraphs if p.is_heading]
    if headings and headings[0].start == paragraphs[0].start:
        return _MARKDOWN_HEADING.sub("", body[headings[0].start:headings[0].end])
    return path.stem


def find_document_files(paths: list[str | Path]) -> list[Path]:
    """Expand files and folders into the sorted list of `.txt`/`.md` files they contain.

    Raises:
        DocumentError: a path does not exist.
    """
    found: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            found.extend(p for p in entry.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                         and not any(part.startswith(".") for part in p.relative_to(entry).parts))
        elif entry.is_file():
            found.append(entry)
        else:
            raise DocumentError(f"{entry}: no such file or folder; check the path")
    return sorted(set(found))
