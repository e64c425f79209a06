"""Test doubles shipped with the package, for tests and benchmarks (never used by the assistant
itself): a deterministic hashing embedder and a scripted chat-completions server.

May import: `assistant.text`.
"""

from .chat_server import ScriptedChatServer
from .embedder import HashingEmbedder

__all__ = ["HashingEmbedder", "ScriptedChatServer"]
