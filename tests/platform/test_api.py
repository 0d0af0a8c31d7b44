"""The REST API over real HTTP handling (DRF's test client), the real database and a real
campaign run against the sample fleet: who may list, see, create and run what; token
auth; the OpenAPI description (valid, complete, and matching every response seen here);
the results equal to what the campaign stored; the docs page served offline."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern, get_resolver
from django.utils import translation
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from govsite.platform.campaigns.executor import is_running_here
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign as create
from govsite.platform.campaigns.sampling import draw, in_scope
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.review.actions import decide, reviewed_findings
from govsite.samples.server import FleetServer
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import OWN_SITE, people, scanned_campaign
from ..helpers import FAST, TEST_NOW, govsite

pytestmark = pytest.mark.django_db
#: The personas this module calls every endpoint as (the inspector is assigned to the 北溪市 campaign).
NAMES = ("admin", "national", "province", "city", "other_city", "inspector", "stranger", "operator")
EVERYONE = [*NAMES, "nobody", "anonymous"]  # nobody: logged in, with no role


# -- the contract: requests checked against the OpenAPI description ---------------------------


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` spelled as JSON Schema, so jsonschema can check responses;
    and no property the description leaves out."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return {"anyOf": [out, {"type": "null"}]} if node.get("nullable") else out


class Api:
    """A client whose every response must be one the schema declares, shaped as declared."""

    def __init__(self, schema: dict[str, Any], client: APIClient) -> None:
        self.schema, self.client = schema, client
        self.components = _json_schema(schema["components"])

    def call(self, method: str, route: str, data: Any = None, **params: Any) -> Any:
        url = route.format(**params)
        response = getattr(self.client, method)(url, data)
        operation = self.schema["paths"][route][method]
        declared = operation["responses"].get(str(response.status_code))
        assert declared is not None, (method, url, response.status_code, "status not in the schema")
        body = _json_schema(declared["content"]["application/json"]["schema"])
        Draft202012Validator({**body, "components": self.components}).validate(response.json())
        return response

    def get(self, route: str, data: Any = None, **params: Any) -> Any:
        return self.call("get", route, data, **params)

    def post(self, route: str, data: Any = None, **params: Any) -> Any:
        return self.call("post", route, data, **params)


@pytest.fixture
def schema() -> dict[str, Any]:
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return dict(response.json())


@pytest.fixture
def api(schema: dict[str, Any]) -> Iterator[Any]:
    def make(name: str, **kwargs: Any) -> Api:
        client = APIClient(**kwargs)
        if name != "anonymous":
            client.force_login(User.objects.get(username=name))
        return Api(schema, client)

    yield make


# -- the world: the sample province, a person per role, campaigns ------------------------------


@pytest.fixture
def registry(sample_world: World) -> None:
    load_sample_province(sample_world)
    people(*NAMES)
    User.objects.create_user("nobody")


@pytest.fixture
def world(registry: None, sample_scans: Scans) -> tuple[Campaign, Campaign]:
    """北溪市 (390400), scanned, with ``inspector`` assigned; and 390100's census, not run."""
    beixi = scanned_campaign(sample_scans, name="北溪市普查", kind="census", region=Region.objects.get(code="390400"))
    beixi.inspectors.add(User.objects.get(username="inspector"))
    assert not beixi.sites.exclude(state=CampaignSite.State.DONE).exists()
    other = create(name="南城市普查", kind="census", region=Region.objects.get(code="390100"), as_of=TEST_NOW)
    return beixi, other


def codes(prefix: str = "") -> set[str]:
    """Site codes by region, worked out apart from access.py."""
    return set(Site.objects.filter(region__code__startswith=prefix).values_list("code", flat=True))


def listed(api: Api, route: str, data: dict[str, Any] | None = None, key: str = "code", **params: Any) -> list[Any]:
    """Every item of a paginated list, page by page."""
    items: list[Any] = []
    page = 1
    while True:
        body = api.get(route, {**(data or {}), "page": page, "page_size": 10}, **params).json()
        items += [item[key] if key != "site" else item["site"]["code"] for item in body["results"]]
        if body["next"] is None:
            assert body["count"] == len(items)
            return items
        page += 1


# -- who may do what ---------------------------------------------------------------------------


