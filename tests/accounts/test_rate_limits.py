"""Sign-in code limits: the order of limits (a refused request consumes
nothing) and the client address behind a reverse proxy."""

import pytest
import time_machine

from civichall.accounts.citizens import CODES_PER_HOUR_PER_ADDRESS
from civichall.core.ratelimit import forwarded_client, hit, hit_all

pytestmark = pytest.mark.django_db

WINDOW = "2026-06-01 10:00:05 +08:00"  # inside one minute window and one hour window


def _ask(client, mobile, **extra):
    return client.post("/api/v1/citizen/code", {"mobile": mobile}, content_type="application/json", **extra)


def test_the_address_counted_is_the_one_the_trusted_proxy_saw():
    # One proxy: the hop it appended (rightmost of the header) is the client.
    assert forwarded_client("10.0.0.2", "6.6.6.6, 203.0.113.7", trusted_proxies=1) == "203.0.113.7"
    assert forwarded_client("10.0.0.2", "203.0.113.7", trusted_proxies=1) == "203.0.113.7"
    # Two proxies: skip two from the right.
    assert forwarded_client("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9", trusted_proxies=2) == "203.0.113.7"
    # By address: skip our own proxies however many there are.
    assert forwarded_client("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9",
                            trusted_addresses={"10.0.0.2", "10.0.0.9"}) == "203.0.113.7"
    # No proxy trusted: the header means nothing.
    assert forwarded_client("198.51.100.4", "6.6.6.6", trusted_proxies=0) == "198.51.100.4"
    # A request that reached the app directly, without the proxy's hop.
    assert forwarded_client("198.51.100.4", "", trusted_proxies=1) == "198.51.100.4"
    # A hop that is not an address is not believed; ports and brackets are dropped.
    assert forwarded_client("10.0.0.2", "<script>", trusted_proxies=1) == "10.0.0.2"
    assert forwarded_client("10.0.0.2", "203.0.113.7:5555", trusted_proxies=1) == "203.0.113.7"
    assert forwarded_client("10.0.0.2", "[2001:db8::1]:443", trusted_proxies=1) == "2001:db8::1"


@time_machine.travel(WINDOW, tick=False)
def test_a_forged_first_hop_does_not_change_the_counted_address(client, settings):
    settings.CIVICHALL_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(CODES_PER_HOUR_PER_ADDRESS):
        forged = f"192.0.2.{n}, 203.0.113.7"
        assert _ask(client, f"1390000{n:04d}", HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 200
    refused = _ask(client, "13900009999", HTTP_X_FORWARDED_FOR="198.18.0.1, 203.0.113.7", **proxy)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    # Another real client behind the same proxy is not affected.
    other = _ask(client, "13900009999", HTTP_X_FORWARDED_FOR="198.18.0.1, 203.0.113.8", **proxy)
    assert other.status_code == 200


@time_machine.travel(WINDOW, tick=False)
def test_the_forwarded_header_is_ignored_without_a_trusted_proxy(client, settings):
    settings.CIVICHALL_TRUSTED_PROXIES = 0
    settings.CIVICHALL_TRUSTED_PROXY_ADDRESSES = []
    for n in range(CODES_PER_HOUR_PER_ADDRESS):
        assert _ask(client, f"1390000{n:04d}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code == 200
    assert _ask(client, "13900009999", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


@time_machine.travel(WINDOW, tick=False)
def test_a_refused_request_consumes_no_per_mobile_slot(client, sms_outbox):
    attacker = {"REMOTE_ADDR": "198.51.100.66"}
    for n in range(CODES_PER_HOUR_PER_ADDRESS):
        assert _ask(client, f"1370000{n:04d}", **attacker).status_code == 200
    victim = "13912345678"
    refused = _ask(client, victim, **attacker)
    assert refused.status_code == 429
    assert not [m for m, _t in sms_outbox if m == victim]
    # The victim, from their own network, gets a code at once.
    assert _ask(client, victim, REMOTE_ADDR="203.0.113.50").status_code == 200
    assert [m for m, _t in sms_outbox if m == victim] == [victim]


@time_machine.travel(WINDOW, tick=False)
def test_a_number_in_its_resend_minute_does_not_use_up_the_address_quota(client):
    address = {"REMOTE_ADDR": "198.51.100.70"}
    assert _ask(client, "13900000001", **address).status_code == 200
    for _n in range(20):
        assert _ask(client, "13900000001", **address).status_code == 429
    # Twenty refusals later the address still has its other nine codes.
    for n in range(CODES_PER_HOUR_PER_ADDRESS - 1):
        assert _ask(client, f"1380000{n:04d}", **address).status_code == 200
    assert _ask(client, "13800009999", **address).status_code == 429


def test_hit_all_gives_back_what_a_refusal_counted():
    now = 1_000_000.0
    assert hit("b", 1, 60, now=now)
    assert hit_all([("a", 5, 60), ("b", 1, 60)], now=now) == "b"
    assert hit_all([("a", 5, 60), ("b", 1, 60)], now=now) == "b"
    # "a" was never consumed by the two refusals: five fresh hits still pass.
    assert all(hit("a", 5, 60, now=now) for _n in range(5))
    assert not hit("a", 5, 60, now=now)


def test_a_request_refused_by_its_address_never_touches_the_number_it_names():
    """An address over its quota asking codes for someone else's number does
    not count against that number at all, not even for a moment."""
    from django.core.cache import cache

    now = 3_000_000.0
    assert all(hit("flooder", 3, 3600, now=now) for _n in range(3))
    for _n in range(20):
        assert hit_all([("flooder", 3, 3600), ("victim-mobile", 1, 60)], now=now) == "flooder"
    assert cache.get(f"rl:victim-mobile:{int(now // 60)}") is None
    assert hit_all([("victims-address", 3, 3600), ("victim-mobile", 1, 60)], now=now) is None


def test_a_refusal_gives_back_what_it_counted_with_the_cache_down(settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "civichall.core.cache.FailOpenRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    now = 2_000_000.0
    assert hit(f"down-b-{port}", 1, 60, now=now)
    for _n in range(3):
        assert hit_all([(f"down-a-{port}", 5, 60), (f"down-b-{port}", 1, 60)], now=now) == f"down-b-{port}"
    assert all(hit(f"down-a-{port}", 5, 60, now=now) for _n in range(5))
    assert not hit(f"down-a-{port}", 5, 60, now=now)
