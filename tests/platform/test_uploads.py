"""Registry uploads are hostile input: refused homepages, bounded parsing, row/column messages."""

from __future__ import annotations

import pytest
from django.test import override_settings

from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.tabular import ImportRejected, import_file
from tests.platform.test_registry import GOOD, HEADER, with_province, xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["http://100.100.100.200/", "http://10.0.0.5/", "http://[::ffff:127.0.0.1]/", "http://localhost/",
     "http://intranet.local/", "http://169.254.169.254/latest/"],
)  # fmt: skip
def test_a_homepage_the_scanner_would_refuse_is_refused_at_import(url: str) -> None:
    with_province()
    bad = list(GOOD)
    bad[HEADER.index("首页地址")] = url
    with pytest.raises(ImportRejected) as caught:
        import_file("bad.xlsx", xlsx([HEADER, bad]))
    assert any(e.row == 2 and e.column == "首页地址" and "扫描" in e.message for e in caught.value.errors), caught.value
    assert Site.objects.count() == 0


def test_private_homepages_are_accepted_when_the_platform_scans_private_addresses() -> None:
    with_province()
    private = list(GOOD)
    private[HEADER.index("首页地址")] = "http://10.0.0.5/"
    with override_settings(EXECUTOR_ENGINE={"allow_private": True}):
        assert import_file("intranet.xlsx", xlsx([HEADER, private])).created == ["3700000046"]
    assert Region.objects.count() == 2