def test_every_role_against_every_endpoint(world: tuple[Campaign, Campaign], api: Any) -> None:
    beixi, other = world
    beixi_sites = set(beixi.sites.values_list("site__code", flat=True))
    sees_sites = {"admin": codes(), "national": codes(), "province": codes("39"), "city": codes("3904"),
                  "other_city": codes("3901"), "inspector": beixi_sites, "stranger": set(),
                  "operator": {OWN_SITE}, "nobody": set()}  # fmt: skip
    sees_campaigns = {"admin": {beixi.pk, other.pk}, "national": {beixi.pk, other.pk},
                      "province": {beixi.pk, other.pk}, "city": {beixi.pk}, "other_city": {other.pk},
                      "inspector": {beixi.pk}, "stranger": set(), "operator": {beixi.pk}, "nobody": set()}  # fmt: skip
    runs = {"admin", "national", "province", "city", "other_city"}
    assert codes("39") == codes() and OWN_SITE in beixi_sites and len(beixi_sites) > 1
    for name in EVERYONE:
        a = api(name)
        if name == "anonymous":
            for route in ("/api/v1/sites/", "/api/v1/sites/{code}/", "/api/v1/campaigns/", "/api/v1/campaigns/{id}/",
                          "/api/v1/campaigns/{id}/results/", "/api/v1/campaigns/{id}/results/{code}/"):  # fmt: skip
                response = a.get(route, id=beixi.pk, code=OWN_SITE)
                assert response.status_code == 401 and response.json()["code"] == "not_authenticated", route
                assert response["WWW-Authenticate"] == "Token"
            assert a.post("/api/v1/campaigns/{id}/run/", id=beixi.pk).status_code == 401
            continue
        assert set(listed(a, "/api/v1/sites/")) == sees_sites[name], name
        assert a.get("/api/v1/sites/{code}/", code=OWN_SITE).status_code == (
            200 if OWN_SITE in sees_sites[name] else 404
        )
        assert set(listed(a, "/api/v1/campaigns/", key="id")) == sees_campaigns[name], name
        sees_beixi = beixi.pk in sees_campaigns[name]
        detail = a.get("/api/v1/campaigns/{id}/", id=beixi.pk)
        assert detail.status_code == (200 if sees_beixi else 404), name
        results = a.get("/api/v1/campaigns/{id}/results/", id=beixi.pk)
        assert results.status_code == (200 if sees_beixi else 404), name
        another = sorted(beixi_sites - {OWN_SITE})[0]
        own = a.get("/api/v1/campaigns/{id}/results/{code}/", id=beixi.pk, code=OWN_SITE)
        theirs = a.get("/api/v1/campaigns/{id}/results/{code}/", id=beixi.pk, code=another)
        assert own.status_code == (200 if sees_beixi else 404), name
        if sees_beixi:
            expected = [OWN_SITE] if name == "operator" else sorted(beixi_sites)
            assert listed(a, "/api/v1/campaigns/{id}/results/", key="site", id=beixi.pk) == expected, name
            assert theirs.status_code == (404 if name == "operator" else 200), name
            assert detail.json()["can_run"] == (name in runs)
            assert detail.json()["can_review"] == (name in ("admin", "national", "province", "city", "inspector"))
        run = a.post("/api/v1/campaigns/{id}/run/", id=beixi.pk)  # every site is done: nothing starts
        assert run.status_code == (404 if not sees_beixi else 409 if name in runs else 403), name
        assert run.json()["code"] == {404: "not_found", 409: "conflict", 403: "permission_denied"}[run.status_code]
    # a missing campaign or site reads exactly like one out of sight
    assert (
        api("city").get("/api/v1/campaigns/{id}/", id=other.pk).json()
        == api("city").get("/api/v1/campaigns/{id}/", id=other.pk + 1000).json()
    )
    assert (
        api("stranger").get("/api/v1/sites/{code}/", code="3901000001").json()
        == api("stranger").get("/api/v1/sites/{code}/", code="9999999999").json()
    )


