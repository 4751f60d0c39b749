"""The shared pager: previous and next links, with the filters kept when given."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def test_the_middle_page_links_both_ways_and_keeps_the_query() -> None:
    page = Paginator(range(50), 10).page(3)

    html = render_to_string("backoffice/_pager.html", {"page": page, "query": "from=2026-11-01"})

    assert 'href="?from=2026-11-01&amp;page=2"' in html
    assert 'href="?from=2026-11-01&amp;page=4"' in html
    assert "Trang 3/5" in html


def test_without_a_query_or_other_pages() -> None:
    first = Paginator(range(50), 10).page(1)
    html = render_to_string("backoffice/_pager.html", {"page": first})
    assert 'href="?page=2"' in html
    assert "Trang trước" not in html
    assert (
        render_to_string(
            "backoffice/_pager.html", {"page": Paginator(range(5), 10).page(1)}
        ).strip()
        == ""
    )
