"""Calls to the WeChat platform, through wechatpy's client.

* One access token per AppID, kept in the shared cache (Redis in
  production) and refreshed under a cache lock, so that several processes
  never fetch it at once: each fetch invalidates the token before it, and
  processes refreshing side by side keep invalidating each other's.
* Where the platform lives is ``CIVICHALL_WECHAT_API_BASE`` (the fake
  platform in the demo and the tests).
* Every call that sends something (a message, a menu, a QR code request)
  is logged as a ``Delivery`` with the platform's answer; ``errcode``s are
  explained in Chinese (``errcode_message``).
"""

import logging
import time

from django.core.cache import cache
from django.utils import timezone
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.oauth import WeChatOAuth
from wechatpy.session import SessionStorage

from civichall.core import config

from .models import Delivery

logger = logging.getLogger("civichall.wechat")

TOKEN_MARGIN_S = 300  # refresh this long before the platform's expiry
LOCK_TIMEOUT_S = 15
LOCK_WAIT_S = 10.0
HTTP_TIMEOUT_S = 4

# What the platform's error codes mean, for the people who read them.
ERRCODES = {
    -1: "微信平台系统繁忙，请稍后再试。",
    40001: "access_token 无效或已过期（AppSecret 是否正确？是否有其他程序在刷新同一个 token？）。",
    40003: "OpenID 无效：该用户不是本公众号的粉丝。",
    40013: "AppID 无效，请在公众号后台核对 AppID。",
    40016: "菜单按钮个数不合法（一级菜单 1～3 个，子菜单 1～5 个）。",
    40017: "菜单按钮类型不合法。",
    40018: "菜单按钮名称过长。",
    40019: "菜单按钮 KEY 过长。",
    40054: "子菜单按钮的网页链接不合法。",
    40125: "AppSecret 无效，请在公众号后台重置并重新配置。",
    40164: "调用接口的 IP 地址不在公众号后台的白名单中。",
    41001: "缺少 access_token 参数。",
    42001: "access_token 已过期。",
    43004: "该用户未关注公众号，无法发送消息。",
    45009: "接口调用次数已达今日上限。",
    45015: "回复时间超过限制：用户 48 小时内未与公众号互动，不能发送客服消息。",
    45047: "客服消息下行条数超过上限。",
    46003: "公众号尚未设置自定义菜单。",
    48001: "公众号没有该接口的权限（未认证或未开通）。",
    40037: "模板消息的模板 ID 无效。",
    43101: "用户拒绝接受消息：该用户未订阅此通知，或一次性订阅已用完。",
    47003: "模板参数不准确：字段缺失或内容超出长度限制。",
    200014: "订阅通知的模板 ID 无效。",
    40029: "网页授权的 code 无效，请从公众号重新打开页面。",
    40163: "网页授权的 code 已被使用，请从公众号重新打开页面。",
}


def errcode_message(errcode, errmsg=""):
    """The platform's error in Chinese, with its code."""
    if errcode is None:
        return "无法连接微信平台，请稍后再试。"
    text = ERRCODES.get(int(errcode))
    if text is None:
        text = f"微信平台返回错误：{errmsg or '未知错误'}"
    return f"{text}（错误码 {errcode}）"


class PlatformError(Exception):
    """The platform said no (or could not be reached); ``message`` is Chinese."""

    def __init__(self, errcode, errmsg=""):
        self.errcode, self.errmsg = errcode, errmsg
        self.message = errcode_message(errcode, errmsg)
        super().__init__(self.message)


def api_base():
    base = config.setting("CIVICHALL_WECHAT_API_BASE")
    return base if base.endswith("/") else base + "/"


class CacheSession(SessionStorage):
    """wechatpy's session storage on the Django cache (shared by processes)."""

    prefix = "wechat:session:"

    def get(self, key, default=None):
        value = cache.get(self.prefix + key)
        return default if value is None else value

    def set(self, key, value, ttl=None):
        cache.set(self.prefix + key, value, ttl if ttl else None)

    def delete(self, key):
        cache.delete(self.prefix + key)


class PlatformClient(WeChatClient):
    """wechatpy's client pointed at ``CIVICHALL_WECHAT_API_BASE``, its token
    refreshed once for all processes."""

    def __init__(self, account):
        super().__init__(account.appid, account.app_secret, session=CacheSession(), timeout=HTTP_TIMEOUT_S)
        self.API_BASE_URL = api_base() + "cgi-bin/"

    @property
    def lock_key(self):
        return f"wechat:token-lock:{self.appid}"

    def _fetch_unlocked(self):
        result = self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )
        # Keep it a little shorter than the platform does.
        expires_in = int(result.get("expires_in", 7200))
        self.session.set(self.access_token_key, result["access_token"], max(expires_in - TOKEN_MARGIN_S, 60))
        return result

    def fetch_access_token(self, stale=None):
        """A new token, fetched by one process at a time. A caller that
        finds a token different from ``stale`` (the one it saw fail — by
        default the one this client last used — or none) after waiting for
        the lock uses it instead of fetching again."""
        if stale is None:
            stale = self._token_in_use or self.session.get(self.access_token_key)
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return {"access_token": current}
            if cache.add(self.lock_key, "1", LOCK_TIMEOUT_S):
                try:
                    current = self.session.get(self.access_token_key)
                    if current and current != stale:
                        return {"access_token": current}
                    return self._fetch_unlocked()
                finally:
                    cache.delete(self.lock_key)
            if time.monotonic() > deadline:
                raise WeChatClientException(-1, "token refresh lock timed out", client=self)
            time.sleep(0.02)

    _token_in_use = None

    @property
    def access_token(self):
        token = self.session.get(self.access_token_key)
        if not token:
            self.fetch_access_token(stale="")
            token = self.session.get(self.access_token_key)
        # Remembered: when the platform refuses it (40001), wechatpy asks for
        # a new one, and one another process fetched meanwhile will do.
        self._token_in_use = token
        return token


