"""User-facing language for the core: Simplified Chinese first, English available.

The core never formats a message for a person directly; it raises or returns a message key
(see ``cashier.errors``) and ``translate`` renders it in the current language.
"""

from __future__ import annotations

import os

from cashier.messages import MESSAGES

LANGUAGES = ("zh", "en")
_current = "zh"


def normalize_language(value: str | None) -> str:
    """Map 'zh_CN', 'zh-CN', 'en_US', 'EN' ... onto one of LANGUAGES; unknown gives 'zh'."""
    if not value:
        return "zh"
    head = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return head if head in LANGUAGES else "zh"


def set_language(value: str | None) -> str:
    global _current
    _current = normalize_language(value)
    return _current


def current_language() -> str:
    return _current


def language_from_environment() -> str:
    """CASHIER_LANG wins; the locale never silently switches a Chinese hall to English."""
    return normalize_language(os.environ.get("CASHIER_LANG"))


class Phrase:
    """A message to be said in whatever language its sentence is rendered in (a parameter of another message)."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params

    def render(self, lang: str) -> str:
        return translate(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render(_current)


def translate(key: str, lang: str | None = None, **params: object) -> str:
    """Render message ``key`` with ``params``; an unknown key shows itself, never crashes.
    A ``Phrase`` parameter is rendered in the same language as the sentence."""
    lang = normalize_language(lang) if lang else _current
    params = {k: v.render(lang) if isinstance(v, Phrase) else v for k, v in params.items()}
    texts = MESSAGES.get(key)
    if texts is None:
        return key + (" " + repr(params) if params else "")
    template = texts.get(lang) or texts["zh"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template + " " + repr(params)
