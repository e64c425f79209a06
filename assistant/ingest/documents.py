"""Documents: load one `.txt`/`.md` article (encodings, metadata, control characters) and split its
paragraphs, headings and headline."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..config import DEFAULT_MAX_DOCUMENT_BYTES
from ..errors import DocumentError
from ..text.normalize import nfc
from ..text.sentences import sentence_spans, shorten, trim_span
from .metadata import (
    MAX_METADATA_CHARS,
    check_metadata,
    clean_text,
    date_in_opening,
    parse_header,
    read_sidecar,
    sidecar_path,
)

SUPPORTED_SUFFIXES = (".txt", ".md")
# Byte-order marks and the encodings they announce (UTF-32 first: its LE mark starts like UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Control characters other than tab and line breaks carry nothing an article means to say.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
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
    encoding: str = "utf-8"
    # The file's (and its sidecar's) size, times and inode when it was read: while they stay the
    # same, an update takes the indexed document instead of reading the file again.
    fingerprint: str = field(default="", repr=False, compare=False)
    # What loading left out or changed (ignored metadata fields, a legacy encoding, control
    # characters), one line each; said when the document is indexed, not stored.
    notes: tuple[str, ...] = field(default=(), repr=False, compare=False)


def document_id_for(path: Path) -> str:
    """A stable id from the file name: the stem, made safe for URLs and JSON keys."""
    stem = nfc(path.stem)
    safe = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-")
    return safe or hashlib.sha256(stem.encode("utf-8")).hexdigest()[:16]


def decode_bytes(raw: bytes, path: Path) -> tuple[str, str]:
    """Decode a document's bytes: by its byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-8, else
    the legacy Vietnamese code page cp1258.

    Returns:
        `(text, encoding)`.

    Raises:
        DocumentError: a NUL byte outside a UTF-16/32 file (binary), or bytes no encoding reads.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as error:
                raise DocumentError(f"{path}: not valid {encoding.upper()} (byte {error.start}); re-save it as UTF-8",
                                    "encoding", name=path.name, byte=error.start) from error
    if b"\x00" in raw:
        raise DocumentError(f"{path}: looks like a binary file, not text (it holds NUL bytes); "
                            "save the article as UTF-8 .txt or .md", "binary", name=path.name)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("cp1258"), "cp1258"
        except UnicodeDecodeError:
            raise DocumentError(
                f"{path}: not valid UTF-8 (byte {utf8_error.start}) nor Windows-1258; re-save it as UTF-8",
                "encoding", name=path.name, byte=utf8_error.start) from utf8_error


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


def load_document(path: str | Path, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES, sidecar: bool = True) -> Document:
    """Load one article.

    Args:
        path: a `.txt` or `.md` file: UTF-8, UTF-16 or UTF-32 with a byte-order mark, or
            Windows-1258 (noted). A sidecar `<name>.meta.json` may give `title`, `date`, `source`;
            it overrides the header. With a date in neither, a date written near the start of the
            first lines ("Thứ Sáu, 24/10/2025") is the article's. Fields that are not text of at most 300 characters, or dates
            that are not real calendar dates, are left out with a note; control characters other
            than tab and line breaks are removed from the text, with a note.
        max_bytes: refuse files larger than this.
        sidecar: read the sidecar (False: load the article as if it had none).

    Raises:
        DocumentError: the file is missing, of another type, too large, empty, binary or undecodable.
        SidecarError: the sidecar exists but cannot be read as JSON.
    """
    path = Path(path)
    check_document_file(path, max_bytes)
    fingerprint = file_fingerprint(path)  # before reading: a change made meanwhile is seen next time
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{path}: cannot read ({error.strerror}); check the path", "unreadable",
                            name=path.name, strerror=error.strerror) from error
    text, encoding = decode_bytes(raw, path)
    notes = [f"{path}: not UTF-8; read as Windows-1258 (cp1258). Re-save it as UTF-8 to be sure"] \
        if encoding == "cp1258" else []
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    text, removed = _CONTROL.subn("", text)
    if removed:
        notes.append(f"{path}: {removed} control character(s) removed")
    header, body = parse_header(text)
    metadata, header_notes = check_metadata(header, f"{path} (header)")
    notes += header_notes
    if sidecar:
        sidecar_metadata, sidecar_notes = read_sidecar(path)
        metadata.update(sidecar_metadata)
        notes += sidecar_notes
    body = body.strip()
    if not body:
        raise DocumentError(f"{path}: the document has no text; add the article body", "empty", name=path.name)
    # A first line is the headline only where no header or sidecar gave the title.
    paragraphs = split_paragraphs(body, markdown=path.suffix.lower() == ".md", headline="title" not in metadata)
    title = metadata.get("title") or _fallback_title(body, paragraphs, path)
    return Document(
        id=document_id_for(path),
        title=nfc(title),
        date=metadata.get("date") or date_in_opening(body),
        path=str(path),
        text=body,
        source=metadata.get("source") or metadata.get("url"),
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        paragraphs=paragraphs,
        encoding=encoding,
        fingerprint=fingerprint if sidecar else "",
        notes=tuple(notes),
    )


def file_fingerprint(path: Path) -> str:
    """Size, modification and change times and inode of `path` and of its sidecar ("" if unreadable).

    The change time cannot be set back by tools that restore modification times, so an edit that
    keeps the size and the modification time still shows."""
    parts = []
    for candidate in (path, sidecar_path(path)):
        try:
            status = candidate.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        except OSError:
            return ""
        parts.append(f"{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}")
    return "/".join(parts)


def _fallback_title(body: str, paragraphs: tuple[Paragraph, ...], path: Path) -> str:
    """The title of a document without one in its metadata: the heading it opens with, else its
    file name; cleaned as a header's title is (`metadata.clean_text`) and at most as long."""
    headings = [p for p in paragraphs if p.is_heading]
    if headings and headings[0].start == paragraphs[0].start:
        title = _MARKDOWN_HEADING.sub("", body[headings[0].start:headings[0].end])
    else:
        title = path.stem
    return shorten(clean_text(title), MAX_METADATA_CHARS) or path.stem
