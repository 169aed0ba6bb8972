"""Staff on comments: featuring, moderating what the check could not decide,
hiding and restoring."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.safety import services as safety

from .. import comment_lifecycle
from ..models import CommentReport
from ..permissions import access_comment
from .comments import _safety_summary
from .common import (
    MAX_NOTE_LENGTH,
    _check_reason,
    _locked,
    interaction_settings,
)
from .questions import _detect_question
from .transitions import comment_next

logger = logging.getLogger("civichall.interaction")


# --- staff: featuring and moderation ---------------------------------------------------------


@transaction.atomic
def do_feature(user, comment, featured=True):
    """Feature (or un-feature) a comment. Featuring a held comment publishes it;
    un-featuring under pre-moderation holds it again."""
    comment = _locked(comment)
    access_comment(user, comment, "feature")
    now = timezone.now()
    if featured:
        status = comment_next(comment, "feature")
        comment.featured, comment.featured_at, comment.status = True, now, status
    else:
        pre = interaction_settings(comment.article.author_organisation_id).pre_moderation
        comment.status = comment_next(comment, "unfeature", pre_moderation=pre)
        comment.featured, comment.featured_at = False, None
    comment.save(update_fields=["featured", "featured_at", "status"])
    log(instance=comment, action="civichall.comment.feature" if featured else "civichall.comment.unfeature",
        user=user)
    return comment


def _resolve_reports(comment, user):
    CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user,
    )


@transaction.atomic
def do_moderate(user, comment, approve, note=""):
    """A person decides on a comment in the moderation queue (received,
    flagged for review, or hidden after reports): approve shows it, reject
    blocks it."""
    comment = _locked(comment)
    access_comment(user, comment, "moderate")
    comment_next(comment, "approve" if approve else "reject")  # refused before the note is asked for
    note = (note or "").strip()[:MAX_NOTE_LENGTH]
    was = comment.status
    if approve:
        if was == comment_lifecycle.RECEIVED:
            try:  # the check failed before; its masking is still wanted
                result = safety.check_content(comment.text, "comment")
                comment.public_text = result.get("masked", comment.text)
                comment.safety = _safety_summary(result)
            except Exception:
                logger.exception("safety check failed again for comment %s", comment.pk)
                comment.public_text = comment.text
        pre = interaction_settings(comment.article.author_organisation_id).pre_moderation
        comment.status = comment_next(comment, "approve", pre_moderation=pre, featured=comment.featured)
    else:
        if not note:
            raise ValidationError(_("Please write why the comment is blocked."))
        comment.status = comment_next(comment, "reject")
        comment.featured = False
    comment.moderated_by, comment.moderated_at, comment.moderation_note = user, timezone.now(), note
    comment.save()
    _resolve_reports(comment, user)
    if approve:
        _detect_question(comment)
    log(instance=comment, action="civichall.comment.approve" if approve else "civichall.comment.block",
        user=user, data={"from": was, "note": note})
    return comment


@transaction.atomic
def do_hide(user, comment, note):
    """Staff take a visible comment out of public view pending review."""
    comment = _locked(comment)
    access_comment(user, comment, "moderate")
    note = _check_reason(note)
    comment.status, comment.featured = comment_next(comment, "hide"), False
    comment.moderated_by, comment.moderated_at, comment.moderation_note = user, timezone.now(), note
    comment.save()
    log(instance=comment, action="civichall.comment.hide", user=user, data={"note": note})
    return comment


def do_restore(user, comment, note=""):
    """Show a hidden comment again (reports found unfounded)."""
    return do_moderate(user, comment, True, note)


