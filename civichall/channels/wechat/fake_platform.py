"""A fake WeChat platform: a test double for the demo and the tests.

A small HTTP server on the loopback address implementing the parts of the
platform's API the channel calls, with the platform's shapes and error
codes: the access token (``cgi-bin/token``; issuing a new one invalidates
the one before, as the real platform does), the menu (create / get),
customer-service, template and subscription (``message/subscribe/bizsend``,
with the platform's length limits per key type) messages, QR codes, the JS-SDK ticket, and
web authorisation (``connect/oauth2/authorize`` redirects back with a code;
``sns/oauth2/access_token`` turns it into the OpenID). Point the product at
it with ``CIVICHALL_WECHAT_API_BASE``::

    platform = FakePlatform().start()
    settings.CIVICHALL_WECHAT_API_BASE = platform.base_url
    ...
    platform.token_requests, platform.sent, platform.menus
    platform.fail_next("menu/create", 40016, "invalid button size")
    platform.stop()

``GET _control/received`` answers what it received, as JSON (for the demo).

It keeps everything in memory and checks only what the real platform would
refuse in a way the product must handle (unknown tokens: 40001; a wrong
AppSecret: 40125 when ``secrets`` are given). Not for production.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse


class FakePlatform:
    """The fake platform's state and its server."""

    def __init__(self, host="127.0.0.1", port=0, secrets_by_appid=None, token_delay_s=0.0):
        self.host, self.port = host, port
        self.secrets = dict(secrets_by_appid or {})
        self.token_delay_s = token_delay_s
        self.lock = threading.Lock()
        self.token_requests = 0
        self.tokens: dict[str, str] = {}  # appid -> the one valid token
        self.menus: dict[str, dict] = {}
        self.sent: list[dict] = []  # customer-service, template and subscription messages
        self.qrcodes: list[dict] = []
        self.codes: dict[str, str] = {}  # OAuth code -> openid
        self.failures: dict[str, list[tuple[int, str]]] = {}
        self._server = None
        self._thread = None

    # ------------------------------------------------------------ control

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}/"

    def start(self):
        handler = type("Handler", (_Handler,), {"platform": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-wechat", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, endpoint, errcode, errmsg="error"):
        """The next call of ``endpoint`` (e.g. ``"menu/create"``) answers this error."""
        with self.lock:
            self.failures.setdefault(endpoint, []).append((errcode, errmsg))

    def code_for(self, openid):
        """An OAuth code the platform would hand a follower's browser."""
        code = secrets.token_hex(8)
        with self.lock:
            self.codes[code] = openid
        return code

    # -------------------------------------------------------------- API

    def answer(self, method, path, query, body):
        endpoint = path.strip("/")
        for prefix in ("cgi-bin/",):
            if endpoint.startswith(prefix):
                endpoint = endpoint[len(prefix):]
        with self.lock:
            queued = self.failures.get(endpoint)
            if queued:
                errcode, errmsg = queued.pop(0)
                return 200, {"errcode": errcode, "errmsg": errmsg}
        if endpoint == "token":
            return 200, self._token(query)
        if endpoint == "sns/oauth2/access_token":
            openid = self.codes.pop(query.get("code", ""), None)
            if openid is None:
                return 200, {"errcode": 40029, "errmsg": "invalid code"}
            return 200, {"access_token": secrets.token_hex(8), "expires_in": 7200, "openid": openid,
                         "scope": "snsapi_base", "refresh_token": secrets.token_hex(8)}
        appid = self._appid_of(query.get("access_token", ""))
        if appid is None:
            return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        data = json.loads(body or b"{}") if method == "POST" else {}
        if endpoint == "menu/create":
            if not isinstance(data.get("button"), list) or not 1 <= len(data["button"]) <= 3:
                return 200, {"errcode": 40016, "errmsg": "invalid button size"}
            with self.lock:
                self.menus[appid] = data
            return 200, {"errcode": 0, "errmsg": "ok"}
        if endpoint == "menu/get":
            if appid not in self.menus:
                return 200, {"errcode": 46003, "errmsg": "menu no exist"}
            return 200, {"menu": self.menus[appid]}
        if endpoint in ("message/custom/send", "message/template/send"):
            with self.lock:
                self.sent.append({"appid": appid, "api": endpoint, **data})
            answer = {"errcode": 0, "errmsg": "ok"}
            if endpoint == "message/template/send":
                answer["msgid"] = len(self.sent)
            return 200, answer
        if endpoint == "message/subscribe/bizsend":
            refused = self._check_subscription(data)
            if refused is not None:
                return 200, refused
            with self.lock:
                self.sent.append({"appid": appid, "api": endpoint, **data})
                msgid = len(self.sent)
            return 200, {"errcode": 0, "errmsg": "ok", "msgid": msgid}
        if endpoint == "qrcode/create":
            ticket = secrets.token_hex(12)
            with self.lock:
                self.qrcodes.append({"appid": appid, "ticket": ticket, **data})
            return 200, {"ticket": ticket, "expire_seconds": data.get("expire_seconds"),
                         "url": f"http://weixin.qq.com/q/{ticket}"}
        if endpoint == "ticket/getticket":
            return 200, {"errcode": 0, "errmsg": "ok", "ticket": "jsapi-" + secrets.token_hex(8), "expires_in": 7200}
        return 404, {"errcode": 404, "errmsg": f"unknown endpoint {endpoint}"}

    SUBSCRIPTION_LIMITS = {"thing": 20, "phrase": 5, "name": 10, "character_string": 32, "number": 32,
                           "letter": 32}

    def _check_subscription(self, data):
        """What the platform answers a ``bizsend`` it refuses, or None."""
        if not data.get("touser"):
            return {"errcode": 40003, "errmsg": "invalid openid"}
        if not data.get("template_id"):
            return {"errcode": 200014, "errmsg": "template_id is empty or invalid"}
        fields = data.get("data")
        if not isinstance(fields, dict) or not fields:
            return {"errcode": 47003, "errmsg": "argument invalid! data is empty"}
        for key, item in fields.items():
            value = item.get("value") if isinstance(item, dict) else None
            kind = key.rstrip("0123456789")
            if not isinstance(value, str) or len(value) > self.SUBSCRIPTION_LIMITS.get(kind, 20):
                return {"errcode": 47003, "errmsg": f"argument invalid! data.{key}.value invalid"}
        return None

    def _token(self, query):
        appid, secret = query.get("appid", ""), query.get("secret", "")
        if self.secrets and self.secrets.get(appid) != secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if self.token_delay_s:
            time.sleep(self.token_delay_s)
        token = secrets.token_hex(16)
        with self.lock:
            self.token_requests += 1
            self.tokens[appid] = token  # the one before is no longer valid
        return {"access_token": token, "expires_in": 7200}

    def _appid_of(self, token):
        with self.lock:
            return next((appid for appid, t in self.tokens.items() if t == token and token), None)

    def authorize_redirect(self, query):
        """Where ``connect/oauth2/authorize`` sends the browser: back with a
        code for ``openid`` (a query parameter of the fake, default ``demo-follower``)."""
        code = self.code_for(query.get("openid", "demo-follower"))
        target = query.get("redirect_uri", "/")
        joiner = "&" if "?" in target else "?"
        return f"{target}{joiner}{urlencode({'code': code, 'state': query.get('state', '')})}"


class _Handler(BaseHTTPRequestHandler):
    platform: FakePlatform
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _query(self):
        return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

    def _send(self, status, payload):
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urlparse(self.path).path
        if path.strip("/") == "_control/received":  # what the product sent, for the demo's operator
            with self.platform.lock:
                self._send(200, {"messages": list(self.platform.sent), "menus": dict(self.platform.menus),
                                 "qrcodes": list(self.platform.qrcodes),
                                 "token_requests": self.platform.token_requests})
            return
        if path.strip("/") == "connect/oauth2/authorize":
            self.send_response(302)
            self.send_header("Location", self.platform.authorize_redirect(self._query()))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(*self.platform.answer("GET", path, self._query(), b""))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1024 * 1024))
        try:
            status, payload = self.platform.answer("POST", urlparse(self.path).path, self._query(), body)
        except ValueError:
            status, payload = 200, {"errcode": 47001, "errmsg": "data format error"}
        self._send(status, payload)
