"""Where the platform keeps the files every process must read: WARC evidence (each scan's,
each re-check's), exported bulletins, and the files users upload to be kept (rectification
feedback attachments, self-inspection reports). Error reports' screenshots are kept in the
database (re-encoded, bounded PNGs); registry uploads are read and not kept. One
interface, two backends chosen by ``GOVSITE_STORE``:

* unset: a directory (``GOVSITE_EVIDENCE_DIR``, by default ``GOVSITE_DATA_DIR/warc``), which
  in distributed mode every machine mounts at the same path. A stored file's reference
  is its absolute path.
* ``s3://bucket/prefix``: an S3-compatible bucket (MinIO, Ceph RGW, a cloud's object
  store) through boto3, at ``GOVSITE_S3_ENDPOINT`` when it is not AWS itself; credentials
  come from boto3's own environment (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``). A
  stored file's reference is ``s3://bucket/key``.

Writers stage a file locally (:meth:`Store.staging`: in the directory, the final place),
then :meth:`Store.keep` it and record the reference it returns. Readers ask for a local
copy of a reference (:func:`local_copy`), or a bounded stream of it to serve
(:func:`open_stream`), whichever backend wrote it: references are
self-describing, so rows written before a change of ``GOVSITE_STORE`` stay readable
(an old relative path is taken under ``GOVSITE_DATA_DIR``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class Store(Protocol):
    def staging(self, key: str) -> Path:
        """Where to write the file that will be kept under ``key``."""

    def keep(self, key: str, staged: Path) -> str:
        """Keep the staged file under ``key``; returns its reference."""

    def keep_bytes(self, key: str, data: bytes) -> str:
        """Keep ``data`` under ``key``; returns its reference."""

    def discard(self, staged: Path) -> None:
        """Drop a staged file that is not to be kept."""


class Directory:
    """Files under ``root`` (a shared directory in distributed mode)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def staging(self, key: str) -> Path:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def keep(self, key: str, staged: Path) -> str:
        return str(staged)  # staged in its place already

    def discard(self, staged: Path) -> None:
        staged.unlink(missing_ok=True)

    def keep_bytes(self, key: str, data: bytes) -> str:
        path = self.staging(key)
        path.write_bytes(data)
        return str(path)


class Bucket:
    """Objects under ``prefix`` in an S3-compatible ``bucket``."""

    def __init__(self, bucket: str, prefix: str) -> None:
        self.bucket, self.prefix = bucket, prefix.strip("/")

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def staging(self, key: str) -> Path:
        path = Path(settings.DATA_DIR) / "staging" / key  # this machine's, until kept
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def keep(self, key: str, staged: Path) -> str:
        s3_client().upload_file(str(staged), self.bucket, self._key(key))
        self.discard(staged)
        return f"s3://{self.bucket}/{self._key(key)}"

    def discard(self, staged: Path) -> None:
        staged.unlink(missing_ok=True)

    def keep_bytes(self, key: str, data: bytes) -> str:
        s3_client().put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
        return f"s3://{self.bucket}/{self._key(key)}"


def store() -> Store:
    """The configured store (``GOVSITE_STORE``)."""
    url = settings.STORE
    if not url:
        return Directory(Path(settings.EVIDENCE_DIR or Path(settings.DATA_DIR) / "warc"))
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(f"GOVSITE_STORE must be s3://bucket/prefix or unset, not {url!r}")
    return Bucket(parts.netloc, parts.path)


@cache
def _client(endpoint: str | None, region: str | None) -> Any:
    import boto3  # only a deployment that stores in a bucket needs it loaded

    return boto3.client("s3", endpoint_url=endpoint, region_name=region)


def s3_client() -> Any:
    return _client(settings.S3_ENDPOINT, settings.S3_REGION)


def _split(ref: str) -> tuple[str, str]:
    parts = urlsplit(ref)
    return parts.netloc, parts.path.lstrip("/")


@contextmanager
def local_copy(ref: str) -> Iterator[Path]:
    """A local file holding the stored file ``ref`` (the file itself in a directory, a
    temporary download from a bucket, removed afterwards). Raises FileNotFoundError
    when there is no such file."""
    if not ref.startswith("s3://"):
        path = Path(settings.DATA_DIR) / ref  # an absolute reference stays as it is
        if not path.is_file():
            raise FileNotFoundError(ref)
        yield path
        return
    from botocore.exceptions import ClientError

    bucket, key = _split(ref)
    with tempfile.TemporaryDirectory(prefix="govsite-copy-") as folder:
        path = Path(folder) / Path(key).name
        try:
            s3_client().download_file(bucket, key, str(path))
        except ClientError as exc:
            raise FileNotFoundError(ref) from exc
        yield path


def read_bytes(ref: str) -> bytes:
    with local_copy(ref) as path:
        return path.read_bytes()


class TooLarge(Exception):
    """A stored file is larger than its reader accepts."""


class Stream:
    """A stored file read in pieces, never more than ``size`` bytes in all (an object that
    grew after its size was read is cut there); closes what it reads from."""

    def __init__(self, source: BinaryIO, size: int) -> None:
        self.source, self.size, self.left = source, size, size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.source.read(n) if n else b""
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.source.close()


def open_stream(ref: str, limit: int) -> Stream:
    """The stored file ``ref`` open for reading in pieces, whichever backend wrote it, so
    that a web process serves it without holding it whole or copying it to disk. Raises
    FileNotFoundError when there is no such file, TooLarge when it holds more than
    ``limit`` bytes (nothing is read then)."""
    if not ref.startswith("s3://"):
        path = Path(settings.DATA_DIR) / ref  # an absolute reference stays as it is
        if not path.is_file():
            raise FileNotFoundError(ref)
        source: BinaryIO = path.open("rb")
        size = os.fstat(source.fileno()).st_size
    else:
        from botocore.exceptions import ClientError

        bucket, key = _split(ref)
        try:
            found = s3_client().get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            raise FileNotFoundError(ref) from exc
        source, size = found["Body"], int(found["ContentLength"])
    if size > limit:
        source.close()
        raise TooLarge(f"{ref}: {size} bytes, more than {limit}")
    return Stream(source, size)


def delete(ref: str) -> None:
    """Remove the stored file ``ref`` (nothing when it is gone already)."""
    if ref.startswith("s3://"):
        bucket, key = _split(ref)
        s3_client().delete_object(Bucket=bucket, Key=key)
    else:
        (Path(settings.DATA_DIR) / ref).unlink(missing_ok=True)
