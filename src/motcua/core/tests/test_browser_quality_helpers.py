"""The quality-bar helpers used by every browser test really catch what they promise to."""

from typing import Any

import pytest

from motcua.conftest import assert_accessible, assert_page_weight, page_weight

pytestmark = pytest.mark.browser

SITE = "http://motcua.test"
GOOD = (
    '<!doctype html><html lang="vi"><head><title>Trang</title></head><body><main>'
    '<h1>Tra cứu</h1><label for="q">Mã hồ sơ</label><input id="q" name="q"></main></body></html>'
)
UNLABELLED = GOOD.replace('<label for="q">Mã hồ sơ</label>', "")


def serve(page: Any, pages: dict[str, tuple[str, str]]) -> None:
    def handler(route: Any) -> None:
        body, content_type = pages[route.request.url]
        route.fulfill(status=200, body=body, content_type=content_type)

    for url in pages:
        page.route(url, handler)


def test_a_good_page_passes(page) -> None:
    serve(page, {f"{SITE}/": (GOOD, "text/html")})
    page.goto(f"{SITE}/")
    assert_accessible(page)
    assert 0 < assert_page_weight(page) < 1000


def test_an_unlabelled_field_fails_with_a_readable_message(page) -> None:
    serve(page, {f"{SITE}/": (UNLABELLED, "text/html")})
    page.goto(f"{SITE}/")
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "[critical] label" in message
    assert "#q" in message


def test_low_contrast_fails_also_with_javascript_disabled(chromium) -> None:
    grey = GOOD.replace("<h1>", '<h1 style="color:#ccc;background:#fff">')
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        # The sibling page gets exactly this HTML (motcua.test does not resolve), whatever the
        # address holds: a query (as after a search) and a fragment (as after a summary link).
        serve(page, {f"{SITE}/tim?q=a+b": (grey, "text/html")})
        page.goto(f"{SITE}/tim?q=a+b#q")
        with pytest.raises(pytest.fail.Exception, match=r"\[serious\] color-contrast"):
            assert_accessible(page)
    finally:
        context.close()


def test_heavy_pages_and_other_hosts_fail_but_user_files_do_not_count(page) -> None:
    heavy = GOOD.replace("</main>", "<p>" + "x" * 120_000 + "</p></main>")
    serve(page, {f"{SITE}/": (heavy, "text/html")})
    page.goto(f"{SITE}/")
    with pytest.raises(AssertionError, match="over the 100,000 byte limit"):
        assert_page_weight(page)

    with_cdn = GOOD.replace(
        "</head>",
        '<link rel="stylesheet" href="http://cdn.test/x.css">'
        '<img alt="" src="/media/photo.jpg"></head>',
    )
    serve(
        page,
        {
            f"{SITE}/two": (with_cdn, "text/html"),
            "http://cdn.test/x.css": ("p{}", "text/css"),
            f"{SITE}/media/photo.jpg": ("j" * 200_000, "image/jpeg"),
        },
    )
    page.goto(f"{SITE}/two")
    page.wait_for_load_state("load")
    total, foreign = page_weight(page)
    assert foreign == ["http://cdn.test/x.css"]
    assert total < 1000
    with pytest.raises(AssertionError, match="other hosts"):
        assert_page_weight(page)
