"""Every fetch ends in exactly one outcome: ``ok`` or one failure class.

The classes separate the site's failures from ours: ``scanner_error`` (our bug, our
proxy down, a target our address guard refused) is never the site being down.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    OK = "ok"
    DNS = "dns"
    CONNECT = "connect"
    TIMEOUT = "timeout"
    TLS = "tls"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TOO_LARGE = "too_large"
    BLOCKED = "blocked"
    SCANNER_ERROR = "scanner_error"

    @property
    def site_failure(self) -> bool:
        """True when the outcome is the site's doing, not ours."""
        return self not in (Outcome.OK, Outcome.SCANNER_ERROR)


def from_status(status: int) -> Outcome:
    if status == 403:
        return Outcome.BLOCKED
    if 400 <= status < 500:
        return Outcome.HTTP_4XX
    if status >= 500:
        return Outcome.HTTP_5XX
    return Outcome.OK


class FetchFailure(Exception):
    """A request that ended without a usable response, with its failure class."""

    def __init__(self, outcome: Outcome, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.elapsed = 0.0  # seconds the attempt took, set by the transport
