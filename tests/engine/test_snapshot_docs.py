"""docs/snapshot.md documents every field of every snapshot class, and nothing else."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from govsite.engine import snapshot

DOC = Path(__file__).resolve().parents[2] / "docs" / "snapshot.md"
CLASSES = (
    snapshot.Snapshot,
    snapshot.Page,
    snapshot.HopRecord,
    snapshot.LinkRecord,
    snapshot.FormRecord,
    snapshot.Column,
    snapshot.Item,
    snapshot.Message,
    snapshot.Guide,
    snapshot.SearchProbe,
    snapshot.LinkCheck,
    snapshot.Probe,
    snapshot.Stats,
)


def test_every_field_is_documented() -> None:
    sections = re.split(r"^### ", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    documented = {s.split("\n", 1)[0].strip(): re.findall(r"^\| `(\w+)` \|", s, re.MULTILINE) for s in sections}
    for cls in CLASSES:
        assert documented.get(cls.__name__) == [f.name for f in dataclasses.fields(cls)], cls.__name__
    assert set(documented) == {cls.__name__ for cls in CLASSES}
    assert f"(schema {snapshot.SCHEMA_VERSION})" in DOC.read_text(encoding="utf-8")
