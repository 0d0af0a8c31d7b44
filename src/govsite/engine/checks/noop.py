"""The contract, shown by the smallest check: it reads the snapshot and finds nothing.

A check is a function ``(snapshot, ctx) -> list[Finding]``. It returns one
:class:`~govsite.engine.checks.base.Finding` per problem (an empty list is a pass) and
raises :class:`~govsite.engine.checks.base.Undecided` when it cannot decide. It is
listed once in :data:`govsite.engine.checks.registry.CHECKS` with the check ids it may
report. It keeps no state and does no I/O: everything it needs is in the snapshot or
the context.
"""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding
from govsite.engine.snapshot import Snapshot


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    return []
