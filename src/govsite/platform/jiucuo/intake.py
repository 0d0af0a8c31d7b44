"""Taking a report in: from the public form (idempotent per form, rate-limited per
client) or forwarded by the national platform. One transaction each: the report, its
screenshot and its first audit step are written together or not at all."""

from __future__ import annotations

import hashlib
import hmac
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from govsite.platform.jiucuo import rows
from govsite.platform.jiucuo.deadlines import due_after
from govsite.platform.jiucuo.models import Report, Screenshot, Step
from govsite.platform.jiucuo.screenshots import Picture
from govsite.platform.registry.models import Site

MAX_DESCRIPTION = 2000
#: The first key of the PostgreSQL advisory locks that serialise one client's submissions.
RATE_LOCK_SPACE = 0x6A6375  # "jcu"


class RateLimited(Exception):
    pass


@dataclass(frozen=True)
class Receipt:
    report: Report
    code: str  # the query code (查询码), shown once to the sender
    created: bool  # False when the form had already been sent


def query_code(form_key: uuid.UUID) -> str:
    """The query code of the form with this key: the same on every retry, known only to
    whoever holds the form (derived with the server's secret)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"jiucuo:" + form_key.bytes, hashlib.sha256).hexdigest()
    return digest[:8].upper()


def code_matches(report: Report, code: str) -> bool:
    given = hashlib.sha256(code.strip().upper().encode()).hexdigest()
    return bool(report.code_digest) and hmac.compare_digest(given, report.code_digest)


def submit(
    *,
    site: Site,
    kind: str,
    page_url: str,
    description: str,
    contact: str,
    picture: Picture | None,
    form_key: uuid.UUID,
    client: str,
) -> Receipt:
    """Store one public report, once per ``form_key``; ``RateLimited`` when this client sent
    ``JIUCUO_RATE_LIMIT`` reports within its window."""
    code = query_code(form_key)
    count, seconds = settings.JIUCUO_RATE_LIMIT
    now = timezone.now()
    try:
        with transaction.atomic():
            one_at_a_time(client)
            if sent_since(client, now - timedelta(seconds=seconds), count):
                raise RateLimited
            report = rows.insert(
                Report,
                site=site,
                kind=kind,
                page_url=page_url,
                description=description,
                contact=contact,
                form_key=form_key,
                code_digest=hashlib.sha256(code.encode()).hexdigest(),
                client=client,
                received=now,
                due=due_after(timezone.localdate(now), "received"),
            )
            if picture is not None:
                Screenshot.objects.create(report=report, data=picture.png, width=picture.width, height=picture.height)
            rows.insert(Step, report=report, action=Step.Action.SUBMITTED, site=site, due=report.due, when=now)
    except (IntegrityError, RateLimited):  # the form was sent before (its key is unique): its ticket again
        existing = Report.objects.filter(form_key=form_key).first()
        if existing is None:
            raise
        return Receipt(existing, code, created=False)
    return Receipt(report, code, created=True)


def one_at_a_time(client: str) -> None:
    """Within the caller's transaction, wait until no other submission of this client is
    between its rate-limit check and its commit, so that two posts sent at once cannot both
    pass the limit. SQLite already runs one writing transaction at a time (IMMEDIATE
    transactions, settings.py); PostgreSQL takes a transaction-level advisory lock keyed by
    the client, released at commit or rollback (two clients sharing a key only wait for
    each other)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [RATE_LOCK_SPACE, zlib.crc32(client.encode()) - 2**31]
            )


def sent_since(client: str, since: datetime, count: int) -> bool:
    """Whether ``client`` sent ``count`` reports or more since ``since``: one indexed look for
    the count-th of them (written out: the ORM's query building cost more than the query)."""
    quote, received = connection.ops.quote_name, Report._meta.get_field("received")
    sql = (
        f"SELECT 1 FROM {quote(Report._meta.db_table)} WHERE {quote('client')} = %s AND {quote(received.column)} >= %s "
        "LIMIT 1 OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [client, received.get_db_prep_value(since, connection), count - 1])
        return cursor.fetchone() is not None


def forward(
    *, national_id: str, site: Site, kind: str, page_url: str, description: str, contact: str, received: datetime
) -> tuple[Report, bool]:
    """Store a message forwarded by the national platform (全国政府网站信息报送系统), once per
    national id; (report, created). The deadline counts from when the national platform received it.
    Call inside the importer's transaction."""
    existing = Report.objects.filter(national_id=national_id).first()
    if existing is not None:
        return existing, False
    report = Report.objects.create(
        site=site,
        kind=kind,
        page_url=page_url,
        description=description,
        contact=contact,
        source=Report.Source.NATIONAL,
        national_id=national_id,
        received=received,
        due=due_after(timezone.localdate(received), "received"),
    )
    Step.objects.create(report=report, action=Step.Action.IMPORTED, site=site, due=report.due, note=national_id)
    return report, True
