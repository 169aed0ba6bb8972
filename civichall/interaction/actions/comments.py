"""Comments: posting (stored first, then checked), the automatic check and
its outcome, the author's own edits and deletion, likes and reports."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.core.ratelimit import hit_all
from civichall.core.site import hotline
from civichall.core.write_batch import WriteBatch
from civichall.safety import services as safety

from .. import comment_lifecycle
from ..models import (
    Comment,
    CommentLike,
    CommentReport,
    CommentStatus,
    NoteKind,
    OfficialReply,
    Question,
    QuestionNote,
    QuestionState,
    ReplyStatus,
    ReportReason,
)
from ..page_cache import purge_comment_page, purges_gathered
from ..permissions import access_comment
from .common import (
    InteractionError,
    _address_hash,
    _check_article,
    _check_thread,
    _rate,
    check_comment_text,
    check_rate,
    comments_closed,
    interaction_settings,
)
from .questions import question_for
from .transitions import comment_next

logger = logging.getLogger("civichall.interaction")


# --- posting and checking comments -----------------------------------------------------


def do_post_comment(citizen, article, text, *, parent=None, address="", client_key=None,
                    rate_limit=True, now=None):
    """Store a citizen's comment, then check it; returns the comment.

    ``client_key`` makes retries idempotent: posting again with the same key
    returns the comment already stored (no second copy, no second count).
    """
    if citizen is None:
        raise PermissionDenied
    text = check_comment_text(text)
    article = _check_article(article, withdrawal=False)  # the insert below asks about the withdrawal
    root = _check_thread(citizen, article, parent) if parent is not None else None
    client_key = (str(client_key).strip()[:64] or None) if client_key else None
    if client_key:
        existing = Comment.objects.filter(citizen=citizen, client_key=client_key).first()
        if existing is not None:
            return existing
    if rate_limit:
        check_rate(citizen, address)
    comment = Comment(article=article, citizen=citizen, parent=root, text=text,
                      address_hash=_address_hash(address), client_key=client_key,
                      created_at=now or timezone.now())
    # Stored (and, outside a transaction, committed) by one statement that
    # also makes sure the article was not withdrawn meanwhile.
    from civichall.content.models import Withdrawal

    batch = WriteBatch()
    batch.insert("stored", comment, unless=(Withdrawal, {"page_id": article.pk}))
    try:
        stored = batch.run()["stored"]
    except IntegrityError:
        if client_key:
            return Comment.objects.get(citizen=citizen, client_key=client_key)
        raise
    if not stored:
        raise comments_closed()
    return moderate_comment(comment)


def _decide(result, organisation):
    decision = result.get("decision")
    pre_moderation = decision not in ("block", "review") and interaction_settings(organisation).pre_moderation
    return comment_lifecycle.next_state(comment_lifecycle.RECEIVED, "check", decision=decision,
                                        pre_moderation=pre_moderation)


def _safety_summary(result):
    return {
        "decision": result.get("decision"),
        "reasons": result.get("reasons", []),
        "hits": result.get("hits", []),
    }


def moderate_comment(comment):
    """Run the safety check on a ``received`` comment and act on it.

    Never raises because of the check: if it fails, the comment stays
    ``received`` (in the moderation queue) and is tried again later.
    Idempotent: a comment that is no longer ``received`` is left alone.
    """
    try:
        result = safety.check_content(comment.text, "comment")
    except Exception:
        logger.exception("safety check failed for comment %s; left for moderation", comment.pk)
        return comment
    status = _decide(result, comment.article.author_organisation_id)
    now = timezone.now()
    masked = result.get("masked", comment.text)
    check, hits = safety.check_record(result, text=comment.text, kind="comment", obj=comment, source="comment")
    question = question_for(comment) if status in comment_lifecycle.PASSED else None
    # The outcome in one statement where the database can (PostgreSQL), else
    # in one transaction. The comment itself is committed already, so the
    # outcome may commit without waiting for the disk: the re-check redoes it.
    batch = WriteBatch()
    batch.update("changed", Comment, {"pk": comment.pk, "status__in": sorted(comment_lifecycle.sources("check"))},
                 status=status, public_text=masked, safety=_safety_summary(result), checked_at=now)
    batch.insert("recorded", check, after="changed")
    for hit in hits:
        batch.insert(None, hit, refer={"safety_check": "recorded"})
    if question is not None:
        batch.insert("asked", question, after="changed", unless=(Question, {"comment_id": comment.pk}))
    with purges_gathered():
        if not batch.run(relax_commit=True)["changed"]:  # checked meanwhile by someone else
            comment.refresh_from_db()
            return comment
        comment.status, comment.public_text = status, masked
        comment.safety, comment.checked_at = _safety_summary(result), now
        purge_comment_page(comment)  # an update() sends no signal
    return comment


def recheck_received_comments(older_than_seconds=60, limit=500):
    """Check again the comments whose check failed; returns how many moved on."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    moved = 0
    for comment in Comment.objects.filter(status=CommentStatus.RECEIVED, created_at__lte=cutoff)[:limit]:
        if moderate_comment(comment).status != CommentStatus.RECEIVED:
            moved += 1
    return moved


