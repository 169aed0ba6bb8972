"""Fill once (免填免交): fetching what the city already holds about a
citizen, through the connector framework of the services room.

Each prefill source (``identity``, ``residence``, ``social_security``,
``medical_insurance``, ``licences``) is bound by a ``PrefillSource`` row to a
connector of the organisation that holds the data; the connector is asked
with the citizen's verified identity (the identity provider's subject) as its
identity parameter. The citizen's mobile number is the ``identity`` source's
``phone`` without asking anyone.
"""

from __future__ import annotations

import logging

from civichall.core.lang import Message
from civichall.services.connecting import connector_for
from civichall.services.connectors.base import ConnectorError, FetchContext

from .models import PrefillSource

logger = logging.getLogger("civichall.applications")

#: How each source is named to the citizen when none is configured.
DEFAULT_WORDING = {
    "identity": ("实名认证信息", "您的姓名、身份证号和手机号"),
    "residence": ("市公安局", "您的居住登记和户籍信息"),
    "social_security": ("市人社局", "您的参保记录"),
    "medical_insurance": ("市医保局", "您的医保参保信息"),
    "licences": ("电子证照库", "您的电子证照"),
}


def bound_sources(codes):
    """``{code: PrefillSource}`` (with its connector) for ``codes``, in one
    query: an action asking several sources reads their rows once."""
    return {row.code: row for row in PrefillSource.objects.select_related("connector").filter(code__in=list(codes))}


def _row(code, bound):
    if bound is not None:
        return bound.get(code)
    return PrefillSource.objects.select_related("connector").filter(code=code).first()


def holder_and_what(code, bound=None):
    """(who holds it, what it is) in the citizen's words (``bound``: rows
    already read by ``bound_sources``)."""
    row = _row(code, bound)
    if row is not None:
        return row.holder, row.what
    return DEFAULT_WORDING.get(code, (code, code))


def consent_wording(code, bound=None):
    """The sentence the citizen agrees to, e.g. 用于本次申请，从市人社局获取您的参保记录。"""
    holder, what = holder_and_what(code, bound)
    return f"用于本次申请，从{holder}获取{what}。"


def fetch_source(code, citizen, *, purpose="", bound=None):
    """``{field: value}`` the source holds about ``citizen``; None when the
    department cannot answer (not configured, down, nothing on record)."""
    values = {}
    if code == "identity" and citizen.mobile:
        values["phone"] = citizen.mobile
    row = _row(code, bound)
    if row is None or row.connector is None or not row.connector.enabled or not citizen.verified_subject:
        return values or None
    try:
        built = connector_for(row.connector)
        answer = built.fetch({row.identity_param: citizen.verified_subject},
                             FetchContext(service_code=f"application:{purpose}",
                                          timeout_s=float(row.connector.timeout_s or 2.5)))
    except ConnectorError as exc:
        logger.warning("prefill source %s failed: %s", code, type(exc).__name__)
        return values or None
    if isinstance(answer, list):
        answer = answer[0] if answer else {}
    if not isinstance(answer, dict) or not answer:  # nothing on record
        return values or None
    values.update({k: v for k, v in answer.items() if v not in (None, "")})
    return values


UNAVAILABLE = Message("{holder}暂时无法提供{what}，请自行填写。", "{holder} cannot provide this now; please fill it in.")
