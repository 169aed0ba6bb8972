"""Fixtures of the site's core: a Redis cache that cannot be reached."""

import socket

import pytest


def closed_port():
    """A local port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The default cache is the site's Redis backend, aimed at a closed port."""
    location = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "civichall.core.cache.FailOpenRedisCache", "LOCATION": location}
    }
    return location