def comment_outcome(comment):
    """What to tell the author after posting: (level, message)."""
    status = comment.status
    if status == CommentStatus.VISIBLE:
        return "success", _("Thank you: your comment is published.")
    if status == CommentStatus.HELD:
        return "info", _("Thank you: your comment was received. Featured comments are shown "
                         "publicly once the account has selected them.")
    if status in (CommentStatus.MODERATION, CommentStatus.RECEIVED):
        return "info", _("Thank you: your comment was received and will be shown after review.")
    if status == CommentStatus.BLOCKED:
        return "error", blocked_message(comment)
    return "info", _("Your comment was received.")


BLOCK_CATEGORY_MESSAGES = {
    "political": _("content not suitable for publication"),
    "vulgar": _("vulgar or insulting words"),
    "violence": _("violent content"),
    "gambling_drugs": _("gambling or drugs"),
    "fraud_spam": _("advertising, fraud or spam"),
}


def blocked_message(comment):
    """A polite explanation of why a comment is not shown (without repeating the word)."""
    categories = []
    for h in (comment.safety or {}).get("hits", []):
        if h.get("severity") == "block":
            label = str(BLOCK_CATEGORY_MESSAGES.get(h.get("category"), _("words that cannot be published")))
            if label not in categories:
                categories.append(label)
    what = "、".join(categories) or str(_("words that cannot be published"))
    return _("Sorry, your comment cannot be shown because it contains %(what)s. "
             "Please rewrite it and post again; for urgent matters call the %(hotline)s hotline.") % {
        "what": what, "hotline": hotline()}


# --- the author's own comment ------------------------------------------------------------


def _edit_window_open(comment):
    window = interaction_settings(comment.article.author_organisation_id).edit_window_minutes
    return timezone.now() - comment.created_at <= timezone.timedelta(minutes=window)


def editable_comment_ids(citizen, comments):
    """Which of ``comments`` their author may still change (the same rules
    as ``do_edit_comment``), so that pages offer "Edit" only where it works."""
    own = [c for c in comments if citizen is not None and c.citizen_id == citizen.pk
           and comment_lifecycle.allows(c.status, "edit") and _edit_window_open(c)]
    answered = set(
        OfficialReply.objects.filter(comment__in=own, status=ReplyStatus.PUBLISHED).values_list("comment_id", flat=True)
    )
    return {c.pk for c in own if c.pk not in answered}


# Earlier texts kept per comment: the original and the latest ones.
MAX_HISTORY = 10


def bounded_history(history):
    """At most MAX_HISTORY entries: the first (what was posted) and the most
    recent ones, so that a comment edited again and again stays small."""
    if len(history) <= MAX_HISTORY:
        return history
    return [history[0], *history[-(MAX_HISTORY - 1):]]


