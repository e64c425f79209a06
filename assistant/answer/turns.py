"""Turns of a conversation: what was asked, how it was understood, and what the answer said.

`history` may hold earlier questions (strings), turns `{"question": ..., "answer": ...}` (the
answer as text or in the JSON form of `Answer.to_dict`) or `Answer` objects; they are all read
into `Turn`s here. A follow-up then refers to the people, places and things of the earlier
questions *and* of their answers (`answer.conversation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence, Union

from ..config import MAX_HISTORY
from ..errors import QuestionError
from ..results import ANSWERED, NOT_FOUND, STATUSES, Answer
from ..text.mentions import words_of
from ..text.normalize import fold_chars
from ..text.questions import question_form


@dataclass(frozen=True)
class Turn:
    """One earlier turn.

    Attributes:
        question: as asked.
        standalone: as understood (the rewritten question, or the question itself).
        status: the answer's status, or None when the answer is not known.
        short_answer: the words that answered, if any.
        sentence: the sentence quoted as the answer ("" when none).
        document: the id of the document the answer came from, if any.
    """

    question: str
    standalone: str
    status: str | None = None
    short_answer: str | None = None
    sentence: str = ""
    document: str | None = None

    @property
    def answered(self) -> bool:
        """Whether the answer is known (not whether it was found)."""
        return self.status is not None

    @property
    def relevant(self) -> bool:
        """Whether the turn was about the archive: a turn whose answer was "not found" (an unrelated
        question in the middle of a conversation) is no referent for the next one."""
        return self.status != NOT_FOUND

    @classmethod
    def of_answer(cls, answer: Answer) -> "Turn":
        sentence = ""
        if answer.passages:  # the answer quoted, or the sentence shown first under the caveat
            top = answer.passages[0]
            start, end = top.highlights[0] if top.highlights else (top.start, top.end)
            sentence = top.text[start - top.start:end - top.start]
        document = answer.passages[0].document_id if answer.passages else None
        return cls(answer.question, answer.rewritten_question or answer.question, answer.status,
                   answer.short_answer if answer.status == ANSWERED else None, sentence, document)


def _first_highlight(passage: dict) -> str:
    """The sentence a passage in JSON form highlights first (the one shown as the answer, or first
    under the caveat), "" when it says none."""
    text, start, highlights = passage.get("text"), passage.get("start"), passage.get("highlights")
    if not (isinstance(text, str) and isinstance(start, int) and isinstance(highlights, list) and highlights):
        return ""
    first = highlights[0]
    if not (isinstance(first, (list, tuple)) and len(first) == 2 and all(isinstance(x, int) for x in first)):
        return ""
    return text[max(0, first[0] - start):max(0, first[1] - start)]


# What `Assistant.ask(history=...)` takes: questions, turns as mappings, answers (or turns).
HistoryItem = Union[str, dict, Answer, "Turn"]


def _turn(item: Any) -> Turn | None:
    """One history item as a turn (None for an empty one).

    Raises:
        QuestionError: the item is neither a question, a turn object nor an `Answer`.
    """
    if isinstance(item, Turn):
        return item
    if isinstance(item, Answer):
        return Turn.of_answer(item)
    if isinstance(item, str):
        return Turn(item, item) if item.strip() else None
    if isinstance(item, dict) and isinstance(item.get("question"), str):
        question = item["question"]
        answer = item.get("answer")
        if answer is None:
            return Turn(question, question) if question.strip() else None
        if isinstance(answer, str):
            return Turn(question, question, ANSWERED, None, answer)
        if isinstance(answer, dict):
            status = answer.get("status") if answer.get("status") in STATUSES else ANSWERED
            passages = answer.get("passages") or []
            document = passages[0].get("document", {}).get("id") if passages and isinstance(passages[0], dict) else None
            text = answer.get("answer") if isinstance(answer.get("answer"), str) else ""
            sentence = _first_highlight(passages[0]) if passages and isinstance(passages[0], dict) else ""
            if not sentence and status == ANSWERED and text.startswith("“"):
                sentence = text.split("”")[0].lstrip("“")
            short = answer.get("short_answer") if isinstance(answer.get("short_answer"), str) else None
            return Turn(question, answer.get("rewritten_question") or question, status, short, sentence, document)
    raise QuestionError("each history item must be an earlier question (text), a turn {\"question\": ..., "
                        f"\"answer\": ...}} or an Answer, not {type(item).__name__}")


def read_history(history: Sequence[Any] | None) -> list[Turn]:
    """The last `MAX_HISTORY` turns of `history`, oldest first.

    Raises:
        QuestionError: `history` is not a list of questions, turns or answers.
    """
    if history is None:
        return []
    if isinstance(history, (str, bytes, dict)) or not isinstance(history, Sequence):
        raise QuestionError("history must be a list of earlier questions or turns, oldest first, "
                            f"not {type(history).__name__}")
    turns = [turn for turn in (_turn(item) for item in history) if turn is not None]
    return turns[-MAX_HISTORY:]


# "… có … không?", "… có … chưa?": a yes-no question, which establishes what it asks.
_YES_NO = re.compile(r"(?i)^(?P<head>.*?)\b(?:có|co) (?P<said>.+?)(?: hay)? (?:không|khong|chưa|chua)$")
MAX_FILLER_WORDS = 12  # a longer short answer (a list, a clause) makes a statement too long to search with


def statement(turn: Turn, max_words: int = MAX_FILLER_WORDS) -> str:
    """What a turn established, as a clause: its question with the answer in the question word's
    place ("Tổ công tác số 5 do Nguyễn Thị Mỹ Hằng làm tổ trưởng"), or as asked when no short
    answer is known or it runs over `max_words`."""
    text = re.sub(r"(?i)^(?:(?:và|thế|vậy)\s+)?(?:còn|thế|vậy)\s+", "", turn.standalone.strip()).rstrip("?.! ")
    form = question_form(text)
    if form.kind is None:  # "Phường Tân Mỹ có thiếu cán bộ không": "Phường Tân Mỹ thiếu cán bộ"
        return _YES_NO.sub(r"\g<head>\g<said>", text)
    words = words_of(text)  # as the question's words are read ("126.821.490.000" is four)
    start, end = form.ask
    # Without a short answer (or with a long list) the question stays as asked: "máy lạnh nên để bao
    # nhiêu độ", not "máy lạnh nên để độ".
    if len(words) != len(form.words) or not turn.short_answer or len(turn.short_answer.split()) > max_words:
        return text
    # "có bao nhiêu người chết" answered "ít nhất 50 người": "có ít nhất 50 người chết", its noun said
    # once; "cho mấy người" answered "3 khách hàng": "cho 3 khách hàng", the answer's noun for it.
    short = tuple(re.findall(r"\w+", fold_chars(turn.short_answer)))
    said = max((n for n in range(1, len(short) + 1) if form.words[end:end + n] == short[-n:]), default=0)
    if not said and form.counted and form.words[end:end + len(form.counted)] == form.counted \
            and short and not short[-1].isdigit():
        said = len(form.counted)
    return " ".join(f"{text[:words[start].start()]} {turn.short_answer} {text[words[end + said - 1].end():]}"
                    .split()).strip(" ,")
