"""The assistant's own exception types: each message says what was wrong and how to fix it."""


class AssistantError(Exception):
    """Base class for every error a user can cause or fix."""


class QuestionError(AssistantError, ValueError):
    """The question cannot be answered as given (empty, unreadable)."""


class DocumentError(AssistantError):
    """A document cannot be loaded (missing, empty, binary, too large, not UTF-8).

    `reason` names the failed check for callers that word it their own way (the chat, in
    Vietnamese): `type`, `size`, `unreadable`, `binary`, `encoding` or `empty`, with its values
    (the file's `name` among them) in `detail`.
    """

    def __init__(self, message: str, reason: str | None = None, **detail):
        super().__init__(message)
        self.reason = reason
        self.detail = detail


class IndexStateError(AssistantError):
    """The index directory is missing, locked, corrupted or built with other settings."""


class IndexLockedError(IndexStateError):
    """Another indexer is writing to the same index directory."""


class DiskFullError(IndexStateError):
    """The disk holding the index is full: nothing was published, the live generation is as it was."""


class ModelError(AssistantError):
    """The embedding model cannot be found, converted or loaded."""
