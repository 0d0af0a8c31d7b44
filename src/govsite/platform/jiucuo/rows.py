"""One row written without the ORM's per-call work, for the platform's busiest request: the
public error report (benchmarks/reports.py). ``Model.objects.create`` builds and compiles
its INSERT again for every row, which costs the serving process more CPU than sending the
statement; here the statement is built once per model, and only the values are prepared
per row, by each field's own ``pre_save`` and ``get_db_prep_save`` as the ORM prepares
them, so each database gets what the ORM would send. No model signal is sent (none is
connected to the models written this way)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


_statements: dict[tuple[type[Model], str], tuple[str, tuple[Field[Any, Any], ...], bool]] = {}


def _statement(model: type[Model], vendor: str) -> tuple[str, tuple[Field[Any, Any], ...], bool]:
    """(INSERT statement, the fields in its order, whether it returns the new key) for ``model``."""
    known = _statements.get((model, vendor))
    if known is not None:
        return known
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    quote = connection.ops.quote_name
    returning = connection.features.can_return_columns_from_insert
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returning:
        sql += f" RETURNING {quote(model._meta.pk.column)}"
    known = _statements[(model, vendor)] = (sql, fields, returning)
    return known


def insert(model: type[M], **values: Any) -> M:
    """``model.objects.create(**values)`` at a fraction of its cost: the saved instance, the
    fields not given with their defaults."""
    row = model(**values)
    sql, fields, returning = _statement(model, connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    row._state.adding, row._state.db = False, connection.alias
    return row
