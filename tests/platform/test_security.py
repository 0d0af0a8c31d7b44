"""The attacks of issue 14, against a running server started the README's way
(``govsite serve``: waitress, the default settings, its own database), and schemathesis
over the OpenAPI schema with every role's token: no server error anywhere."""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from openpyxl import load_workbook

from govsite.platform.registry.tabular import COLUMNS

HEADER = [h for h, _f, _r in COLUMNS]
#: The world the server runs on: the sample province, a person per role, and an API token each.
SEED = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from govsite.platform.accounts.models import Membership, Role
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.generate import build_world
from govsite.samples.testing import TEST_AS_OF
load_sample_province(build_world(1, TEST_AS_OF))
people = {"admin": (Role.ADMIN, None, []), "province": (Role.PROVINCIAL, "390000", []),
          "city": (Role.MUNICIPAL, "390400", []), "inspector": (Role.INSPECTOR, None, []),
          "operator": (Role.OPERATOR, None, ["3904000001"])}
for name, (role, region, sites) in people.items():
    user = User.objects.create_user(name, password="a long pass phrase 14")
    m = Membership.objects.create(user=user, role=role, region=Region.objects.get(code=region) if region else None)
    m.sites.set(Site.objects.filter(code__in=sites))
    print("TOKEN", name, Token.objects.create(user=user).key)
"""
PASSWORD = "a long pass phrase 14"
#: Hostile evidence in the server's database: entries whose finding points at a WARC record
#: holding a gzip bomb, a 4 MiB page, and a page whose file was cut in half (test_evidence's).
EVIDENCE = """
from pathlib import Path
from tests.platform.test_evidence import BLANKS, BOMB, HOSTILE_PAGE, NOISE, entry_with
for name, body, coding in [("bomb", BOMB, "gzip"), ("blanks", BLANKS, None), ("cut", HOSTILE_PAGE + NOISE, None)]:
    entry = entry_with(Path.cwd(), name, body, coding)
    print("ENTRY", name, f"campaigns/{entry.campaign_id}/sites/{entry.pk}/archive/0/")
