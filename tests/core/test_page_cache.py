"""The page cache middleware: who gets cached pages, what is kept, and purges."""

import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from civichall.core import page_cache
from civichall.core.page_cache import PageCacheMiddleware, mark_public, purge_all, purge_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the purges as the commit would (tests run inside a transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


class View:
    """A public page that counts its renders and can set a cookie."""

    def __init__(self, body="<p>地铁恢复运营</p>", public=True, cookie=False, status=200):
        self.body, self.public, self.cookie, self.status = body, public, cookie, status
        self.renders = 0

    def __call__(self, request):
        self.renders += 1
        response = HttpResponse(f"{self.body}#{self.renders}", status=self.status)
        response["Content-Language"] = "zh-hans"
        response["X-Frame-Options"] = "DENY"
        if self.cookie:
            response.set_cookie("csrftoken", "secret")
        return mark_public(response) if self.public else response


rf = RequestFactory()


def get(middleware, path="/news/metro/", **extra):
    return middleware(rf.get(path, **extra))


def test_anonymous_readers_share_one_render():
    view = View()
    mw = PageCacheMiddleware(view)
    first, second = get(mw), get(mw)
    assert view.renders == 1
    assert first.content == second.content
    assert second["X-Page-Cache"] == "hit"
    assert "s-maxage=" in second["Cache-Control"] and "public" in second["Cache-Control"]
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]
    # What the page's own middleware added is served with it again.
    assert second["Content-Language"] == "zh-hans" and second["X-Frame-Options"] == "DENY"
    assert "Accept-Language" in second["Vary"] and "Cookie" in second["Vary"]


def test_a_known_etag_gets_304_without_a_body():
    mw = PageCacheMiddleware(View())
    etag = get(mw)["ETag"]
    response = get(mw, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""


def test_language_and_elder_mode_are_separate_pages_and_nothing_else_is():
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)
    get(mw, HTTP_ACCEPT_LANGUAGE="en")
    get(mw, HTTP_COOKIE="civichall_elder=1")
    assert view.renders == 3
    get(mw, HTTP_COOKIE="civichall_elder=1; csrftoken=abc; other=1")  # other cookies: same page
    get(mw, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert view.renders == 3


@pytest.mark.parametrize("extra", [
    {"HTTP_COOKIE": "sessionid=abc"},  # signed in (or about to be): rendered for them
    {"HTTP_COOKIE": "messages=abc"},  # a message waiting for this reader
])
def test_personal_requests_are_never_served_from_or_into_the_cache(extra):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw, **extra)
    get(mw, **extra)
    assert view.renders == 2
    get(mw)  # an anonymous reader afterwards: nothing was kept from them
    assert view.renders == 3


@pytest.mark.parametrize("path", ["/news/metro/?page=2", "/admin/pages/", "/api/v1/articles", "/citizen/"])
def test_query_strings_and_private_areas_pass_by(path):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw, path)
    get(mw, path)
    assert view.renders == 2


def test_posts_pass_by():
    view = View()
    mw = PageCacheMiddleware(view)
    mw(rf.post("/news/metro/"))
    mw(rf.post("/news/metro/"))
    assert view.renders == 2


@pytest.mark.parametrize("view", [View(public=False), View(cookie=True), View(status=404)],
                         ids=["not marked public", "sets a cookie", "not found"])
def test_only_public_pages_without_cookies_are_kept(view):
    mw = PageCacheMiddleware(view)
    get(mw)
    get(mw)
    assert view.renders == 2


def test_a_purged_path_is_rendered_again_in_every_language(committed):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)
    get(mw, HTTP_ACCEPT_LANGUAGE="en")
    with committed():
        purge_paths(["/news/metro/"])
    get(mw)
    get(mw, HTTP_ACCEPT_LANGUAGE="en")
    assert view.renders == 4


