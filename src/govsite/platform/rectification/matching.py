"""Matching the findings of two scans of one site (复核): a finding is the same when its
check id and its subject (the URL or column it is about, domain.md) are the same. A key
seen twice before and once after is fixed once and still present once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FIXED = "fixed"
STILL_PRESENT = "still_present"
NEW = "new"

Key = tuple[str, str]  # (check id, subject)


def key(check: str, subject: str) -> Key:
    return check, subject.strip()


@dataclass(frozen=True)
class Matched:
    check: str
    subject: str
    status: str  # fixed | still_present | new
    before: int | None  # position in ``before``
    after: int | None  # position in ``after``


def match(before: Sequence[Key], after: Sequence[Key], known: Iterable[Key] = ()) -> list[Matched]:
    """Each of ``before`` as fixed or still present (paired with a finding of ``after``),
    then each unpaired finding of ``after`` as new — unless its key is ``known`` (seen in
    the first scan but not covered, e.g. dismissed in review)."""
    waiting: dict[Key, list[int]] = defaultdict(list)
    for i, k in enumerate(after):
        waiting[key(*k)].append(i)
    out: list[Matched] = []
    for i, k in enumerate(before):
        k = key(*k)
        if waiting[k]:
            out.append(Matched(k[0], k[1], STILL_PRESENT, i, waiting[k].pop(0)))
        else:
            out.append(Matched(k[0], k[1], FIXED, i, None))
    ignored = {key(*k) for k in known}
    left = sorted((j, k) for k, js in waiting.items() for j in js)
    out += [Matched(k[0], k[1], NEW, None, j) for j, k in left if k not in ignored]
    return out
