"""Fixtures of the WeChat channel's tests: an account configured on an
organisation, the fake platform on a free port, and the player that posts
as the platform does."""

import pytest

from civichall.accounts.policy import SYSTEM
from civichall.channels.wechat import actions, lookups
from civichall.channels.wechat.fake_platform import FakePlatform

from .player import AES_KEY, APPID, TOKEN, Platform

SECRET = "s3cretS3cretS3cretS3cret0123456"


@pytest.fixture(autouse=True)
def fresh_lookups():
    """Each test starts with no account remembered by this process (a
    rolled-back test's account sends no signal)."""
    lookups.forget_everything()
    yield
    lookups.forget_everything()


@pytest.fixture(scope="module")
def fake_platform():
    platform = FakePlatform(secrets_by_appid={APPID: SECRET}).start()
    yield platform
    platform.stop()


@pytest.fixture
def platform_api(fake_platform, settings):
    """The product pointed at the fake platform, its records emptied."""
    settings.CIVICHALL_WECHAT_API_BASE = fake_platform.base_url
    settings.WAGTAILADMIN_BASE_URL = "https://civichall.example.org"
    with fake_platform.lock:
        fake_platform.sent.clear()
        fake_platform.menus.clear()
        fake_platform.failures.clear()
        fake_platform.tokens.clear()
        fake_platform.token_requests = 0
    return fake_platform


@pytest.fixture
def city(make_org):
    return make_org("shanghai", kind="municipal", name_zh="上海发布")


@pytest.fixture
def account(city, platform_api):
    return actions.do_configure_account(SYSTEM, city, appid=APPID, token=TOKEN, secret=SECRET, mode="plain",
                                        source="test")


@pytest.fixture
def safe_account(city, platform_api):
    return actions.do_configure_account(SYSTEM, city, appid=APPID, token=TOKEN, secret=SECRET, mode="safe",
                                        aes_key=AES_KEY, source="test")


@pytest.fixture
def wechat(client, account):
    return Platform(client, "shanghai")
