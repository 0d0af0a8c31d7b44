"""The search probe (站内搜索): the homepage's search form, asked for the title of the
newest article in a news-like column; the results page says whether search works."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from govsite.engine import extract
from govsite.engine.reading import Found, Reader
from govsite.engine.snapshot import Column, SearchProbe

QUERY_CLASSES = ("news", "notice", "policy")  # columns whose newest title is searched for


async def probe_search(reader: Reader, home: Found, columns: list[Column]) -> SearchProbe:
    assert home.parsed is not None
    form = next((f for f in home.parsed.forms if f.fields and f.method == "get"), None)
    if form is None:
        return SearchProbe.not_run("no search form on the homepage", form_found=False)
    query = probe_query(columns)
    if query is None:
        return SearchProbe.not_run("no recent article title to search for", form_found=True)
    params = [(form.fields[0], query), *form.all_fields]
    encoding = home.fetched.charset or "utf-8"
    try:
        qs = urlencode(params, encoding=encoding)
    except UnicodeEncodeError:
        qs = urlencode(params, encoding="utf-8")
    target = form.action.split("#")[0] + ("&" if "?" in form.action else "?") + qs
    found = await reader.read(target, "search")
    if found is None:
        return SearchProbe.not_run("page budget spent", form_found=True, url=target, query=query)
    if not found.fetched.ok or found.parsed is None:
        return SearchProbe.not_run("results page failed", form_found=True, url=target, query=query,
                                   outcome=found.fetched.outcome.value)  # fmt: skip
    results = [link.text for link in found.parsed.links if link.region == "main"]
    hit, count, why = extract.search_answer(found.parsed.main_text, results, query)
    if hit is None:  # the page holds no answer of its own: 待核查, never a broken search
        return SearchProbe.not_run(why or "no answer on the results page", form_found=True, url=target, query=query,
                                   outcome="ok")  # fmt: skip
    return SearchProbe(form_found=True, url=target, query=query, outcome="ok", found=hit, result_count=count,
                       reason=why)  # fmt: skip


def probe_query(columns: list[Column]) -> str | None:
    """The title of the newest article in a news-like column."""
    candidates = [
        item
        for column in columns
        if column.kind == "list" and column.cls in QUERY_CLASSES
        for item in column.items[:1]
        if item.date is not None
    ]
    if not candidates:
        return None
    newest = max(candidates, key=lambda i: (i.date or date.min, i.title))
    return newest.title
