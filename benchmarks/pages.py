"""How long the pages that list a whole campaign take at the size of a province's census:
campaign detail (and the progress it polls every 2 s while a campaign runs), the
registry's mismatches page and the dashboards overview, for a campaign of N sites.

A throwaway database (a SQLite file in a temporary folder, migrated) gets the sample
province and N generated registry sites copied from it (each its own code; homepages,
regions, levels and kinds cycling through the 37 sample sites, so about one in twelve is
a portal and the mismatches page has thousands of rows). The 37 sample sites are scanned
once over real HTTP against the fleet; a census of the whole province is drawn and each
generated site stores the scan of its homepage by the executor's own steps (``claim``,
``save_result``, ``mark_failed``), as a real run would. Each page is then asked by an
administrator through Django's test client: one warm-up, then ``--repeat`` times; the
median wall-clock and CPU time of this process and the page's size are printed.

    .venv/bin/python benchmarks/pages.py [--sites 5000] [--repeat 3] [--scans DIR]

The script uses only names that exist before and after the change it measures, so it can
time an older checkout too: ``PYTHONPATH=<old>/src .venv/bin/python benchmarks/pages.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=5000, help="generated registry sites (at most 8,999)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", type=Path, help="write each page's body into this folder")
    parser.add_argument("--scans", type=Path, help="keep the sample region's scan in this folder, for the next run")
    args = parser.parse_args()
    if not 0 < args.sites < 9000:
        parser.error("--sites must be between 1 and 8,999")
    with tempfile.TemporaryDirectory(prefix="govsite-pages-") as folder:
        os.environ.update({"GOVSITE_DATA_DIR": folder, "GOVSITE_DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
                           "GOVSITE_DEBUG": "0", "GOVSITE_SECRET_KEY": "benchmark-only-secret-key-not-for-production",
                           "DJANGO_SETTINGS_MODULE": "govsite.platform.settings"})  # fmt: skip
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        campaign = build(args.scans or Path(folder) / "region", args.sites)
        rows = measure(campaign, args.repeat, args.save)
    import govsite

    print(f"{args.sites} generated sites, code from {Path(govsite.__file__).parent}")
    print("| page | bytes | wall ms (median) | CPU ms (median) |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def build(scans: Path, count: int) -> object:
    from django.contrib.auth.models import User
    from django.db import transaction

    from govsite.platform.accounts.models import Membership, Role
    from govsite.platform.campaigns.executor import finish_if_done, mark_campaign_running, save_result

    try:
        from govsite.platform.campaigns.claims import claim, mark_failed
    except ImportError:  # an older checkout: they were the executor's
        from govsite.platform.campaigns.executor import claim, mark_failed  # type: ignore[attr-defined,no-redef]
    from govsite.platform.campaigns.sampling import create_campaign
    from govsite.platform.registry.models import Region, Site
    from govsite.platform.registry.samples import load_sample_province
    from govsite.samples.generate import build_world
    from govsite.samples.testing import TEST_AS_OF, TEST_NOW, TEST_SEED

    started = time.perf_counter()
    world = build_world(TEST_SEED, TEST_AS_OF)
    load_sample_province(world)
    by_url = scan_region(world, scans)
    down = sum(1 for r, _w in by_url.values() if isinstance(r, str) or r.verdict == "待核查")
    print(f"the sample region: {len(by_url)} sites scanned, {down} failed or undecided", file=sys.stderr)
    samples = list(Site.objects.order_by("code"))
    copies = []
    for i in range(count):
        base = samples[i % len(samples)]
        copies.append(Site(code=f"{base.code[:6]}{1000 + i:04d}", name=f"{base.name}（{i}）", url=base.url,
                           organizer=base.organizer, supervisor=base.supervisor, region=base.region,
                           level=base.level, kind=base.kind, status=base.status))  # fmt: skip
    Site.objects.bulk_create(copies, batch_size=500)
    admin = User.objects.create_user("admin")
    Membership.objects.create(user=admin, role=Role.ADMIN)
    campaign = create_campaign(name="华川省普查（生成）", kind="census", region=Region.objects.get(code="390000"),
                               as_of=TEST_NOW, seed=1)  # fmt: skip
    mark_campaign_running(campaign)
    with transaction.atomic():
        for entry in campaign.sites.select_related("site"):
            result, warc = by_url[entry.site.url]
            assert claim(entry, timedelta(0))
            if isinstance(result, str):
                mark_failed(entry, result)
            else:
                save_result(entry, result, warc)
    finish_if_done(campaign)
    took = time.perf_counter() - started
    print(f"built {campaign.sites.count()} campaign sites in {took:.0f} s", file=sys.stderr)
    return campaign


def scan_region(world: Any, folder: Path) -> dict[str, tuple[Any, Path]]:
    """Each sample site's scan result (or the reason its scan failed) and WARC file, by
    homepage URL: scanned over real HTTP against the fleet with the fleet's fast settings
    but the real 15 s homepage rule (a busy machine must not turn pages into timeouts),
    kept in ``folder`` for the next run."""
    from govsite.engine import EngineConfig, scan
    from govsite.samples.server import FleetOptions, FleetServer
    from govsite.samples.testing import FAST, TEST_NOW

    store = folder / "pages-region.pickle"
    if store.exists():
        return pickle.loads(store.read_bytes())  # type: ignore[no-any-return]
    folder.mkdir(parents=True, exist_ok=True)
    fleet = FleetServer(world, 0, FleetOptions(slow_seconds=20)).start_in_thread()
    config = EngineConfig(proxy=fleet.proxy, as_of=TEST_NOW, **{**FAST, "homepage_timeout": 15})  # type: ignore[arg-type]

    async def all_sites() -> dict[str, tuple[Any, Path]]:
        gate = asyncio.Semaphore(4)

        async def one(site: Any) -> tuple[str, tuple[Any, Path]]:
            warc = folder / f"{site.host}.warc.gz"
            async with gate:
                try:
                    return site.url, (
                        await scan(site.url, config, kind=site.kind, site_code=site.code, warc=warc),
                        warc,
                    )
                except Exception as exc:  # kept as the executor keeps it
                    return site.url, (f"{type(exc).__name__}: {exc}", warc)

        return dict(await asyncio.gather(*(one(s) for s in world.sites.values())))

    try:
        found = asyncio.run(all_sites())
    finally:
        fleet.stop_thread()
    store.write_bytes(pickle.dumps(found))
    return found


def measure(campaign: object, repeat: int, save: Path | None) -> list[list[str]]:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="admin"))
    pk = campaign.pk  # type: ignore[attr-defined]
    pages = [
        ("campaign detail", f"/campaigns/{pk}/"),
        ("campaign progress (polled)", f"/campaigns/{pk}/progress.json"),
        ("registry mismatches", "/sites/mismatches/"),
        ("dashboards overview", f"/dashboard/?campaign={pk}"),
    ]
    rows = []
    for name, url in pages:
        body = client.get(url).content  # warm-up: templates, caches
        size = len(body)
        if save:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{name.split(' (')[0].replace(' ', '-')}.html").write_bytes(body)
        walls, cpus = [], []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, (url, response.status_code)
        rows.append([name, f"{size:,}", f"{1000 * statistics.median(walls):,.0f}",
                     f"{1000 * statistics.median(cpus):,.0f}"])  # fmt: skip
    return rows


if __name__ == "__main__":
    main()
