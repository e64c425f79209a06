"""Vietnamese news question answering with cited passages.

    from assistant import Assistant
    bot = Assistant.open()                 # index/ built from documents/ on first use
    answer = bot.ask("Ai là Chủ tịch UBND phường Tân Mỹ?")
"""

from __future__ import annotations

from .version import __version__

__all__ = ["Answer", "Assistant", "AssistantError", "Passage", "Settings", "__version__"]


def __getattr__(name: str):
    # Lazy: `import assistant` must stay cheap for the CLI's --help and the text utilities.
    if name == "Assistant":
        from .answer.assistant import Assistant

        return Assistant
    if name in ("Answer", "Passage"):
        from . import results

        return getattr(results, name)
    if name == "Settings":
        from .config import Settings

        return Settings
    if name == "AssistantError":
        from .errors import AssistantError

        return AssistantError
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
