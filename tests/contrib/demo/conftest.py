"""The demo's tests run with the demo app installed and its identity
provider, as ``civichall demo`` does."""

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def identity_provider(settings):
    """The demo residents are verified by the demo's own provider."""
    assert apps.is_installed("civichall.contrib.demo"), "the demo's tests need the demo app installed"
    settings.CIVICHALL_IDENTITY_PROVIDER = "civichall.contrib.demo.identity.DemoIdentityProvider"