def client_for(account):
    return PlatformClient(account)


def oauth_for(account, redirect_uri, scope="snsapi_base", state=""):
    """wechatpy's web authorisation, pointed at the configured platform."""
    oauth = WeChatOAuth(account.appid, account.app_secret, redirect_uri, scope=scope, state=state)
    oauth.API_BASE_URL = api_base()
    oauth.OAUTH_BASE_URL = api_base() + "connect/"
    return oauth


def _record(account, api, openid="", summary="", errcode=0, errmsg="ok", started=None):
    duration = None if started is None else round((time.monotonic() - started) * 1000)
    return Delivery.objects.create(account=account, api=api, openid=openid or "", summary=(summary or "")[:300],
                                   errcode=errcode, errmsg=(errmsg or "")[:300], sent_at=timezone.now(),
                                   duration_ms=duration)


def call(account, api, fn, *, openid="", summary=""):
    """Run ``fn(client)``, log the call with the platform's answer and how
    long it took, and return its result; ``PlatformError`` (Chinese message)
    when it fails."""
    client = client_for(account)
    started = time.monotonic()
    try:
        result = fn(client)
    except WeChatClientException as exc:
        _record(account, api, openid, summary, exc.errcode, exc.errmsg, started)
        raise PlatformError(exc.errcode, exc.errmsg) from None
    except Exception as exc:  # noqa: BLE001 - the network: logged, answered in Chinese
        logger.warning("WeChat platform call %s failed: %s", api, type(exc).__name__)
        _record(account, api, openid, summary, None, type(exc).__name__, started)
        raise PlatformError(None, type(exc).__name__) from None
    answer = result if isinstance(result, dict) else {}
    _record(account, api, openid, summary, int(answer.get("errcode", 0) or 0), answer.get("errmsg", "ok"), started)
    return result


def send_text(account, openid, text):
    """A customer-service text message to a follower."""
    return call(account, "message.custom.text", lambda c: c.message.send_text(openid, text),
                openid=openid, summary=text[:120])


def send_articles(account, openid, articles):
    """A customer-service news message (title, description, url, image)."""
    return call(account, "message.custom.news", lambda c: c.message.send_articles(openid, articles),
                openid=openid, summary=" / ".join(a.get("title", "") for a in articles)[:120])


def send_template(account, openid, template_id, data, url=None):
    return call(account, "message.template", lambda c: c.message.send_template(openid, template_id, data, url=url),
                openid=openid, summary=template_id)


def send_subscription(account, openid, template_id, data, url=None):
    """A subscription notification (``message/subscribe/bizsend``) to a
    follower who accepted ``template_id``; ``data`` is ``{key: {"value": …}}``."""
    return call(account, "message.subscribe",
                lambda c: c.message.send_subscribe_message(openid, template_id, data, page=url),
                openid=openid, summary=template_id)


def push_menu(account, menu):
    """Send ``menu`` (WeChat's ``{"button": [...]}``) to the menu API."""
    return call(account, "menu.create", lambda c: c.menu.create(menu),
                summary=f"{len(menu.get('button', []))} columns")


def current_menu(account):
    return call(account, "menu.get", lambda c: c.menu.get())


def create_qrcode(account, scene, expire_seconds=None):
    """A QR code for ``scene``: permanent (a string scene) unless
    ``expire_seconds`` is given. Returns the platform's answer (ticket, url)
    with ``image`` (the address of the picture)."""
    if expire_seconds:
        payload = {"expire_seconds": int(expire_seconds), "action_name": "QR_STR_SCENE",
                   "action_info": {"scene": {"scene_str": scene}}}
    else:
        payload = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene}}}
    result = call(account, "qrcode.create", lambda c: c.qrcode.create(payload), summary=scene)
    result = dict(result)
    result["image"] = api_base() + "cgi-bin/showqrcode?ticket=" + result.get("ticket", "")
    return result


def jsapi_config(account, url):
    """The signed configuration of the JS-SDK for a page at ``url``
    (the jsapi ticket is cached like the token)."""
    from wechatpy.utils import random_string

    client = client_for(account)
    key = f"wechat:jsapi-ticket:{account.appid}"
    ticket = cache.get(key)
    if not ticket:
        try:
            answer = client.jsapi.get_ticket()
        except WeChatClientException as exc:
            raise PlatformError(exc.errcode, exc.errmsg) from None
        ticket = answer["ticket"]
        cache.set(key, ticket, max(int(answer.get("expires_in", 7200)) - TOKEN_MARGIN_S, 60))
    nonce, timestamp = random_string(16), int(time.time())
    signature = client.jsapi.get_jsapi_signature(nonce, ticket, timestamp, url)
    return {"appId": account.appid, "timestamp": timestamp, "nonceStr": nonce, "signature": signature}
