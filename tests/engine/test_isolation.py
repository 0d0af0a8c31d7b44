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


def test_platform_and_cli_use_only_the_engines_public_face() -> None:
    """``govsite.engine.__all__`` is the boundary: no module behind it is imported from outside."""
    public = set(govsite.engine.__all__)
    outside = ENGINE.parent
    seen = 0
    for path in [*(outside / "platform").rglob("*.py"), *(outside / "cli").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("govsite.engine")]
                assert not names, (path, node.lineno, names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("govsite.engine"):
                assert node.module == "govsite.engine", (path, node.lineno, node.module)
                hidden = [a.name for a in node.names if a.name not in public]
                assert not hidden, (path, node.lineno, hidden)
                seen += 1
    assert seen > 10  # the walk found the platform's and the command line's imports
