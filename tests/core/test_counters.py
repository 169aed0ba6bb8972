"""Counters in the shared cache (``core.cache.count_up``): rate-limit windows
and page-cache version numbers, each bumped in one round trip on Redis.

The suite runs these against the configured cache: local memory on SQLite
runs, Redis when ``REDIS_URL`` is set (the PostgreSQL run)."""

import pytest
from django.core.cache import cache

from civichall.core.cache import count_up


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def _expiry_of(key):
    """Seconds until ``key`` expires in the configured cache (None: never)."""
    full_key = cache.make_and_validate_key(key)
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):  # Redis
        ttl = cache._cache.get_client(write=True).ttl(full_key)
        return None if ttl == -1 else ttl
    import time

    expires = cache._expire_info[full_key]
    return None if expires is None else expires - time.time()


def test_a_new_counter_starts_after_its_start_and_counts_on():
    assert count_up(cache, [("visits", 0, 60), ("version", 1_000, None)]) == [1, 1_001]
    assert count_up(cache, [("visits", 0, 60), ("version", 1_000, None)]) == [2, 1_002]
    assert count_up(cache, [("version", 5, None)]) == [1_003]  # a counter that is there keeps its count
    assert cache.get("visits") == 2 and cache.get("version") == 1_003


def test_a_counter_keeps_the_timeout_of_its_start():
    count_up(cache, [("window", 0, 61), ("forever", 0, None)])
    count_up(cache, [("window", 0, 61)])  # counting on does not extend the window
    assert 0 < _expiry_of("window") <= 61
    assert _expiry_of("forever") is None


def test_counters_in_one_call_are_independent():
    cache.set("b", 41, None)
    assert count_up(cache, [("a", 0, 60), ("b", 0, 60), ("c", 7, 60)]) == [1, 42, 8]


def test_with_the_cache_unreachable_nothing_is_counted(redis_down):
    from django.core.cache import caches

    assert count_up(caches["default"], [("a", 0, 60)]) is None


def test_count_within_stops_at_the_first_refusal_and_takes_back_what_it_counted():
    from civichall.core.cache import count_within

    limits = [("addr", 3, 60), ("mobile", 1, 60)]
    assert count_within(cache, limits) == -1
    assert cache.get("addr") == 1 and cache.get("mobile") == 1
    assert count_within(cache, limits) == 1  # the number's minute is used: refused there
    assert cache.get("addr") == 1 and cache.get("mobile") == 1  # ... and nothing kept
    cache.set("addr", 3, 60)  # the address's quota is used up
    assert count_within(cache, [("addr", 3, 60), ("victim", 1, 60)]) == 0
    assert cache.get("addr") == 3
    assert cache.get("victim") is None  # never touched: a refusal stops before it


def test_count_within_with_the_cache_unreachable_says_so(redis_down):
    from django.core.cache import caches

    from civichall.core.cache import count_within

    assert count_within(caches["default"], [("a", 1, 60)]) is None
