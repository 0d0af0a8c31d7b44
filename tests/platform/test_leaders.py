"""The leaders' names and posts the office keeps: uploaded once in the platform, replaced
whole or not at all, and used by every campaign scan (tests/platform/test_campaigns.py
proves the scan side)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govsite.engine import Leader
from govsite.platform.registry import leaders
from govsite.platform.registry.models import Leader as LeaderRow
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.world import World

from ..factories import PASSWORD, people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def province(sample_world: World) -> None:
    load_sample_province(sample_world)  # the personas' regions


SHEET = "\ufeffname,post,region\n王建国,市长,云江市\n李红梅,县委书记,长宁县\n\n"


def _client(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def _upload(client: Client, text: str | bytes, name: str = "leaders.csv") -> tuple[int, str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    response = client.post("/sites/leaders/", {"file": file})
    return response.status_code, response.content.decode()


def test_an_upload_replaces_the_list_whole_and_a_bad_one_changes_nothing() -> None:
    people("admin", "city", "inspector")
    admin = _client("admin")
    status, page = _upload(admin, SHEET)
    assert status == 200 and "王建国" in page and "李红梅" in page
    assert leaders.current() == (Leader("王建国", "市长", "云江市"), Leader("李红梅", "县委书记", "长宁县"))
    status, page = _upload(admin, "name,post,region\n张三,市长,云江市\n张,副市长,云江市\n")
    assert status == 400 and "row 3" in page and "column name" in page
    assert LeaderRow.objects.count() == 2  # the bad file changed nothing
    status, page = _upload(admin, "姓名,职务\n张三,市长\n")
    assert status == 400 and "row 1" in page
    status, page = _upload(admin, "name,post,region\n张三,市长,云江市\n".encode("gbk"))
    assert status == 400 and "UTF-8" in page and LeaderRow.objects.count() == 2
    status, page = _upload(admin, "name,post,region\n赵六,区长,北溪市\n")
    assert status == 200 and leaders.current() == (Leader("赵六", "区长", "北溪市"),)


def test_only_whole_registry_managers_replace_the_list_and_everyone_signed_in_reads_it() -> None:
    people("admin", "city", "inspector")
    leaders.replace_all("x.csv", SHEET.encode("utf-8"))
    for name in ("city", "inspector"):  # a regional upload would replace every other region's leaders
        client = _client(name)
        assert _upload(client, "name,post,region\n赵六,区长,北溪市\n")[0] == 403
        page = client.get("/sites/leaders/").content.decode()
        assert "王建国" in page and 'type="file"' not in page
    assert LeaderRow.objects.count() == 2
    assert Client().get("/sites/leaders/").status_code == 302  # to the login page
