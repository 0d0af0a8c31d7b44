"""A crawl replayed from its WARC file reads what a site sent as hostile input: the stored
body as it was stored, its content encoding undone by the fetcher with its cap."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import tracemalloc
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govsite.engine import EngineConfig, Outcome, crawl
from govsite.engine.transport import RUN_URI

URL = "http://www.huachuan.gov.cn/"
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), 9)  # 64 MiB of zeros in about 64 KB


def test_a_replayed_gzip_bomb_is_unpacked_only_up_to_the_fetchers_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        run = io.BytesIO(json.dumps({"url": URL}).encode())
        writer.write_record(writer.create_warc_record(RUN_URI, "metadata", payload=run,
                                                      warc_content_type="application/json"))  # fmt: skip
        headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
        writer.write_record(writer.create_warc_record(
            URL, "response", payload=io.BytesIO(BOMB), warc_headers_dict={"Govsite-Method": "GET"},
            http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
        ))  # fmt: skip
    tracemalloc.start()
    try:
        snapshot = asyncio.run(crawl(None, EngineConfig(), replay=path))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert snapshot.homepage.outcome == Outcome.TOO_LARGE
    assert peak < 30_000_000, peak  # the 5 MiB cap and its copies, never the 64 MiB
