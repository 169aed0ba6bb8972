"""The gate every XML body passes before any parser sees it (pure).

WeChat's messages are small flat documents with no DTD. Anything else is
refused *before* parsing, so that a billion-laughs document (nested entity
expansion) or an external entity (XXE: reading files, reaching internal
addresses) never reaches expat:

* larger than the limit → ``too_large``;
* not UTF-8 → ``not_utf8`` (a UTF-16 document could hide ``<!DOCTYPE``);
* any markup declaration (``<!DOCTYPE``, ``<!ENTITY``, ``<!ELEMENT`` …)
  other than CDATA sections → ``dtd``;
* not starting with ``<xml>`` (after an optional XML declaration) → ``not_wechat``.
"""

from __future__ import annotations

import re

DEFAULT_LIMIT = 64 * 1024

_DECLARATION = re.compile(r"<!(?!\[CDATA\[)")
_START = re.compile(r"^\s*(<\?xml[^>]{0,200}\?>\s*)?<xml[\s>]")
_ENTITY_REF = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)")

MESSAGES = {
    "empty": ("消息为空。", "The message is empty."),
    "too_large": ("消息过大，已拒绝。", "The message is too large."),
    "not_utf8": ("消息须为 UTF-8 编码的 XML。", "The message must be UTF-8 XML."),
    "dtd": ("消息含有 DTD 或实体声明，已拒绝。", "The message contains a DTD or entity declaration."),
    "not_wechat": ("这不是微信消息的 XML 格式。", "This is not a WeChat message."),
    "bad_xml": ("消息的 XML 格式有误。", "The message is not well-formed XML."),
}


class BadXml(ValueError):
    """Why a body was refused: ``code`` and a Chinese ``message``."""

    def __init__(self, code: str):
        self.code = code
        self.message, self.message_en = MESSAGES[code]
        super().__init__(self.message)


def check_body(raw: bytes, limit: int = DEFAULT_LIMIT) -> str:
    """The body as text if it may be parsed; ``BadXml`` otherwise."""
    if not raw or not raw.strip():
        raise BadXml("empty")
    if len(raw) > limit:
        raise BadXml("too_large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadXml("not_utf8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if _DECLARATION.search(text):
        raise BadXml("dtd")
    if not _START.match(text):
        raise BadXml("not_wechat")
    # Only the predefined entities and character references can be expanded;
    # any other reference would need a DTD, which was refused above.
    if _ENTITY_REF.search(_without_cdata(text)):
        raise BadXml("bad_xml")
    return text


def _without_cdata(text: str) -> str:
    return re.sub(r"<!\[CDATA\[.*?\]\]>", "", text, flags=re.S)