Path("cut.warc.gz").write_bytes(Path("cut.warc.gz").read_bytes()[:50_000])
"""


@dataclass
class Served:
    url: str
    tokens: dict[str, str]
    archived: dict[str, str]  # entry name -> its archived page


def _govsite(env: dict[str, str], *args: str, cwd: Any = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "govsite", *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVSITE_", "DJANGO_"))}
    env |= {"GOVSITE_DATA_DIR": str(folder / "var"), "GOVSITE_LANG": "en"}
    _govsite(env, "manage", "migrate", "-v0")
    out = _govsite(env, "manage", "shell", "-c", SEED)
    tokens = dict(re.findall(r"^TOKEN (\w+) (\w+)$", out, re.MULTILINE))
    (folder / "warc").mkdir()
    env["PYTHONPATH"] = os.pathsep.join([os.getcwd(), env.get("PYTHONPATH", "")])  # the tests' package
    out = _govsite(env, "manage", "shell", "-c", EVIDENCE, cwd=folder / "warc")
    archived = dict(re.findall(r"^ENTRY (\w+) (\S+)$", out, re.MULTILINE))
    proc = subprocess.Popen([sys.executable, "-m", "govsite", "serve", "--web-port", "0"], env=env, cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("Platform: "), line
        yield Served(line.split()[1], tokens, archived)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def logged_in(served: Served, name: str) -> requests.Session:
    s = requests.Session()
    page = s.get(served.url + "accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    done = s.post(served.url + "accounts/login/", timeout=10, allow_redirects=False,
                  data={"username": name, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
                  headers={"Referer": served.url})  # fmt: skip
    assert done.status_code == 302, done.text[:500]
    return s


def csrf(session: requests.Session, served: Served, path: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(served.url + path, timeout=10).text)
    assert found is not None
    return found.group(1)


def test_error_pages_show_no_debug_information(served: Served) -> None:
    missing = requests.get(served.url + "no/such/page/", timeout=10)
    assert missing.status_code == 404
    assert "URLconf" not in missing.text and "Traceback" not in missing.text and "DEBUG" not in missing.text


def test_an_oversized_body_is_refused_before_django(served: Served) -> None:
    host, port = served.url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"POST /sites/import/ HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.1 413")


def test_hostile_evidence_is_answered_streamed_or_refused_and_never_fails(served: Served) -> None:
    s = logged_in(served, "admin")
    bomb = s.get(served.url + served.archived["bomb"] + "?raw=1", timeout=30)
    assert bomb.status_code == 200 and ("太大" in bomb.text or "Too large" in bomb.text) and len(bomb.content) < 10_000
    assert bomb.headers["Content-Security-Policy"].startswith("sandbox")
    page = s.get(served.url + served.archived["blanks"] + "?raw=1", timeout=30)
    assert page.status_code == 200 and page.headers.get("Transfer-Encoding") == "chunked"  # streamed by waitress
    assert len(page.content) == 4 * 1024 * 1024 + 37 and b"archived-marker" in page.content[:100]
    cut = s.get(served.url + served.archived["cut"], timeout=30)
    assert cut.status_code == 200 and "missing" in cut.text and "<iframe" in cut.text
    raw = s.get(served.url + served.archived["cut"] + "?raw=1", timeout=30)
    assert raw.status_code == 200 and b"archived-marker" in raw.content


def test_cookies_and_headers(served: Served) -> None:
    s = logged_in(served, "city")
    cookies = {c.name: c for c in s.cookies}
    assert cookies["sessionid"].has_nonstandard_attr("HttpOnly") and cookies["csrftoken"].has_nonstandard_attr(
        "HttpOnly"
    )
    assert cookies["sessionid"].expires is None  # ends with the browser
    page = s.get(served.url + "campaigns/", timeout=10)
    assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_repeated_failed_logins_lock_the_account_out(served: Served) -> None:
    s = requests.Session()
    for attempt in range(1, 6):  # the fifth failure (AXES_FAILURE_LIMIT) locks
        token = csrf(s, served, "accounts/login/")
        failed = s.post(served.url + "accounts/login/", data={"username": "inspector", "password": "wrong",
                        "csrfmiddlewaretoken": token}, timeout=10, allow_redirects=False)  # fmt: skip
        assert failed.status_code == (429 if attempt == 5 else 200), attempt
    token = csrf(s, served, "accounts/login/")
    locked = s.post(served.url + "accounts/login/", data={"username": "inspector", "password": PASSWORD,
                    "csrfmiddlewaretoken": token}, timeout=10, allow_redirects=False)  # fmt: skip
    assert locked.status_code == 429 and "暂被锁定" in locked.text  # the pages speak Chinese by default
    assert logged_in(served, "operator")  # another person is not locked out


def upload(served: Served, session: requests.Session, name: str, data: bytes) -> requests.Response:
    token = csrf(session, served, "sites/")
    return session.post(served.url + "sites/import/", files={"file": (name, data)},
                        data={"csrfmiddlewaretoken": token}, timeout=30)  # fmt: skip


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


ROW = ["3904210077", "=HYPERLINK(\"http://evil.example/\",\"x\")", "http://www.mouxian.gov.cn/", "某县政府办",
       "某县人民政府", "390400", "", "县级政府门户", "门户网站", "运行", "", "", "=cmd|' /C calc'!A0", "", ""]  # fmt: skip


def test_hostile_uploads_get_messages_and_exports_carry_no_formula(served: Served) -> None:
    admin = logged_in(served, "admin")
    metadata = [*ROW[:2], "http://100.100.100.200/", *ROW[3:]]
    refused = upload(served, admin, "guard.csv", _csv([HEADER, metadata]))
    assert refused.status_code == 400 and "100.64.0.0/10" in refused.text
    long_field = upload(served, admin, "long.csv", _csv([HEADER, [*ROW[:11], "x" * 140_000, *ROW[12:]]]))
    assert long_field.status_code == 400 and "131072" in long_field.text
    assert upload(served, admin, "broken.xlsx", b"PK\x03\x04 broken").status_code == 400
    assert upload(served, admin, "ok.csv", _csv([HEADER, ROW])).status_code == 200
    sheet = load_workbook(io.BytesIO(admin.get(served.url + "sites/export.xlsx", timeout=30).content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "'" + ROW[1] for c in cells) and any(c.value == "'" + ROW[12] for c in cells)
    exported = admin.get(served.url + "sites/export.csv", timeout=30).content.decode("utf-8-sig")
    assert not [cell for row in csv.reader(io.StringIO(exported)) for cell in row if cell.startswith("=")]
    name = admin.post(served.url + "campaigns/", timeout=30, data={"name": "长" * 5000, "kind": "census",
                      "region": "390400", "csrfmiddlewaretoken": csrf(admin, served, "campaigns/")})  # fmt: skip
    assert name.status_code == 200 and "200" in name.text


def _checker(operation: Any, base_url: str, name: str, key: str, failures: list[str]) -> Any:
    from hypothesis import HealthCheck, given, settings

    headers = {"Authorization": f"Token {key}"} if key else {}

    @given(case=operation.as_strategy())
    @settings(max_examples=4, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        if response.status_code >= 500:
            failures.append(f"{name} {case.method} {case.formatted_path}: {response.status_code}")

    return check


def test_the_api_answers_every_generated_request_without_a_server_error(served: Served) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_url(served.url + "api/schema/?format=json")
    failures: list[str] = []
    for name, key in [("anonymous", ""), *sorted(served.tokens.items())]:
        for result in schema.get_all_operations():
            _checker(result.ok(), served.url.rstrip("/"), name, key, failures)()
    assert not failures, failures
