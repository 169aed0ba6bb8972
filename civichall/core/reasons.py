"""Written reasons: whenever staff do something that needs explaining
(publish without review, share a connector, close a question), the reason
is at least ``MIN_REASON`` characters, so that it says something."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_REASON = 5


def check_reason(text, field="reason"):
    """Return the stripped reason, or raise ValidationError on ``field``."""
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise ValidationError({field: _("Please write the reason in at least 5 characters.")})
    return text
