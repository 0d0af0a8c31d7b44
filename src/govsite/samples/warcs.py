"""Hand-made WARC files: one archived response with a body chosen by the caller, for
proving the evidence reader's bounds (gzip bombs, huge or incompressible pages) in the
tests and in ``benchmarks/evidence.py``."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write_warc(path: Path, body: bytes, encoding: str | None = None, url: str = "http://www.huachuan.gov.cn/") -> str:
    """Write ``path`` (gzipped WARC) holding one 200 text/html response of ``body`` sent with
    ``Content-Encoding: encoding`` when given; return the record's WARC-Record-ID."""
    headers = [("Content-Type", "text/html; charset=utf-8")] + ([("Content-Encoding", encoding)] if encoding else [])
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body),
            http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
        )  # fmt: skip
        writer.write_record(record)
    return str(record.rec_headers.get_header("WARC-Record-ID"))
