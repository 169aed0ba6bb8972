"""The platform's subscription notification events, parsed.

wechatpy (1.8) knows no class for them and would answer an
``UnknownMessage``; these register classes in its event registry, so that
``parse_message`` returns them like any other event. The XML was checked by
``xmlguard`` and parsed by wechatpy (xmltodict) as every message is; the
nested ``<List>`` items are read from that parsed document::

    <Event>subscribe_msg_popup_event</Event>
    <SubscribeMsgPopupEvent>
      <List><TemplateId>…</TemplateId><SubscribeStatusString>accept</SubscribeStatusString>
            <PopupScene>2</PopupScene></List>
      …
    </SubscribeMsgPopupEvent>

``…_change_event`` (the follower's notification settings) has the same
items; ``…_sent_event`` has ``TemplateId``, ``MsgID``, ``ErrorCode`` and
``ErrorStatus`` per message sent.
"""

from wechatpy.events import BaseEvent, register_event

SUBSCRIPTION_EVENTS = {
    "subscribe_msg_popup_event": "SubscribeMsgPopupEvent",
    "subscribe_msg_change_event": "SubscribeMsgChangeEvent",
    "subscribe_msg_sent_event": "SubscribeMsgSentEvent",
}
MAX_ITEMS = 20  # the pop-up offers at most a few templates


class SubscriptionEvent(BaseEvent):
    """A follower's choices about subscription templates, or the platform's
    report on messages sent under them."""

    container = ""

    @property
    def choices(self):
        """``(template_id, status, error_code)`` per item: ``status`` is
        ``accept``/``reject`` (``""`` in a sent event), ``error_code`` 0
        unless a sent message failed."""
        box = self._data.get(self.container)
        items = box.get("List") if isinstance(box, dict) else None
        if isinstance(items, dict):
            items = [items]
        found = []
        for item in (items or [])[:MAX_ITEMS]:
            if not isinstance(item, dict):
                continue
            code = str(item.get("ErrorCode") or "0").strip()
            found.append((str(item.get("TemplateId") or "").strip(),
                          str(item.get("SubscribeStatusString") or "").strip().lower(),
                          int(code) if code.lstrip("-").isdigit() else -1))
        return found


for _event, _container in SUBSCRIPTION_EVENTS.items():
    register_event(_event)(type(f"{_container}Message", (SubscriptionEvent,),
                                {"event": _event, "container": _container}))
