"""Shared helpers of the browser tests."""

from urllib.parse import urlparse

PHONE = {"width": 390, "height": 844}


def new_page(browser, live_server, **options):
    """A page in a fresh zh-CN phone-sized context whose requests never leave
    the test server; returns (context, page, problems) where problems
    collects script errors and error responses from our own server."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE, **options)
    own = urlparse(live_server.url).netloc

    def only_local(route):
        if urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda r: r.status >= 400 and urlparse(r.url).netloc == own
            and problems.append(f"{r.status} {r.url}"))
    return context, page, problems
