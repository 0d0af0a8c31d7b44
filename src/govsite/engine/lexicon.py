"""The wording lexicon: fixed official phrases and their known miswritings."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path


class LexiconError(ValueError):
    """A lexicon file is invalid; the message names the file and the entry."""


def load(extra: Iterable[Path] = ()) -> dict[str, tuple[str, ...]]:
    """The shipped lexicon with the entries of ``extra`` files added: correct -> wrong forms."""
    shipped = resources.files("govsite.engine.data").joinpath("wording.toml").read_text(encoding="utf-8")
    merged: dict[str, list[str]] = {}
    for label, text in [("wording.toml", shipped), *((str(p), _read(p)) for p in extra)]:
        for correct, wrong in _parse(label, text):
            merged.setdefault(correct, [])
            merged[correct] += [w for w in wrong if w not in merged[correct]]
    return {k: tuple(v) for k, v in merged.items()}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read: {exc}") from exc


def _parse(label: str, text: str) -> list[tuple[str, list[str]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{label}: not valid TOML: {exc}") from exc
    entries = data.get("phrase")
    if not isinstance(entries, list):
        raise LexiconError(f"{label}: expected [[phrase]] entries")
    out = []
    for i, entry in enumerate(entries):
        correct, wrong = entry.get("correct"), entry.get("wrong")
        if not isinstance(correct, str) or not correct.strip():
            raise LexiconError(f"{label}: phrase[{i}].correct must be a non-empty string")
        if not isinstance(wrong, list) or not wrong or not all(isinstance(w, str) and w.strip() for w in wrong):
            raise LexiconError(f"{label}: phrase[{i}].wrong must be a list of non-empty strings")
        if correct in wrong:
            raise LexiconError(f"{label}: phrase[{i}] lists its correct form as wrong")
        out.append((correct, wrong))
    return out