def test_who_may_create_campaigns_and_where(registry: None, api: Any) -> None:
    own_region = {"admin": "390400", "national": "390100", "province": "390000", "city": "390400",
                  "other_city": "390100", "inspector": "390400", "stranger": "390400", "operator": "390400"}  # fmt: skip
    for name in EVERYONE:
        body = {"name": f"{name} 抽查", "kind": "spot_check", "region": own_region.get(name, "390400"),
                "ratio": "0.5", "seed": 9, "as_of": TEST_NOW.isoformat()}  # fmt: skip
        made = api(name).post("/api/v1/campaigns/", body)
        expected = (
            401 if name == "anonymous" else 403 if name in ("inspector", "stranger", "operator", "nobody") else 201
        )
        assert made.status_code == expected, name
        if expected != 201:
            assert not Campaign.objects.filter(name=body["name"]).exists()
            continue
        shown = made.json()
        stored = Campaign.objects.get(pk=shown["id"])
        region = Region.objects.get(code=body["region"])
        drawn = draw(list(in_scope(region).select_related("region")), Decimal("0.5"), 9)  # the page's draw
        assert (stored.seed, stored.ratio, stored.region, stored.as_of) == (9, Decimal("0.5"), region, TEST_NOW)
        assert {e.site.code for e in stored.sites.select_related("site")} == {s.code for s, _ in drawn}
        assert shown["progress"] == {"total": len(drawn), "finished": 0, "percent": 0, "pending": len(drawn),
                                     "running": 0, "done": 0, "failed": 0}  # fmt: skip
        assert (shown["state"], shown["created_by"], shown["profile"]["name"]) == ("ready", name, "inspection-2019")
    census = api("city").post("/api/v1/campaigns/", {"name": "普查", "kind": "census", "region": "390400"})
    assert (
        census.status_code == 201
        and census.json()["progress"]["total"] == in_scope(Region.objects.get(code="390400")).count()
    )
    outside = api("city").post("/api/v1/campaigns/", {"name": "越权", "kind": "census", "region": "390100"})
    assert outside.status_code == 400 and list(outside.json()["fields"]) == ["region"]
    unknown = api("province").post("/api/v1/campaigns/", {"name": "x", "kind": "census", "region": "990000"})
    assert unknown.json()["fields"] == outside.json()["fields"]  # nothing told about regions out of reach
    bad = api("admin").post("/api/v1/campaigns/", {"name": "", "kind": "self_check", "region": "390400", "ratio": 2})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"name", "kind", "ratio"}
    assert bad.json()["code"] == "invalid"


# -- the registry ------------------------------------------------------------------------------


def test_sites_filter_and_page(registry: None, api: Any) -> None:
    admin = api("admin")
    every = admin.get("/api/v1/sites/").json()
    assert every["count"] == Site.objects.count() and len(every["results"]) == min(50, every["count"])
    page = admin.get("/api/v1/sites/", {"page_size": 5, "page": 2}).json()
    assert [s["code"] for s in page["results"]] == sorted(codes())[5:10] and "page=3" in page["next"]
    assert set(listed(admin, "/api/v1/sites/", {"region": "390400"})) == codes("3904")
    assert set(listed(admin, "/api/v1/sites/", {"region": "390000"})) == codes("39")
    for field in ("level", "kind", "status"):
        value = str(Site.objects.order_by("code").values_list(field, flat=True).last())
        expected = set(Site.objects.filter(**{field: value}).values_list("code", flat=True))
        assert set(listed(admin, "/api/v1/sites/", {field: value})) == expected, field
    county = Site.objects.filter(region__level="county").select_related("region").first()
    assert county is not None
    in_county = listed(admin, "/api/v1/sites/", {"region": county.region.code, "kind": county.kind})
    assert county.code in in_county
    # a filter never widens the scope
    assert listed(api("city"), "/api/v1/sites/", {"region": "390100"}) == []
    wrong = admin.get("/api/v1/sites/", {"level": "city", "region": "999999"})
    assert wrong.status_code == 400 and set(wrong.json()["fields"]) == {"level", "region"}
    site = admin.get("/api/v1/sites/{code}/", code=OWN_SITE).json()
    stored = Site.objects.select_related("region").get(code=OWN_SITE)
    assert site["region"] == {"code": stored.region.code, "name": stored.region.name, "level": stored.region.level}
    assert site["contacts"] == {"head": stored.head, "contact": stored.contact, "phone": stored.phone,
                                "email": stored.email}  # fmt: skip
    assert (site["url"], site["status"], site["level"], site["kind"]) == (
        stored.url, stored.status, stored.level, stored.kind)  # fmt: skip


# -- results -----------------------------------------------------------------------------------


