"""The WeChat endpoints, thin: the message server of each account
(``/wechat/<organisation-slug>/``), the web authorisation that signs a
follower in on pages opened inside WeChat, and the JS-SDK configuration.

The message server speaks the platform's protocol: the GET handshake
(signature, ``echostr``), and POSTed messages in plaintext, compatible or
safe (AES) mode. A wrong signature is 403; a body that is too large, has a
DTD or entities, or is not a WeChat message is 400 with a plain message,
before any parser sees it (``xmlguard``)."""

import logging
import time

from django.contrib.auth import login
from django.db import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from civichall.accounts import citizen_sessions, citizens
from civichall.core import config
from civichall.core.errors import REFUSALS, refusal_message

from . import inbound, lookups, platform, xmlguard
from .models import Mode, WechatAccount

logger = logging.getLogger("civichall.wechat")

TEXT = "text/plain; charset=utf-8"
XML = "application/xml; charset=utf-8"


def _plain(text, status):
    return HttpResponse(text, status=status, content_type=TEXT)


def _account(slug):
    account = lookups.account_by_slug(slug)
    if account is None:
        raise Http404
    return account


# In plaintext mode the signature covers the timestamp and nonce, not the
# body: a signed query string is only accepted for a few minutes.
MAX_CLOCK_SKEW_S = 300


def _fresh(request):
    stamp = request.GET.get("timestamp", "")
    return stamp.isdigit() and abs(time.time() - int(stamp)) <= MAX_CLOCK_SKEW_S


def _signed(account, request):
    params = request.GET
    try:
        check_signature(account.token, params.get("signature", ""), params.get("timestamp", ""),
                        params.get("nonce", ""))
    except InvalidSignatureException:
        return False
    return True


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def message_server(request, slug):
    """The account's message server (see the module docstring)."""
    try:
        account = _account(slug)
    except Http404:
        return _plain("未找到该公众号的配置。", 404)
    if not _signed(account, request):
        return _plain("签名错误。", 403)
    if not _fresh(request):
        return _plain("签名已过期，请检查服务器时间。", 403)
    if request.method == "GET":
        return _plain(request.GET.get("echostr", ""), 200)
    limit = config.setting("CIVICHALL_WECHAT_MAX_BODY_BYTES")
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > limit:
        return _plain(xmlguard.MESSAGES["too_large"][0], 400)
    try:
        text = xmlguard.check_body(request.body, limit)
        encrypted = request.GET.get("encrypt_type") == "aes"
        crypto = None
        if encrypted or account.mode == Mode.SAFE:
            if account.mode == Mode.PLAIN or not account.aes_key:
                return _plain("该公众号未配置消息加密。", 400)
            crypto = WeChatCrypto(account.token, account.aes_key, account.appid)
            try:
                text = crypto.decrypt_message(text, request.GET.get("msg_signature", ""),
                                              request.GET.get("timestamp", ""), request.GET.get("nonce", ""))
            except (InvalidSignatureException, InvalidAppIdException):
                return _plain("签名错误。", 403)
            except Exception:  # noqa: BLE001 - not our key, not base64, not AES: the sender's fault
                return _plain(xmlguard.MESSAGES["bad_xml"][0], 400)
            text = xmlguard.check_body(text.encode("utf-8") if isinstance(text, str) else text, limit)
        message = inbound.parse(text)
    except xmlguard.BadXml as bad:
        return _plain(bad.message, 400)
    try:
        reply = inbound.handle(account, message)
    except DatabaseError:
        # Nothing can be stored: say so, and the platform will try again.
        logger.exception("a WeChat message for %s could not be stored", slug)
        return _plain("服务暂时不可用，请稍后再试。", 503)
    if reply == inbound.SUCCESS:
        return _plain(reply, 200)
    if crypto is not None:
        reply = crypto.encrypt_message(reply, request.GET.get("nonce") or get_random_string(10))
    return HttpResponse(reply, content_type=XML)


# ------------------------------------------------------------ web authorisation

STATE_KEY = "wechat_oauth_state"


def _next(request):
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@require_GET
def oauth_start(request, slug):
    """Send a page opened inside WeChat through web authorisation (snsapi_base)."""
    account = get_object_or_404(WechatAccount, organisation__slug=slug, enabled=True)
    state = get_random_string(16)
    request.session[STATE_KEY] = {"state": state, "next": _next(request), "slug": slug}
    callback = request.build_absolute_uri(f"/wechat/{slug}/oauth/callback/")
    return HttpResponseRedirect(platform.oauth_for(account, callback, state=state).authorize_url)


@require_GET
def oauth_callback(request, slug):
    """The platform sends the follower back with a code: their OpenID signs
    them in (a citizen signed in by mobile gets it linked)."""
    account = get_object_or_404(WechatAccount, organisation__slug=slug, enabled=True)
    expected = request.session.pop(STATE_KEY, None) or {}
    code = request.GET.get("code", "")
    if not code or expected.get("state") != request.GET.get("state") or expected.get("slug") != slug:
        return _plain("授权已失效，请从公众号重新打开页面。", 400)
    callback = request.build_absolute_uri(f"/wechat/{slug}/oauth/callback/")
    try:
        answer = platform.call(account, "oauth.access_token",
                               lambda c: platform.oauth_for(account, callback).fetch_access_token(code))
    except platform.PlatformError as error:
        # A used or made-up code is the link's fault (400); anything else, the platform's (502).
        return _plain(error.message, 400 if error.errcode in (40029, 40163) else 502)
    openid = answer.get("openid", "")
    current = citizens.citizen_of(request.user) if request.user.is_authenticated else None
    try:
        if current is not None:
            if current.wechat_openid != openid:
                citizens.do_link_wechat(current, openid)
            citizen = current
        else:
            citizen = citizens.do_sign_in_with_wechat(openid)
    except REFUSALS as error:
        return _plain(str(refusal_message(error)), 409)
    if current is None:
        login(request, citizen.user, backend="django.contrib.auth.backends.ModelBackend")
        citizen_sessions.do_record_web_sign_in(request, citizen)
    return HttpResponseRedirect(expected.get("next") or "/")


@require_GET
@never_cache
def jssdk_config(request, slug):
    """The signed JS-SDK configuration for the page at ``?url=`` (sharing)."""
    account = get_object_or_404(WechatAccount, organisation__slug=slug, enabled=True)
    url = request.GET.get("url", "")
    if not url.startswith(("http://", "https://")) or len(url) > 1000:
        return JsonResponse({"error": {"code": "invalid", "message": "请提供页面地址 url。"}}, status=422)
    try:
        return JsonResponse(platform.jsapi_config(account, url.split("#", 1)[0]))
    except platform.PlatformError as error:
        return JsonResponse({"error": {"code": "platform", "message": error.message}}, status=502)
