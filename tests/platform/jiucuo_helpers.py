"""Sending the public form as a browser does: read the form, answer its question, post."""

from __future__ import annotations

import re
from typing import Any

FIELD = re.compile(r'name="(form_key|challenge|csrfmiddlewaretoken)" value="([^"]*)"')
QUESTION = re.compile(r"(\d+) \+ (\d+) = \?")


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields and the answer to the question of a rendered form."""
    fields = dict(FIELD.findall(html))
    a, b = QUESTION.search(html).groups()  # type: ignore[union-attr]
    return {**fields, "answer": str(int(a) + int(b))}


def report_fields(**given: Any) -> dict[str, Any]:
    return {
        "kind": "content",
        "page_url": "http://www.beixi.gov.cn/xxgk/1.html",
        "description": "第二段有错别字：“帐户”应为“账户”。",
        "contact": "13812345678",
        **given,
    }
