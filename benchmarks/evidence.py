"""Reading archived copies back out of WARC files: the peak memory and CPU time of
describing a record (``read_record``, body read through and dropped) and of streaming
its body (``record_body``), for hostile and large pages, all generated here:

- a gzip bomb: 64 MiB of zeros sent as ``Content-Encoding: gzip`` (about 64 KB stored);
- 4 MiB of blanks sent plain (the WARC's own gzip member packs it to about 4 KB);
- the same 4 MiB sent gzip-encoded;
- 4 MiB that does not compress (hex of random bytes), sent plain.

Peak memory is ``tracemalloc``'s peak for the two calls together (Python's allocations:
the buffers the reader holds); CPU time is the process's, so a busy machine does not
inflate it.

    .venv/bin/python benchmarks/evidence.py
"""

from __future__ import annotations

import gzip
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from govsite.engine import read_record, record_body
from govsite.samples.warcs import write_warc

MIB = 1024 * 1024
BLANKS = b"<!doctype html><p>archived</p>" + b" " * (4 * MIB)
CASES = {
    "gzip bomb, 64 MiB of zeros": (gzip.compress(b"\0" * (64 * MIB), 9), "gzip"),
    "4 MiB of blanks, plain": (BLANKS, None),
    "4 MiB of blanks, gzip": (gzip.compress(BLANKS), "gzip"),
    "4 MiB incompressible, plain": (random.Random(14).randbytes(2 * MIB).hex().encode(), None),
}


def main() -> None:
    print("| page | WARC file | described | streamed (stops at the cap) | peak memory | CPU ms |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, (body, encoding) in CASES.items():
            path = Path(folder) / "page.warc.gz"
            record_id = write_warc(path, body, encoding)
            tracemalloc.start()
            started = time.process_time()
            found = read_record(path, record_id)
            streamed = sum(len(piece) for piece in record_body(path, record_id))
            cpu = time.process_time() - started
            _now, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert found is not None
            described = "too large" if found.too_large else f"{found.size / MIB:.1f} MiB"
            print(f"| {name} | {path.stat().st_size / 1024:,.1f} KB | {described} | {streamed / MIB:.1f} MiB "
                  f"| {peak / MIB:.2f} MiB | {cpu * 1000:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
