"""Parsing hostile and huge pages: libxml2 (lxml, the engine's parser until issue 17)
against lexbor (selectolax, through ``engine/dom.py``), and the engine's whole page
parse (``engine/html.py``: tree, regions, links, footer identifiers) on each page.

Pages, all generated here: malformed nesting 300 / 5,000 / 50,000 deep (unclosed
``<div><span><font>``) with a complete footer after it; a footer after ``</html>``; a
homepage of 100,000 links. Each measurement runs in its own process, so the peak
memory (the kernel's ``ru_maxrss`` of that child) is its own.

    .venv/bin/python benchmarks/parse.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

FOOTER = (
    '<div class="footer">网站标识码：3700000046 鲁ICP备05000000号 鲁公网安备 37010202000001号'
    ' <a href="https://bszs.conac.cn/sitename?method=show&id=1">党政机关</a>'
    ' <script id="_jiucuo_" sitecode="3700000046" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script></div>'
)


def page(name: str) -> str:
    if name.startswith("nested-"):
        depth = int(name.split("-")[1])
        return "<html><body>" + "<div><span><font>" * depth + "正文" + FOOTER + "</body></html>"
    if name == "after-html":
        return "<html><body><p>正文</p></body></html>\n" + FOOTER
    if name == "links-100000":
        rows = "".join(
            f'<li><a href="/art/2026/5/{i % 28 + 1}/art_{i}.html">第{i}条信息标题</a><span>2026-05-{i % 28 + 1:02d}</span></li>'
            for i in range(100_000)
        )
        return f"<html><head><title>首页</title></head><body><ul>{rows}</ul>{FOOTER}</body></html>"
    raise ValueError(name)


def measure(parser: str, name: str) -> dict[str, object]:
    """Run in a child process: parse one page, report seconds, peak MB and what survived."""
    text = page(name)
    started = time.perf_counter()
    if parser == "lxml":
        import lxml.html

        root = lxml.html.document_fromstring(text)
        found = "3700000046" in root.text_content()
        links = len(root.xpath("//a[@href]"))
    elif parser == "lexbor":
        from govsite.engine.dom import document

        root = document(text)
        found = "3700000046" in root.text_content()
        links = len(root.xpath("//a[@href]"))
    else:  # the engine's whole page parse
        from govsite.engine.html import parse

        parsed = parse(text, "http://www.example.gov.cn/")
        found = parsed.identity.get("site_code") == "present"
        links = len(parsed.links)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "footer": found, "links": links}


def main() -> None:
    if len(sys.argv) == 3:
        print(json.dumps(measure(sys.argv[1], sys.argv[2])))
        return
    pages = ["nested-300", "nested-5000", "nested-50000", "after-html", "links-100000"]
    print(f"{'page':<14} {'parser':<12} {'seconds':>8} {'peak MB':>8} {'footer kept':>11} {'links':>7}")
    for name in pages:
        for parser in ("lxml", "lexbor", "engine"):
            out = subprocess.run(
                [sys.executable, __file__, parser, name], capture_output=True, text=True, timeout=600, check=True
            )
            r = json.loads(out.stdout)
            print(
                f"{name:<14} {parser:<12} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} {('yes' if r['footer'] else 'NO'):>11} {r['links']:>7}"
            )


if __name__ == "__main__":
    main()
