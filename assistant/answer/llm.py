"""Generated answers: the user's own OpenAI-compatible server phrases an answer from the numbered
passages, and the answer is shown only when every citation in it holds.

Checked before anything is shown (`verification_note`): every `[n]` points at a passage; every sentence
carries at least one; text the model puts in quotation marks is, verbatim, in a passage that
sentence cites; the model did not say the passages do not answer. What is not checked: that a
paraphrase says what its passage says. Any failure, a timeout or a server error falls back to the
quotation, with a one-line note saying why.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Iterator, Sequence

from ..config import DEFAULT_MAX_CHARS, MAX_HISTORY, Settings
from ..results import Passage
from ..text.normalize import nfc
from ..text.sentences import sentence_spans

INSTRUCTION = (
    "Bạn là trợ lý trả lời câu hỏi về tin tức tiếng Việt. Chỉ dùng các đoạn trích được đánh số bên dưới. "
    "Trả lời ngắn gọn bằng tiếng Việt. Mỗi câu phải ghi nguồn bằng số đoạn trong ngoặc vuông, ví dụ [1] hoặc [1][2]. "
    "Nếu trích nguyên văn thì đặt trong ngoặc kép và chép đúng từng chữ. "
    "Nếu các đoạn trích không trả lời được câu hỏi, chỉ viết: \"Không có thông tin trong các đoạn trích.\""
)
# Why the quotation is shown instead (`Answer.notes`).
NOTE_UNREACHABLE = "Máy chủ mô hình không phản hồi; hiển thị trích dẫn gốc."
NOTE_SERVER_ERROR = "Máy chủ mô hình trả lời lỗi; hiển thị trích dẫn gốc."
NOTE_NO_ANSWER = "Mô hình cho rằng các đoạn trích không trả lời câu hỏi; hiển thị trích dẫn gốc."
NOTE_UNVERIFIED = "Câu trả lời của mô hình không kiểm chứng được ({reason}); hiển thị trích dẫn gốc."

_MARKER = re.compile(r"\[(\d+)\]")
_MARKERS_AFTER_STOP = re.compile(r"([.!?…])((?:\s*\[\d+\])+)")
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«([^»]+)»")
_NO_ANSWER = re.compile(r"không (?:có|tìm thấy|đủ) thông tin|không (?:trả lời|đề cập|nhắc)|"
                        r"không có trong các đoạn|not (?:enough )?information", re.IGNORECASE)


class GenerationError(Exception):
    """The server could not give an answer; `note` says so to the user."""

    def __init__(self, note: str, detail: str = ""):
        super().__init__(detail or note)
        self.note = note


def numbered_passages(passages: Sequence[Passage]) -> str:
    """The passages as the model sees them: `[n] title (date)` then the text."""
    blocks = []
    for number, passage in enumerate(passages, start=1):
        date = f" ({passage.date})" if passage.date else ""
        blocks.append(f"[{number}] {passage.title}{date}\n{passage.text[:DEFAULT_MAX_CHARS]}")
    return "\n\n".join(blocks)


def build_messages(question: str, passages: Sequence[Passage], history: Sequence[str] = (),
                   rewritten: str | None = None) -> list[dict]:
    """The chat-completion messages: the instruction, earlier questions, then the passages and the
    question (as rewritten from the conversation, when it was)."""
    messages = [{"role": "system", "content": INSTRUCTION}]
    messages += [{"role": "user", "content": earlier} for earlier in list(history)[-MAX_HISTORY:]]
    asked = question if not rewritten else f"{question}\n(Tức là: {rewritten})"
    messages.append({"role": "user", "content": f"Các đoạn trích:\n\n{numbered_passages(passages)}\n\n"
                                                f"Câu hỏi: {asked}"})
    return messages


def verification_note(text: str, passages: Sequence[Passage]) -> str | None:
    """Why a generated answer cannot be shown (the note for the user), or None when every
    citation holds.

    Args:
        text: the model's answer.
        passages: the passages it was given, `[1]` first.
    """
    text = nfc(text).strip()
    if not text:
        return NOTE_UNVERIFIED.format(reason="câu trả lời trống")
    if _NO_ANSWER.search(text):
        return NOTE_NO_ANSWER
    numbers = [int(number) for number in _MARKER.findall(text)]
    wrong = [number for number in numbers if not 1 <= number <= len(passages)]
    if wrong:
        return NOTE_UNVERIFIED.format(reason=f"dẫn nguồn [{wrong[0]}] không có")
    # "… việc.[1]" and "… việc. [1][2]": the markers belong to the sentence before them.
    normalised = _MARKERS_AFTER_STOP.sub(r"\2\1", text)
    for start, end in sentence_spans(normalised):
        sentence = normalised[start:end]
        if not any(ch.isalpha() for ch in _MARKER.sub("", sentence)):
            continue
        cited = {int(number) for number in _MARKER.findall(sentence)}
        if not cited:
            return NOTE_UNVERIFIED.format(reason=f"có câu không ghi nguồn: “{sentence[:60]}”")
        for match in _QUOTED.finditer(sentence):
            quoted = nfc(next(group for group in match.groups() if group is not None)).strip()
            if quoted and not any(quoted in nfc(passages[number - 1].text) for number in cited):
                return NOTE_UNVERIFIED.format(reason=f"trích dẫn “{quoted[:60]}” không có trong đoạn được dẫn")
    return None


@dataclass
class AnswerWriter:
    """A client of one OpenAI-compatible chat-completions server (`/v1/chat/completions`).

    Attributes:
        url: the base URL, e.g. `http://127.0.0.1:11434/v1` (Ollama).
        model: the model name the server knows.
        api_key: sent as a bearer token when given.
        timeout: seconds for the whole reply.
    """

    url: str
    model: str
    api_key: str | None = None
    timeout: float = 60.0

    def __post_init__(self):
        self._client = None
        self._lock = threading.Lock()

    @classmethod
    def configured(cls, settings: Settings) -> "AnswerWriter | None":
        """The writer `settings` configure (`llm_url` and the rest), or None when none is."""
        if not settings.llm_url:
            return None
        return cls(settings.llm_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout)

    @property
    def client(self):
        """An `httpx.Client`, made on first use and kept for its connections (thread-safe)."""
        with self._lock:
            if self._client is None:
                import httpx

                headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
                self._client = httpx.Client(base_url=self.url.rstrip("/"), headers=headers,
                                            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)))
            return self._client

    def complete(self, messages: list[dict]) -> str:
        """The model's whole answer.

        Raises:
            GenerationError: unreachable, too slow, an HTTP error, or a reply that is not a completion.
        """
        return "".join(self._request(messages, stream=False))

    def stream(self, messages: list[dict]) -> Iterator[str]:
        """The model's answer, piece by piece as the server sends it (server-sent events).

        Raises:
            GenerationError: as `complete`, at any point of the stream.
        """
        return self._request(messages, stream=True)

    def _request(self, messages: list[dict], stream: bool) -> Iterator[str]:
        import httpx

        payload = {"model": self.model, "messages": messages, "temperature": 0, "stream": stream}
        try:
            with self.client.stream("POST", "/chat/completions", json=payload) as response:
                if response.status_code >= 400:
                    raise GenerationError(NOTE_SERVER_ERROR, f"HTTP {response.status_code}")
                if not stream:
                    response.read()
                    yield _content(response.json())
                    return
                deadline = time.monotonic() + self.timeout
                for line in response.iter_lines():
                    if time.monotonic() > deadline:  # a server trickling its reply still ends in time
                        raise GenerationError(NOTE_UNREACHABLE, f"no complete reply in {self.timeout} s")
                    if not line.startswith("data:"):
                        continue
                    data = line[len("data:"):].strip()
                    if data == "[DONE]":
                        return
                    yield _delta(json.loads(data))
        except (httpx.TimeoutException, httpx.TransportError) as error:
            raise GenerationError(NOTE_UNREACHABLE, f"{type(error).__name__}: {error}") from error
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise GenerationError(NOTE_SERVER_ERROR, f"malformed reply ({type(error).__name__})") from error


def _content(reply: dict) -> str:
    content = reply["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise TypeError("content is not text")
    return content


def _delta(chunk: dict) -> str:
    if not chunk.get("choices"):
        return ""
    content = chunk["choices"][0].get("delta", {}).get("content") or ""
    if not isinstance(content, str):
        raise TypeError("content is not text")
    return content