def test_purging_one_path_keeps_the_others(committed):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw, "/a/")
    get(mw, "/b/")
    with committed():
        purge_paths(["/a/"])
    get(mw, "/b/")
    assert view.renders == 2


def test_purge_all_renders_everything_again(committed):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw, "/a/")
    get(mw, "/b/")
    with committed():
        purge_all()
    get(mw, "/a/")
    get(mw, "/b/")
    assert view.renders == 4


def test_a_render_that_began_before_a_purge_is_not_kept():
    # The change commits while the page is rendering: what the render read
    # may be the old state, so it must not be stored for the next reader.
    class SlowView(View):
        def __call__(self, request):
            response = super().__call__(request)
            if self.renders == 1:
                time.sleep(0.01)
                page_cache._purge_now(["/news/metro/"])
            return response

    view = SlowView()
    mw = PageCacheMiddleware(view)
    get(mw)
    get(mw)
    assert view.renders == 2


def test_a_page_rendered_before_the_commit_is_purged_again_by_it(django_capture_on_commit_callbacks):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge_paths(["/news/metro/"])  # inside the writer's transaction
    get(mw)  # the writer (or a reader) renders before the commit ...
    get(mw)
    assert view.renders == 2
    for callback in callbacks:  # ... and the commit purges that render too
        callback()
    get(mw)
    assert view.renders == 3


def test_switched_off_nothing_is_cached(settings):
    settings.CIVICHALL_PAGE_CACHE = False
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)
    get(mw)
    assert view.renders == 2


def test_each_host_has_its_own_page_and_a_purge_reaches_all(committed, settings):
    settings.ALLOWED_HOSTS = ["www.example.org", "example.org"]
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw, HTTP_HOST="www.example.org")
    get(mw, HTTP_HOST="example.org")
    assert view.renders == 2
    with committed():
        purge_paths(["/news/metro/"])
    get(mw, HTTP_HOST="www.example.org")
    get(mw, HTTP_HOST="example.org")
    assert view.renders == 4


def test_an_unknown_host_is_not_cached(settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw, HTTP_HOST="evil.example.com")
    get(mw, HTTP_HOST="evil.example.com")
    assert view.renders == 2


def test_a_lost_version_number_is_never_mistaken_for_the_old_one(committed):
    view = View()
    mw = PageCacheMiddleware(view)
    with committed():
        purge_paths(["/news/metro/"])  # the path has a version now
    get(mw)
    cache.delete(page_cache._version_key("/news/metro/"))  # evicted
    get(mw)  # rendered again: the stamp no longer matches
    with committed():
        purge_paths(["/news/metro/"])  # a fresh number, not 1 again
    get(mw)
    assert view.renders == 3


# --- each process's own copies ------------------------------------------------------------


@pytest.fixture
def fresh_process_pages(monkeypatch):
    """This "process" starts with no pages of its own."""
    monkeypatch.setattr(page_cache, "_process_pages", page_cache._ProcessPages())
    return page_cache._process_pages


def test_a_hit_asks_the_shared_cache_for_the_versions_only(fresh_process_pages, monkeypatch):
    view = View(body="<p>" + "地铁恢复运营" * 2000 + "</p>")
    mw = PageCacheMiddleware(view)
    get(mw)
    asked = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: asked.append(key) or real_get(key, *a, **k))
    second = get(mw)
    assert second["X-Page-Cache"] == "hit" and view.renders == 1
    # The version numbers only: the page came from this process's memory.
    assert set(asked) <= {page_cache.GENERATION_KEY, page_cache._version_key("/news/metro/")}


def test_another_process_purge_reaches_a_page_this_process_keeps(fresh_process_pages):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)
    # Another web process purges: only the shared version number moves.
    page_cache._move_on(page_cache._version_key("/news/metro/"))
    assert b"#2" in get(mw).content
    page_cache._move_on(page_cache.GENERATION_KEY)  # another process purges everything
    assert b"#3" in get(mw).content


