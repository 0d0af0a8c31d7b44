"""The platform's translation catalogs, and the two commands that keep them.

Messages in code and templates are English; the Chinese shown by default comes from
``locale/zh_Hans/LC_MESSAGES/django.po`` catalogs: one in this package (LOCALE_PATHS, for
``templates/``) and one in each app that has a ``locale/`` directory. Each ``django.po`` has
its compiled ``django.mo`` committed beside it, so the platform needs no GNU gettext to run.

    python -m govsite.platform.catalogs extract   # refresh the .po files (Django's makemessages; needs GNU gettext)
    python -m govsite.platform.catalogs compile   # write every .mo from its .po (polib; no gettext needed)

``make messages`` runs both. ``extract`` runs makemessages from this package's directory
without Django settings, so each file's messages go to the catalog of the nearest
``locale/`` above it (an app's own, else this package's).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
#: The languages with catalogs (English is the messages themselves).
LANGUAGES = ("zh_Hans",)


def catalogs(root: Path = ROOT) -> list[Path]:
    """Every ``django.po`` under ``root``."""
    return sorted(root.rglob("locale/*/LC_MESSAGES/django.po"))


def extract(root: Path = ROOT, languages: tuple[str, ...] = LANGUAGES) -> None:
    """Refresh the catalogs under ``root`` from its sources with Django's makemessages."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "--add-location=file"]
    command += [f"--locale={language}" for language in languages]
    subprocess.run(command, cwd=root, env=env, check=True)


def compile_catalogs(root: Path = ROOT) -> list[Path]:
    """Write ``django.mo`` beside every ``django.po`` under ``root``; returns the .mo files."""
    import polib

    written = []
    for po in catalogs(root):
        mo = po.with_suffix(".mo")
        polib.pofile(str(po)).save_as_mofile(str(mo))
        written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m govsite.platform.catalogs",
        description="Refresh or compile the platform's translation catalogs.",
    )
    parser.add_argument("command", choices=["extract", "compile"])
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract()
        for po in catalogs():
            print(po.relative_to(ROOT))
    else:
        for mo in compile_catalogs():
            print(mo.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
