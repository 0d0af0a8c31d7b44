"""Language choice for command-line text: Chinese (zh-hans) by default, English on request.

``GOVSITE_LANG`` wins; otherwise an English locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG`` beginning with ``en``) selects English. Everything else gets Chinese.
"""

from __future__ import annotations

import os


def language() -> str:
    chosen = os.environ.get("GOVSITE_LANG")
    if chosen:
        return "en" if chosen.lower().startswith("en") else "zh-hans"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh-hans"
    return "zh-hans"


def tr(zh: str, en: str) -> str:
    """The text in the user's language."""
    return en if language() == "en" else zh
