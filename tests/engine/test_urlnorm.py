"""URL normalisation: one spelling per resource; never crashes; idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsite.engine.urlnorm import _normalise, normalise


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("HTTP://WWW.Huachuan.GOV.cn:80/a/../b/./c.html#x", None, "http://www.huachuan.gov.cn/b/c.html"),
        ("./202605/t1.html", "http://x.gov.cn/zwyw/index.html", "http://x.gov.cn/zwyw/202605/t1.html"),
        ("../index.html", "http://x.gov.cn/a/b/c.html", "http://x.gov.cn/a/index.html"),
        ("http://x.gov.cn", None, "http://x.gov.cn/"),
        ("https://x.gov.cn:443/", None, "https://x.gov.cn/"),
        ("http://x.gov.cn:8080/", None, "http://x.gov.cn:8080/"),
        ("/搜索?q=政府", "http://x.gov.cn/", "http://x.gov.cn/%E6%90%9C%E7%B4%A2?q=%E6%94%BF%E5%BA%9C"),
        ("/a%2fb%zz", "http://x.gov.cn/", "http://x.gov.cn/a%2Fb%25zz"),
        ("http://政府.政务/", None, "http://xn--mxtq1m.xn--zfr164b/"),
        ("javascript:void(0)", "http://x.gov.cn/", None),
        ("mailto:a@x.gov.cn", "http://x.gov.cn/", None),
        ("#top", None, None),
        ("http://[::1", None, None),
        ("", "http://x.gov.cn/", None),
    ],
)
def test_examples(href: str, base: str | None, expected: str | None) -> None:
    assert normalise(href, base) == expected


URLS = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}/{path}" + (f"?{query}" if query else ""),
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[a-zA-Z0-9-]{1,12}(\.[a-zA-Z0-9-]{1,12}){1,3}", fullmatch=True),
    st.text(max_size=40),
    st.text(max_size=20),
)


@given(URLS)
def test_idempotent_on_urls(url: str) -> None:
    once = normalise(url)
    if once is not None:
        assert normalise(once) == once


@given(st.text(max_size=80), st.sampled_from([None, "http://x.gov.cn/a/b.html"]))
def test_never_crashes_on_anything(href: str, base: str | None) -> None:
    once = normalise(href, base)
    if once is not None:
        assert once.startswith(("http://", "https://"))
        assert normalise(once) == once


PREFIXES = ["/", "//", "http://", "https://", "HTTP://", "\\", "//[", "http:///", "http:", "?", "#", "../", "./",
            " /", "\t/", "/\t/", "http://@", "//:80"]  # fmt: skip
#: Hrefs whose answer depends on more or less of the base: absolute, scheme-relative,
#: from the root, relative, with the odd spellings ``urljoin`` treats apart.
HREFS = st.one_of(
    st.text(max_size=30),
    st.builds(
        str.__add__,
        st.sampled_from(PREFIXES),
        st.text(max_size=20),
    ),
)
BASES = st.sampled_from([None, "", "http://x.gov.cn/a/b.html", "https://x.gov.cn/a/b.html?q=1", "http://x.gov.cn",
                         "http://y.gov.cn:8080/c/", "https://X.gov.cn/a;p?q#f", "mailto:a@x", "http://[::1", "ftp://x/a"])  # fmt: skip


@given(st.lists(st.tuples(HREFS, BASES), max_size=30))
def test_remembered_answers_are_the_answers(asks: list[tuple[str, str | None]]) -> None:
    """An answer remembered for one base is given for another only where it is the same."""
    for href, base in asks:
        assert normalise(href, base) == _normalise(href, base)