def test_a_restarted_shared_cache_never_revives_a_page_kept_here(fresh_process_pages):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)  # kept here and in the shared cache
    cache.clear()  # the shared cache restarts: every version number is gone
    assert b"#2" in get(mw).content  # new numbers: the page here is not served


def test_a_page_kept_when_its_version_was_missing_is_not_served_after_purge_and_eviction(
        fresh_process_pages, committed):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)  # the path had no version number yet
    with committed():
        purge_paths(["/news/metro/"])
    cache.delete(page_cache._version_key("/news/metro/"))  # and the number is evicted
    assert b"#2" in get(mw).content


def test_the_shared_cache_down_serves_nothing_kept_here(fresh_process_pages, monkeypatch):
    view = View()
    mw = PageCacheMiddleware(view)
    get(mw)
    monkeypatch.setattr(cache, "get_many", lambda keys, *a, **k: {})  # fails open: answers nothing
    monkeypatch.setattr(cache, "add", lambda *a, **k: False)
    monkeypatch.setattr(cache, "get", lambda *a, **k: None)
    assert b"#2" in get(mw).content


def test_each_process_keeps_only_so_many_megabytes(fresh_process_pages, settings):
    settings.CIVICHALL_PAGE_CACHE_LOCAL_MB = 1
    big = "<p>" + "交" * 40_000 + "</p>"  # ~120 kB of UTF-8
    mw = PageCacheMiddleware(View(body=big))
    for i in range(20):
        get(mw, path=f"/news/{i}/")
    assert fresh_process_pages._bytes <= 1024 * 1024
    assert 0 < len(fresh_process_pages._entries) < 20


def test_a_page_kept_here_is_not_kept_longer_than_the_shared_copy(fresh_process_pages, settings):
    import time_machine

    settings.CIVICHALL_PAGE_CACHE_SECONDS = 600
    get(PageCacheMiddleware(View()))
    [(key, entry)] = fresh_process_pages._entries.items()
    assert fresh_process_pages.get(key, entry["stamp"]) is entry
    # (Redis keeps its own copy by its own clock, so the process's copy is asked directly.)
    with time_machine.travel(time.time() + 601, tick=False):
        assert fresh_process_pages.get(key, entry["stamp"]) is None


class SlowView(View):
    """A public page that takes 0.3 s to render and counts how many of its
    renders ran at the same time."""

    def __init__(self, **kwargs):
        import threading

        super().__init__(**kwargs)
        self._lock, self._active, self.most_at_once = threading.Lock(), 0, 0

    def __call__(self, request):
        with self._lock:
            self._active += 1
            self.most_at_once = max(self.most_at_once, self._active)
        time.sleep(0.3)
        with self._lock:
            self._active -= 1
        return super().__call__(request)


def crowd(middleware, readers=5):
    """``readers`` anonymous readers asking the same page at the same moment."""
    import threading

    answers, start = [], threading.Barrier(readers)

    def reader():
        start.wait()
        answers.append(get(middleware))

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return answers


def test_a_crowd_missing_at_once_waits_for_one_render():
    """Right after a purge many readers miss the same page together: one
    thread renders, the others get its copy."""
    view = SlowView()
    answers = crowd(PageCacheMiddleware(view))
    assert view.renders == 1
    assert len({a.content for a in answers}) == 1 and len(answers) == 5
    assert sorted(a["X-Page-Cache"] for a in answers) == ["hit"] * 4 + ["miss"]


def test_a_page_that_cannot_be_kept_never_queues_its_readers():
    """Waiting readers are woken when the render ends even if it was not kept,
    and then render side by side: no chain of waits."""
    view = SlowView(cookie=True)  # sets a cookie: never kept
    assert len(crowd(PageCacheMiddleware(view))) == 5
    assert view.renders == 5
    assert view.most_at_once >= 2  # the four who waited rendered together, not one after another
