"""The wording lexicon: fixed official phrases and their known miswritings, and the
leaders' names and posts an office keeps (a CSV: name, post, region)."""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

LEADER_COLUMNS = ("name", "post", "region")
MAX_LEADERS = 100_000


@dataclass(frozen=True)
class Leader:
    name: str  # 姓名
    post: str  # 职务 as pages print it next to the name (市长, 县委书记 …)
    region: str  # 地区, for the office's own records


class LexiconError(ValueError):
    """A lexicon file is invalid; the message names the file and the entry."""


def load(extra: Iterable[Path] = ()) -> dict[str, tuple[str, ...]]:
    """The shipped lexicon with the entries of ``extra`` phrase files (TOML) added:
    correct -> wrong forms. CSV files among ``extra`` are leaders (:func:`leaders`)."""
    shipped = resources.files("govsite.engine.data").joinpath("wording.toml").read_text(encoding="utf-8")
    merged: dict[str, list[str]] = {}
    phrase_files = [p for p in extra if p.suffix.lower() != ".csv"]
    for label, text in [("wording.toml", shipped), *((str(p), _read(p)) for p in phrase_files)]:
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


def leaders(files: Iterable[Path]) -> tuple[Leader, ...]:
    """The leaders of the CSV files among ``files`` (:func:`parse_leaders`)."""
    out: list[Leader] = []
    for path in (p for p in files if p.suffix.lower() == ".csv"):
        out += parse_leaders(str(path), _read(path))
    return tuple(dict.fromkeys(out))


def parse_leaders(label: str, text: str) -> tuple[Leader, ...]:
    """The leaders of one CSV text (header: name, post, region; a BOM is ignored). An
    error names ``label``, the row and the column."""
    out: list[Leader] = []
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(rows, [])]
        if header[:3] != list(LEADER_COLUMNS):
            raise LexiconError(f"{label}: row 1: the header must be {', '.join(LEADER_COLUMNS)}")
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = [c.strip() for c in row] + [""] * 3
            for column, value in zip(LEADER_COLUMNS[:2], cells[:2], strict=True):
                if not value:
                    raise LexiconError(f"{label}: row {number}: column {column} is empty")
            if not 2 <= len(cells[0]) <= 8:
                raise LexiconError(f"{label}: row {number}: column name must be 2 to 8 characters, not {cells[0]!r}")
            if len(cells[1]) > 40 or len(cells[2]) > 40:
                raise LexiconError(f"{label}: row {number}: columns post and region hold at most 40 characters")
            out.append(Leader(cells[0], cells[1], cells[2]))
            if len(out) > MAX_LEADERS:
                raise LexiconError(f"{label}: more than {MAX_LEADERS} leaders")
    except csv.Error as exc:
        raise LexiconError(f"{label}: not a CSV file: {exc}") from exc
    return tuple(dict.fromkeys(out))
