"""The leaders' names and posts the office keeps (a CSV: name, post, region), held in
the database so that every campaign scan and re-check uses them, not only ``govsite
scan --lexicon``. An upload replaces the whole list, or changes nothing."""

from __future__ import annotations

from django.db import transaction

from govsite.engine import Leader, LexiconError, parse_leaders
from govsite.platform.registry.models import Leader as LeaderRow


def replace_all(label: str, data: bytes) -> int:
    """Replace the list by the leaders of CSV ``data`` (UTF-8); returns how many. A bad
    file raises :class:`govsite.engine.LexiconError` naming the row and column, and the
    list stays as it was."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{label}: not UTF-8 text (byte {exc.start})") from exc
    people = parse_leaders(label, text)
    with transaction.atomic():
        LeaderRow.objects.all().delete()
        LeaderRow.objects.bulk_create(LeaderRow(name=p.name, post=p.post, region=p.region) for p in people)
    return len(people)


def current() -> tuple[Leader, ...]:
    """The list as the engine takes it (``scan(leaders=...)``)."""
    return tuple(Leader(r.name, r.post, r.region) for r in LeaderRow.objects.order_by("pk"))