def _as_stored(entry: CampaignSite) -> dict[str, Any]:
    return {"code": entry.site.code, "state": entry.state, "verdict": entry.verdict or None,
            "final_verdict": entry.final_verdict or None, "score": entry.score, "final_score": entry.final_score,
            "error": entry.error, "stratum": entry.stratum}  # fmt: skip


def _as_shown(item: dict[str, Any]) -> dict[str, Any]:
    return {"code": item["site"]["code"], **{k: item[k] for k in ("state", "verdict", "final_verdict", "score",
            "final_score", "error", "stratum")}}  # fmt: skip


def test_results_are_what_the_campaign_stored(world: tuple[Campaign, Campaign], api: Any) -> None:
    beixi, other = world
    a = api("inspector")
    shown = a.get("/api/v1/campaigns/{id}/results/", id=beixi.pk).json()["results"]
    stored = beixi.sites.select_related("site").order_by("site__code")
    assert [_as_shown(i) for i in shown] == [_as_stored(e) for e in stored]
    assert {i["verdict"] for i in shown} <= {"合格", "不合格", "待核查"} and all(i["state"] == "done" for i in shown)
    progress = a.get("/api/v1/campaigns/{id}/", id=beixi.pk).json()["progress"]
    assert progress == {"total": stored.count(), "finished": stored.count(), "percent": 100, "pending": 0,
                        "running": 0, "done": stored.count(), "failed": 0}  # fmt: skip
    entry = beixi.sites.select_related("site", "campaign").get(site__code=OWN_SITE)
    index = next(i for i, f in enumerate(entry.result["findings"]) if f["check"] == "update.column_blank")
    decide(entry, index, "dismissed", User.objects.get(username="inspector"), "栏目已撤销")
    entry.refresh_from_db()
    full = a.get("/api/v1/campaigns/{id}/results/{code}/", id=beixi.pk, code=OWN_SITE).json()
    assert full["scan"] == entry.result and _as_shown(full) == _as_stored(entry)
    assert full["findings"][index]["state"] == "dismissed" and not full["findings"][index]["counted"]
    expected = [
        {"index": r.index, "check": r.finding.check, "subject": r.finding.subject, "url": r.finding.url,
         "severity": r.finding.severity, "message": r.finding.message, "data": dict(r.finding.data),
         "state": r.state, "state_label": r.state_label, "counted": r.counted}
        for r in reviewed_findings(entry)
    ]  # fmt: skip
    assert full["findings"] == expected and full["resolved_checks"] == []
    # a campaign not run yet: its sites are listed, pending, with no verdict and no scan
    pending = api("other_city").get("/api/v1/campaigns/{id}/results/", id=other.pk).json()["results"]
    assert pending and all((i["state"], i["verdict"], i["score"]) == ("pending", None, None) for i in pending)
    first = pending[0]["site"]["code"]
    blank = api("other_city").get("/api/v1/campaigns/{id}/results/{code}/", id=other.pk, code=first).json()
    assert (blank["scan"], blank["findings"]) == (None, [])


@pytest.mark.django_db(transaction=True)  # the run goes on in a thread of its own
def test_a_campaign_created_and_run_through_the_api(
    registry: None, sample_fleet: FleetServer, tmp_path: Path, api: Any
) -> None:
    city = api("city")
    made = city.post("/api/v1/campaigns/", {"name": "北溪市普查", "kind": "census", "region": "390400",
                                            "as_of": TEST_NOW.isoformat()})  # fmt: skip
    assert made.status_code == 201
    pk = made.json()["id"]
    assert api("inspector").post("/api/v1/campaigns/{id}/run/", id=pk).status_code == 404  # not assigned
    engine = {"proxy": sample_fleet.proxy, **FAST}
    with override_settings(DATA_DIR=tmp_path, EXECUTOR_ENGINE=engine):
        started = city.post("/api/v1/campaigns/{id}/run/", id=pk)
        assert started.status_code == 202 and started.json()["id"] == pk
        again = city.post("/api/v1/campaigns/{id}/run/", id=pk)
        assert again.status_code == 409  # running, or already done
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            shown = city.get("/api/v1/campaigns/{id}/", id=pk).json()
            if shown["state"] == "finished" and not is_running_here(Campaign.objects.get(pk=pk)):
                break
            time.sleep(0.2)
        else:
            pytest.fail("the campaign did not finish")
    progress = shown["progress"]
    assert progress["finished"] == progress["total"] == progress["done"] > 1 and progress["percent"] == 100
    stored = Campaign.objects.get(pk=pk).sites.select_related("site").order_by("site__code")
    assert all(e.warc.startswith(str(tmp_path)) for e in stored)
    results = city.get("/api/v1/campaigns/{id}/results/", id=pk).json()["results"]
    assert [_as_shown(i) for i in results] == [_as_stored(e) for e in stored]
    done = city.post("/api/v1/campaigns/{id}/run/", id=pk)
    assert done.status_code == 409 and done.json()["code"] == "conflict"


