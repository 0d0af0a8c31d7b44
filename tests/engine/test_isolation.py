"""The engine is a plain library: no Django, no module-level clients or loops."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import govsite.engine

ENGINE = Path(govsite.engine.__file__).parent


def test_no_module_of_the_engine_imports_django() -> None:
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "django" or n.startswith("django.") for n in names), path


def test_importing_the_engine_loads_no_django_and_starts_nothing() -> None:
    code = (
        "import sys, threading, asyncio, govsite.engine, govsite.engine.crawl;"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django';"
        "assert threading.active_count() == 1, threading.enumerate();"
        "print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_no_module_level_sessions_or_loops() -> None:
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
                text = ast.unparse(node.value)
                assert "ClientSession" not in text and "get_event_loop" not in text and "new_event_loop" not in text, (
                    path,
                    text,
                )
