"""Write a bulletin in one format and keep the file with the data it was made from: the
export's ``inputs`` hold the assembled document, so ``rewrite`` makes the same bulletin
again (the same text, tables and figures) however the data changed since."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from govsite.platform import storage
from govsite.platform.bulletins import pictures
from govsite.platform.bulletins.assemble import Document, as_json, assemble, from_json
from govsite.platform.bulletins.models import Bulletin, Export
from govsite.platform.bulletins.writers import docx, html, pdf, xlsx

FORMATS = ("docx", "xlsx", "html", "pdf")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Made:
    export: Export
    data: bytes
    notes: list[str]  # e.g. the fonts the .docx fell back to


def write(doc: Document, fmt: str) -> tuple[bytes, list[str]]:
    """The file; the annexes' screenshots (if any) read from the store for it (the
    spreadsheet has none)."""
    if fmt == "xlsx":
        return xlsx.write(doc), []
    shots = pictures.load(f for a in doc.annexes for f in a.figures)
    if fmt == "docx":
        written = docx.write(doc, shots)
        return written.data, [f"font fallback: {f}" for f in written.fallbacks]
    if fmt == "html":
        return html.render(doc, shots).encode("utf-8"), []
    if fmt == "pdf":
        return pdf.write(doc, shots), []
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")


@transaction.atomic
def export(
    bulletin: Bulletin, fmt: str, user: Any = None, use_scan_verdicts: bool = False, screenshots: bool = False
) -> Made:
    """Assemble (refusing unreviewed sites unless ``use_scan_verdicts``; with the problem
    sites' screenshots in their annex if ``screenshots``), write, keep."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    doc = assemble(bulletin, use_scan_verdicts, screenshots)
    data, notes = write(doc, fmt)
    stamp = timezone.now()
    name = f"{stamp:%Y%m%dT%H%M%S%f}.{fmt}"
    made = Export.objects.create(
        bulletin=bulletin,
        format=fmt,
        path=storage.store().keep_bytes(f"bulletins/{bulletin.pk}/{name}", data),
        digest=hashlib.sha256(data).hexdigest(),
        inputs=as_json(doc),
        scan_verdicts=use_scan_verdicts,
        created=stamp,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return Made(made, data, notes)


def rewrite(made: Export) -> bytes:
    """The export's file made again from its kept inputs."""
    data, _notes = write(from_json(made.inputs), made.format)
    return data