# -- authentication ----------------------------------------------------------------------------


def test_token_authentication(registry: None, schema: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("drf_create_token", "city", stdout=out)
    key = re.search(r"Generated token (\w+) for user city", out.getvalue())
    assert key is not None
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key.group(1)}")
    a = Api(schema, client)
    assert set(listed(a, "/api/v1/sites/")) == codes("3904")
    # a token request needs no CSRF token; a session one does
    body = {"name": "令牌", "kind": "census", "region": "390400"}
    assert a.post("/api/v1/campaigns/", body).status_code == 201
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(User.objects.get(username="city"))
    assert Api(schema, session).post("/api/v1/campaigns/", body).status_code == 403
    assert Api(schema, session).get("/api/v1/sites/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    refused = a.get("/api/v1/sites/")
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"


@pytest.mark.own_database
def test_govsite_manage_issues_tokens(tmp_path: Path) -> None:
    env = {"GOVSITE_DATA_DIR": str(tmp_path), "GOVSITE_DATABASE_URL": "", "DJANGO_SUPERUSER_PASSWORD": "pw"}
    assert govsite("manage", "migrate", "-v0", **env).returncode == 0
    assert govsite("manage", "createsuperuser", "--noinput", "--username", "zhang", "--email", "z@x.cn", **env).returncode == 0  # fmt: skip
    issued = govsite("manage", "drf_create_token", "zhang", **env)
    assert issued.returncode == 0 and re.search(r"Generated token \w{40} for user zhang", issued.stdout), issued


# -- the description and the docs --------------------------------------------------------------


def test_the_schema_validates_and_lists_every_endpoint(schema: dict[str, Any], tmp_path: Path) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert schema["openapi"].startswith("3.") and set(schema["components"]["securitySchemes"]) == {
        "tokenAuth", "cookieAuth"}  # fmt: skip
    resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")
    routes: dict[str, set[str]] = {}

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLPattern):
                view = getattr(p.callback, "cls", None)  # an API view, not the docs' asset files
                routes[prefix + str(p.pattern)] = {m for m in ("get", "post", "put", "patch", "delete")
                                                   if hasattr(view, m)}  # fmt: skip
            else:
                walk(p.url_patterns, prefix + str(p.pattern))

    walk(resolver.url_patterns, "/api/")  # type: ignore[attr-defined]
    ours = {r: m for r, m in routes.items() if r.startswith("/api/v1/")}
    assert len(ours) == 11
    documented = {re.sub(r"\{[^}]+\}", "{}", path): set(ops) for path, ops in schema["paths"].items()}
    for route, methods in ours.items():
        assert documented.get(re.sub(r"<[^>]+>", "{}", route)) == methods, route
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_the_docs_page_is_served_offline() -> None:
    client = APIClient()
    page = client.get("/api/")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references and all(r.startswith("/") and not r.startswith("//") for r in references), references
    for reference in references:
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        b"".join(asset.streaming_content)
    assert '"/api/schema/"' in html and '"validatorUrl": null' in html
    assert client.get("/api/assets/settings.py").status_code == 404


def test_errors_speak_the_users_language(registry: None, api: Any) -> None:
    """Chinese by default, English for whoever chose it (the pages' language cookie)."""
    city = api("city")
    missing = city.get("/api/v1/campaigns/{id}/", id=424242)
    assert missing.json() == {"detail": "没有这个检查任务，或无权查看。", "code": "not_found"}
    city.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    missing = city.get("/api/v1/campaigns/{id}/", id=424242)
    assert missing.json()["detail"] == "No such campaign, or you may not see it."
    with translation.override("zh-hans"):
        assert all(translation.gettext(m) != m for m in ("You may not run campaigns.", "Some of the input is invalid."))