def check_edit_rate(citizen):
    """Count one edit; InteractionError (429) over the limit. Only an edit
    that would be saved is counted, and a refused one gives its count back."""
    limit = _rate("CIVICHALL_COMMENT_EDITS_PER_WINDOW")
    window = _rate("CIVICHALL_COMMENT_EDIT_WINDOW_SECONDS")
    if hit_all([(f"comment-edit:{citizen.pk}", limit, window)]) is not None:
        raise InteractionError(
            "rate_limited",
            _("You are editing too often: at most %(n)d edits in %(minutes)d minutes. "
              "Please wait a while before editing again.") % {"n": limit, "minutes": max(1, window // 60)},
            status=429)


def do_edit_comment(citizen, comment, text):
    """The author changes their comment within the edit window, before any
    official reply; it is stored, then checked again like a new comment (and
    loses its featured mark: staff featured the old text)."""
    text = check_comment_text(text)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        access_comment(citizen.user if citizen else None, comment, "edit")
        status = comment_next(comment, "edit")
        if not _edit_window_open(comment):
            raise InteractionError("edit_window_closed",
                                   _("The time for editing this comment has passed."))
        if comment.official_replies.filter(status=ReplyStatus.PUBLISHED).exists():
            raise InteractionError(
                "already_answered",
                _("The account has already replied to this comment; it cannot be edited."))
        if text == comment.text:
            return comment
        check_edit_rate(citizen)
        now = timezone.now()
        comment.history = bounded_history([*comment.history, {"text": comment.text, "until": now.isoformat()}])
        comment.text, comment.edited_at = text, now
        comment.status, comment.featured, comment.featured_at = status, False, None
        comment.save(update_fields=["history", "text", "edited_at", "status", "featured", "featured_at"])
    return moderate_comment(comment)


@transaction.atomic
def do_delete_comment(citizen, comment):
    """The author removes their comment from public view. The text is kept for
    audit; a question it asked stays with its organisation (which still
    answers it or closes it with a public reason)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    access_comment(citizen.user if citizen else None, comment, "delete")
    if not comment_lifecycle.allows(comment.status, "delete"):
        return comment  # deleted already: deleting again changes nothing
    comment.history = [*comment.history, {"status": comment.status, "until": timezone.now().isoformat()}]
    comment.status, comment.public_text = comment_next(comment, "delete"), ""
    comment.featured, comment.deleted_at = False, timezone.now()
    comment.save(update_fields=["history", "status", "public_text", "featured", "deleted_at"])
    question = Question.objects.filter(comment=comment, state=QuestionState.OPEN).first()
    if question is not None:
        QuestionNote.objects.create(question=question, kind=NoteKind.SYSTEM,
                                    text=_("The asker deleted the comment."))
    return comment


# --- likes and reports ---------------------------------------------------------------------


@transaction.atomic
def do_like(citizen, comment, like=True):
    """Like (or unlike) a public comment; idempotent. Returns the like count."""
    access_comment(citizen.user, comment, "like")
    if like:
        _like, created = CommentLike.objects.get_or_create(comment=comment, citizen=citizen)
        if created:
            Comment.objects.filter(pk=comment.pk).update(likes_count=F("likes_count") + 1)
    else:
        deleted, _n = CommentLike.objects.filter(comment=comment, citizen=citizen).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk, likes_count__gt=0).update(likes_count=F("likes_count") - 1)
    return Comment.objects.values_list("likes_count", flat=True).get(pk=comment.pk)


def check_report_reason(reason):
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose a reason: spam, offensive or off topic."))
    return reason


@transaction.atomic
def do_report(citizen, comment, reason):
    """Report a public comment; once enough different citizens reported it
    (the organisation's threshold, default 3) it is hidden pending review."""
    access_comment(citizen.user, comment, "report")
    reason = check_report_reason(reason)
    report, created = CommentReport.objects.get_or_create(
        comment=comment, citizen=citizen, defaults={"reason": reason},
    )
    if not created:
        return report
    Comment.objects.filter(pk=comment.pk).update(reports_count=F("reports_count") + 1)
    threshold = interaction_settings(comment.article.author_organisation_id).report_threshold
    open_reports = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).count()
    if open_reports >= threshold:
        hidden = Comment.objects.filter(
            pk=comment.pk, status__in=comment_lifecycle.sources("hide_by_reports"),
        ).update(status=comment_lifecycle.HIDDEN)
        if hidden:
            purge_comment_page(comment)  # an update() sends no signal
            log(instance=comment, action="civichall.comment.hidden_by_reports",
                data={"reports": open_reports})
    return report


