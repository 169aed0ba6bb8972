"""The WeChat platform as the tests play it, with wechatpy doing the signing
and the encryption: it posts a follower's messages to an account's endpoint
the way the platform does, and reads the replies back."""

import time
import uuid

import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

TOKEN = "civichalltoken"
APPID = "wx0123456789abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT_OPENID = "gh_civichall"


def sign(token, timestamp, nonce):
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return signer.signature


def text_xml(openid, content, msg_id=None, create_time=None):
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT_OPENID}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id or uuid.uuid4().int % 10**18}</MsgId></xml>")


def event_xml(openid, event, key=None, create_time=None):
    key_xml = f"<EventKey><![CDATA[{key}]]></EventKey>" if key is not None else ""
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT_OPENID}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event>{key_xml}</xml>")


def media_xml(openid, kind="image"):
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT_OPENID}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{int(time.time())}</CreateTime>"
            f"<MsgType><![CDATA[{kind}]]></MsgType><PicUrl><![CDATA[http://example.org/a.jpg]]></PicUrl>"
            f"<MediaId><![CDATA[media1]]></MediaId><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>")


def location_xml(openid, lat="31.2304", lng="121.4737", label="人民广场"):
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT_OPENID}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{int(time.time())}</CreateTime>"
            f"<MsgType><![CDATA[location]]></MsgType><Location_X>{lat}</Location_X><Location_Y>{lng}</Location_Y>"
            f"<Scale>15</Scale><Label><![CDATA[{label}]]></Label><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>")


class Platform:
    """Posts to ``/wechat/<slug>/`` as the platform would; ``client`` is a
    Django test client (or anything with ``get``/``post`` of that shape)."""

    def __init__(self, client, slug, token=TOKEN, aes_key=None, appid=APPID):
        self.client, self.slug, self.token = client, slug, token
        self.crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None

    @property
    def path(self):
        return f"/wechat/{self.slug}/"

    def params(self, token=None):
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
        return {"signature": sign(token or self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}

    def handshake(self, echostr="echo-1234", token=None):
        return self.client.get(self.path, {**self.params(token), "echostr": echostr})

    def post_raw(self, body, params=None):
        query = "&".join(f"{k}={v}" for k, v in (params or self.params()).items())
        return self.client.post(f"{self.path}?{query}", data=body, content_type="text/xml")

    def post(self, xml):
        """Post ``xml`` (encrypted in safe mode) and answer (response, parsed reply or None)."""
        params = self.params()
        body = xml
        if self.crypto is not None:
            body = self.crypto.encrypt_message(xml, params["nonce"], params["timestamp"])
            encrypted = xmltodict.parse(body)["xml"]
            params = {**params, "encrypt_type": "aes", "msg_signature": encrypted["MsgSignature"]}
        response = self.post_raw(body.encode("utf-8"), params)
        return response, self.read(response)

    def read(self, response):
        content = response.content.decode("utf-8")
        if response.status_code != 200 or content == "success" or not content:
            return None
        if self.crypto is not None:
            outer = xmltodict.parse(content)["xml"]
            content = self.crypto.decrypt_message(content, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        return _reply(content)


def _reply(xml):
    """A passive reply as a dict (wechatpy parses what the platform sends, not replies)."""
    return xmltodict.parse(xml)["xml"]
