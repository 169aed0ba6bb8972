"""Everything that can happen in the comment area.

``check_*`` functions validate input; ``do_*`` functions authorise (through
``permissions``), change state and write the audit log. The public pages,
the API, the admin, the demo loader, the periodic jobs and the tests all call
these; nothing else writes the models.

The path of a comment (``do_post_comment``):

1. the text is checked (not empty, at most ``MAX_COMMENT_LENGTH`` characters,
   control and invisible characters removed (``civichall.core.text``); HTML
   is kept as text and escaped wherever it is shown) and the citizen's and
   the address's rate limits are counted;
2. the comment is **stored** as ``received`` and committed;
3. only then the safety door checks it (kind ``comment``): ``pass`` makes it
   ``visible`` (or ``held`` until featured, where the organisation shows
   featured comments only), ``review`` sends it to the moderation queue,
   ``block`` keeps it from the public for good. Personal data is masked in
   ``public_text``; the text as written stays for staff.
4. if it passed and asks something, it becomes a ``Question`` routed to the
   organisation that owns the matter.

If the check fails (an exception), the comment stays ``received``: it is in
the moderation queue at once and ``recheck_received_comments`` (a periodic
job) tries again. Nothing a citizen sent is lost.
"""

import hashlib
import html
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.accounts.citizens import RateLimited
from civichall.accounts.models import Organisation
from civichall.accounts import policy
from civichall.core.ratelimit import hit_all
from civichall.core.text import drop_invisible
from civichall.notify.services import notify_citizen
from civichall.safety import services as safety

from . import lifecycle, routing
from .models import (
    Comment, CommentLike, CommentReport, CommentStatus, NoteKind, OfficialReply,
    OrganisationInteractionSettings, Question, QuestionNote, QuestionState, ReplyStatus,
    RULES_CACHE_KEY, ReportReason, RoutedBy, RoutingRule,
)
from .permissions import access_comment, access_question, access_reply
from .questions import detect

logger = logging.getLogger("civichall.interaction")

MAX_COMMENT_LENGTH = 500
MAX_REPLY_LENGTH = 2000
MAX_NOTE_LENGTH = 2000
MIN_REASON = 5

__all__ = [
    "InteractionError", "RateLimited", "MAX_COMMENT_LENGTH", "MAX_REPLY_LENGTH",
    "check_comment_text", "check_reply_text", "comments_are_open", "moderate_comment",
    "do_post_comment", "do_edit_comment", "do_delete_comment", "do_like", "do_report",
    "do_feature", "do_moderate", "do_hide", "do_restore", "do_reply", "do_revise_reply",
    "do_approve_reply", "do_return_reply", "do_promote_reply", "do_mark_question",
    "do_unmark_question", "do_assign_question", "do_close_question", "do_add_note",
    "escalate_overdue_questions", "recheck_received_comments",
]


class InteractionError(Exception):
    """A refusal a person should read: ``code`` for machines, ``status`` for HTTP."""

    def __init__(self, code, message, status=409):
        super().__init__(message)
        self.code, self.message, self.status = code, str(message), status


def _rate(name, default):
    return getattr(settings, name, default)


# --- checking input --------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n{3,}")


def _clean_text(text):
    """Comment and reply text as stored: line ends as "\\n" (U+2028/U+2029
    too), control and invisible characters (zero-width, bidi, fillers, tags:
    ``civichall.core.text``) removed except where an emoji needs them."""
    text = str(text if text is not None else "").replace("\r\n", "\n").replace("\r", "\n")
    text = drop_invisible(text, keep_emoji=True)
    return _BLANK_LINES.sub("\n\n", text).strip()


def check_comment_text(text):
    """The comment as it will be stored, or ValidationError with a clear message.

    Plain text only: HTML is not removed but shown as text (escaped)
    everywhere; emoji are welcome. The limit counts characters as a reader
    does (one per Chinese character or emoji).
    """
    text = _clean_text(text)
    if not text:
        raise ValidationError(_("Please write something before posting."), code="empty")
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            _("A comment can be at most %(max)d characters; this one has %(n)d.")
            % {"max": MAX_COMMENT_LENGTH, "n": len(text)}, code="too_long",
        )
    return text


def check_reply_text(text):
    text = _clean_text(text)
    if not text:
        raise ValidationError(_("The reply is empty."), code="empty")
    if len(text) > MAX_REPLY_LENGTH:
        raise ValidationError(
            _("A reply can be at most %(max)d characters; this one has %(n)d.")
            % {"max": MAX_REPLY_LENGTH, "n": len(text)}, code="too_long",
        )
    return text


def _check_reason(text, message=None):
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise ValidationError(message or _("Please write the reason in at least 5 characters."))
    return text[:MAX_NOTE_LENGTH]


def interaction_settings(organisation):
    return OrganisationInteractionSettings.for_organisation(organisation)


def comments_are_open(article):
    """True if citizens may comment under ``article`` now."""
    article = getattr(article, "specific", article)
    from civichall.content.models import ArticlePage, Withdrawal

    if not isinstance(article, ArticlePage) or not article.live:
        return False
    if Withdrawal.objects.filter(page_id=article.pk).exists():
        return False
    return bool(article.comments_open)


def _check_article(article):
    from civichall.content.models import ArticlePage

    article = getattr(article, "specific", article)
    if not isinstance(article, ArticlePage) or not article.live:
        raise InteractionError("not_found", _("This article does not exist."), 404)
    if not comments_are_open(article):
        raise InteractionError("comments_closed", _("Comments are closed on this article."), 403)
    return article


def _address_hash(address):
    if not address:
        return ""
    key = f"{settings.SECRET_KEY}:{address}".encode()
    return hashlib.sha256(key).hexdigest()


def check_rate(citizen, address=""):
    """Count one comment; RateLimited with a clear message when over the
    limit. A comment refused by one limit is not counted by the other."""
    limit = _rate("CIVICHALL_COMMENTS_PER_MINUTE", 5)
    message = _("You are commenting too fast: at most %(n)d comments a minute. "
                "Please wait a moment and try again.") % {"n": limit}
    address_limit = _rate("CIVICHALL_COMMENTS_PER_MINUTE_PER_ADDRESS", 5)
    limits = [(f"comment-citizen:{citizen.pk}", limit, 60)]
    if address:
        limits.append((f"comment-address:{_address_hash(address)}", address_limit, 60))
    refused = hit_all(limits)
    if refused is not None and refused.startswith("comment-citizen:"):
        raise RateLimited(message)
    if refused is not None:
        raise RateLimited(_("Too many comments from this network: at most %(n)d a minute. "
                            "Please wait a moment and try again.") % {"n": address_limit})


def _check_thread(citizen, article, parent):
    """A follow-up goes into the thread of a comment under the same article,
    by that comment's author, after an official reply was published in it."""
    root = parent.root
    if root.article_id != article.pk:
        raise ValidationError(_("That comment is under another article."))
    if root.citizen_id != citizen.pk:
        raise InteractionError("not_your_thread",
                               _("Only the author of a comment can follow up in its thread."), 403)
    if not OfficialReply.objects.filter(comment__in=_thread_ids(root),
                                        status=ReplyStatus.PUBLISHED).exists():
        raise InteractionError("no_reply_yet",
                               _("You can follow up once the account has replied."), 409)
    if root.status in (CommentStatus.BLOCKED, CommentStatus.DELETED):
        raise InteractionError("thread_closed", _("This thread is closed."), 409)
    return root


def _thread_ids(root):
    return [root.pk, *root.follow_ups.values_list("pk", flat=True)]


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
    article = _check_article(article)
    root = _check_thread(citizen, article, parent) if parent is not None else None
    client_key = (str(client_key).strip()[:64] or None) if client_key else None
    if client_key:
        existing = Comment.objects.filter(citizen=citizen, client_key=client_key).first()
        if existing is not None:
            return existing
    if rate_limit:
        check_rate(citizen, address)
    fields = dict(article=article, citizen=citizen, parent=root, text=text,
                  address_hash=_address_hash(address), client_key=client_key,
                  created_at=now or timezone.now())
    try:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():  # a savepoint, so a clash leaves the caller's transaction usable
                comment = Comment.objects.create(**fields)
        else:  # autocommit: the row is committed by the insert itself
            comment = Comment.objects.create(**fields)
    except IntegrityError:
        if client_key:
            return Comment.objects.get(citizen=citizen, client_key=client_key)
        raise
    return moderate_comment(comment)


def _decide(result, organisation):
    decision = result.get("decision")
    if decision == "block":
        return CommentStatus.BLOCKED
    if decision == "review":
        return CommentStatus.MODERATION
    if interaction_settings(organisation).pre_moderation:
        return CommentStatus.HELD
    return CommentStatus.VISIBLE


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
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, status=CommentStatus.RECEIVED).update(
            status=status, public_text=result.get("masked", comment.text),
            safety=_safety_summary(result), checked_at=now,
        )
        if not changed:
            comment.refresh_from_db()
            return comment
        comment.status, comment.public_text = status, result.get("masked", comment.text)
        comment.safety, comment.checked_at = _safety_summary(result), now
        safety.record_check(result, text=comment.text, kind="comment", obj=comment, source="comment")
        if status in (CommentStatus.VISIBLE, CommentStatus.HELD):
            _detect_question(comment)
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
             "Please rewrite it and post again; for urgent matters call the 12345 hotline.") % {"what": what}


# --- questions: detection and routing --------------------------------------------------


def _rules():
    """The active routing rules as ``routing.Rule`` (cached; a change clears it)."""
    rules = cache.get(RULES_CACHE_KEY)
    if rules is None:
        rules = []
        for rule in RoutingRule.objects.filter(active=True).select_related("organisation").prefetch_related("topics"):
            rules.append(routing.Rule(
                id=rule.pk, organisation=rule.organisation.slug,
                topics=frozenset(t.slug for t in rule.topics.all()),
                keywords=routing.parse_keywords(rule.keywords), priority=rule.priority, name=rule.name,
            ))
        cache.set(RULES_CACHE_KEY, rules, 60)
    return rules


def route_question(comment):
    """(organisation, routed_by, rule) for a question asked as ``comment``."""
    if comment.parent_id:
        previous = _latest_thread_question(comment)
        if previous is not None:
            return previous.organisation, RoutedBy.FOLLOW_UP, None, previous
    article = comment.article
    owner = article.author_organisation
    topics = list(article.topics.values_list("slug", flat=True))
    found = routing.route(comment.text, owner.slug if owner else "", topics, _rules())
    if found.via == "rule":
        organisation = Organisation.objects.filter(slug=found.organisation).first()
        if organisation is not None:
            return organisation, RoutedBy.RULE, RoutingRule.objects.filter(pk=found.rule.id).first(), None
    return owner, RoutedBy.ARTICLE, None, None


def _latest_thread_question(comment):
    root = comment.root
    return (Question.objects.filter(comment_id__in=_thread_ids(root))
            .exclude(comment_id=comment.pk).exclude(state=QuestionState.UNMARKED)
            .order_by("-asked_at", "-id").first())


def _detect_question(comment, user=None, force=False):
    """Make ``comment`` a question if it asks something (or ``force``)."""
    found = detect(comment.text)
    if not (found or force):
        return None
    if Question.objects.filter(comment=comment).exists():
        return None
    organisation, routed_by, rule, previous = route_question(comment)
    if organisation is None:
        return None
    return Question.objects.create(
        comment=comment, organisation=organisation, detected=not force, cues=" ".join(found.cues)[:200],
        marked_by=user, routed_by=routed_by, routing_rule=rule, follows=previous,
        asked_at=comment.created_at,
    )


# --- the author's own comment ------------------------------------------------------------


def _edit_window_open(comment):
    window = interaction_settings(comment.article.author_organisation_id).edit_window_minutes
    return timezone.now() - comment.created_at <= timezone.timedelta(minutes=window)


def editable_comment_ids(citizen, comments):
    """Which of ``comments`` their author may still change (the same rules
    as ``do_edit_comment``), so that pages offer "Edit" only where it works."""
    own = [c for c in comments if citizen is not None and c.citizen_id == citizen.pk
           and c.status not in (CommentStatus.DELETED, CommentStatus.BLOCKED, CommentStatus.HIDDEN)
           and _edit_window_open(c)]
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
    limit = _rate("CIVICHALL_COMMENT_EDITS_PER_WINDOW", 5)
    window = _rate("CIVICHALL_COMMENT_EDIT_WINDOW_SECONDS", 600)
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
        if comment.status in (CommentStatus.DELETED, CommentStatus.BLOCKED, CommentStatus.HIDDEN):
            raise InteractionError("not_editable", _("This comment can no longer be edited."))
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
        comment.status, comment.featured, comment.featured_at = CommentStatus.RECEIVED, False, None
        comment.save(update_fields=["history", "text", "edited_at", "status", "featured", "featured_at"])
    return moderate_comment(comment)


@transaction.atomic
def do_delete_comment(citizen, comment):
    """The author removes their comment from public view. The text is kept for
    audit; a question it asked stays with its organisation (which still
    answers it or closes it with a public reason)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    access_comment(citizen.user if citizen else None, comment, "delete")
    if comment.status == CommentStatus.DELETED:
        return comment
    comment.history = [*comment.history, {"status": comment.status, "until": timezone.now().isoformat()}]
    comment.status, comment.public_text = CommentStatus.DELETED, ""
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
            pk=comment.pk, status__in=[CommentStatus.VISIBLE, CommentStatus.HELD],
        ).update(status=CommentStatus.HIDDEN)
        if hidden:
            log(instance=comment, action="civichall.comment.hidden_by_reports",
                data={"reports": open_reports})
    return report


# --- staff: featuring and moderation ---------------------------------------------------------


def _locked(comment):
    return Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)


@transaction.atomic
def do_feature(user, comment, featured=True):
    """Feature (or un-feature) a comment. Featuring a held comment publishes it;
    un-featuring under pre-moderation holds it again."""
    comment = _locked(comment)
    access_comment(user, comment, "feature")
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.HELD):
        raise InteractionError("not_featurable", _("Only a comment that passed the checks can be featured."))
    now = timezone.now()
    if featured:
        comment.featured, comment.featured_at, comment.status = True, now, CommentStatus.VISIBLE
    else:
        comment.featured, comment.featured_at = False, None
        if interaction_settings(comment.article.author_organisation_id).pre_moderation:
            comment.status = CommentStatus.HELD
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
    if comment.status not in (CommentStatus.RECEIVED, CommentStatus.MODERATION, CommentStatus.HIDDEN):
        raise InteractionError("not_in_queue", _("This comment is not waiting for moderation."))
    note = (note or "").strip()[:MAX_NOTE_LENGTH]
    was = comment.status
    if approve:
        if was == CommentStatus.RECEIVED:
            try:  # the check failed before; its masking is still wanted
                result = safety.check_content(comment.text, "comment")
                comment.public_text = result.get("masked", comment.text)
                comment.safety = _safety_summary(result)
            except Exception:
                logger.exception("safety check failed again for comment %s", comment.pk)
                comment.public_text = comment.text
        pre = interaction_settings(comment.article.author_organisation_id).pre_moderation
        comment.status = CommentStatus.HELD if pre and not comment.featured else CommentStatus.VISIBLE
    else:
        if not note:
            raise ValidationError(_("Please write why the comment is blocked."))
        comment.status = CommentStatus.BLOCKED
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
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.HELD):
        raise InteractionError("not_visible", _("Only a visible comment can be hidden."))
    comment.status, comment.featured = CommentStatus.HIDDEN, False
    comment.moderated_by, comment.moderated_at, comment.moderation_note = user, timezone.now(), note
    comment.save()
    log(instance=comment, action="civichall.comment.hide", user=user, data={"note": note})
    return comment


def do_restore(user, comment, note=""):
    """Show a hidden comment again (reports found unfounded)."""
    return do_moderate(user, comment, True, note)


# --- official replies -----------------------------------------------------------------------


def _answering_organisation(user, comment, organisation=None):
    from .permissions import answering_organisation

    owner = answering_organisation(comment)
    if organisation is not None and organisation.pk != getattr(owner, "pk", None):
        raise PermissionDenied
    return owner


def _check_tone(reply):
    """Run the safety ``reply`` check; None if the check itself failed."""
    try:
        result = safety.check_content(reply.text, "reply")
    except Exception:
        logger.exception("reply check failed for reply %s", reply.pk)
        return None
    safety.record_check(result, text=reply.text, kind="reply", obj=reply, source="reply", user=reply.author)
    return result


def _route_reply(user, reply, request_approval):
    """After writing or revising: returned, pending approval or published."""
    result = _check_tone(reply)
    org_settings = interaction_settings(reply.organisation_id)
    if result is None:
        reply.tone = {"decision": "error", "reasons": [{
            "code": "check_failed", "message": "自动检查暂时不可用，已转交审核人",
            "message_en": "the automatic check is unavailable; sent to a reviewer"}]}
        reply.status = ReplyStatus.PENDING_APPROVAL
    else:
        reply.tone = _safety_summary(result)
        reply.tone["scores"] = result.get("scores", {})
        decision = result["decision"]
        if decision == "block" or (decision == "review" and not request_approval):
            reply.status = ReplyStatus.RETURNED
        elif decision == "review" or (org_settings.replies_need_approval and
                                      not policy.allows(user, "reply", "approve", reply)):
            reply.status = ReplyStatus.PENDING_APPROVAL
        else:
            reply.status = ReplyStatus.PUBLISHED
    reply.save()
    if reply.status == ReplyStatus.PUBLISHED:
        _publish(reply, user)
    return reply


def _publish(reply, user, approved_by=None):
    now = timezone.now()
    reply.status, reply.published_at = ReplyStatus.PUBLISHED, now
    if approved_by is not None:
        reply.approved_by = approved_by
    reply.save(update_fields=["status", "published_at", "approved_by", "updated_at"])
    comment = Comment.objects.select_for_update().get(pk=reply.comment_id)
    if comment.status == CommentStatus.HELD:
        # An answered comment is shown with its answer: answers are public.
        comment.status, comment.featured, comment.featured_at = CommentStatus.VISIBLE, True, now
        comment.save(update_fields=["status", "featured", "featured_at"])
    question = Question.objects.select_for_update().filter(comment=comment).first()
    answered = False
    if question is not None and question.state == QuestionState.OPEN:
        question.state = lifecycle.next_state(question.state, "answer", reply_published=True)
        question.first_answer_at, question.answer = now, reply
        question.save(update_fields=["state", "first_answer_at", "answer", "updated_at"])
        log(instance=question, action="civichall.question.answer", user=user, data={"reply": reply.pk})
        answered = True
    log(instance=reply, action="civichall.reply.publish", user=user)
    if comment.citizen_id:
        account = reply.organisation.display_account_name
        if answered:
            notify_citizen(comment.citizen, "answer",
                           _("%(account)s answered your question: %(text)s") % {
                               "account": account, "text": reply.text[:200]}, comment.public_url())
        else:
            notify_citizen(comment.citizen, "reply",
                           _("%(account)s replied to your comment: %(text)s") % {
                               "account": account, "text": reply.text[:200]}, comment.public_url())


@transaction.atomic
def do_reply(user, comment, text, *, request_approval=False, organisation=None):
    """Write an official reply to ``comment`` in the answering organisation's
    name. It passes the safety ``reply`` check first: a flippant, empty or
    bureaucratic reply is *returned* to the writer with the reasons (or, if
    the writer asks, sent to a reviewer); a blocked term always returns it.
    Where the organisation requires it, a reviewer approves before publication.
    """
    comment = _locked(comment)
    access_comment(user, comment, "reply")
    text = check_reply_text(text)
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.HELD, CommentStatus.DELETED):
        raise InteractionError("not_answerable", _("Moderate this comment before replying to it."))
    owner = _answering_organisation(user, comment, organisation)
    reply = OfficialReply.objects.create(comment=comment, organisation=owner, author=user, text=text)
    return _route_reply(user, reply, request_approval)


@transaction.atomic
def do_revise_reply(user, reply, text, *, request_approval=False):
    """Rewrite a returned (or waiting) reply; it is checked again."""
    reply = OfficialReply.objects.select_for_update().get(pk=reply.pk)
    access_reply(user, reply, "revise")
    if reply.status == ReplyStatus.PUBLISHED:
        raise InteractionError("published", _("A published reply cannot be changed."))
    reply.text, reply.return_note = check_reply_text(text), ""
    return _route_reply(user, reply, request_approval)


@transaction.atomic
def do_approve_reply(user, reply):
    """A reviewer of the replying organisation publishes a waiting reply."""
    reply = OfficialReply.objects.select_for_update().get(pk=reply.pk)
    access_reply(user, reply, "approve")
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise InteractionError("not_pending", _("This reply is not waiting for approval."))
    _publish(reply, user, approved_by=user)
    log(instance=reply, action="civichall.reply.approve", user=user)
    return reply


@transaction.atomic
def do_return_reply(user, reply, note):
    """A reviewer sends a waiting reply back to its writer with a note."""
    reply = OfficialReply.objects.select_for_update().get(pk=reply.pk)
    access_reply(user, reply, "approve")
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise InteractionError("not_pending", _("This reply is not waiting for approval."))
    reply.status, reply.return_note = ReplyStatus.RETURNED, _check_reason(note)
    reply.save(update_fields=["status", "return_note", "updated_at"])
    log(instance=reply, action="civichall.reply.return", user=user, data={"note": reply.return_note})
    return reply


def do_promote_reply(user, reply, title=None):
    """Turn a published answer into a follow-up supplement on the article,
    linking back to the question, and submit it for review."""
    from civichall.content.actions import do_add_supplement
    from civichall.content.models import SupplementKind

    with transaction.atomic():
        reply = OfficialReply.objects.select_for_update().select_related("comment__article").get(pk=reply.pk)
        access_reply(user, reply, "promote")
        article = reply.comment.article
        if reply.status != ReplyStatus.PUBLISHED:
            raise InteractionError("not_published", _("Only a published answer can become a supplement."))
        if reply.supplement_id:
            raise InteractionError("already_promoted", _("This answer is already a supplement."))
        comment = reply.comment
        asked = comment.public_text or comment.text
        title = (title or "").strip() or _("Answer in the comments: %(q)s") % {"q": _excerpt(asked, 30)}
        body = "".join(
            f"<p>{html.escape(line)}</p>" for line in
            [_("Question: %(q)s") % {"q": asked}, _("Answer: %(a)s") % {"a": reply.text}] if line
        )
        supplement = do_add_supplement(user, article, title=title, text=body, kind=SupplementKind.FOLLOW_UP,
                                       slug=f"comment-answer-{reply.pk}", source_url=comment.public_url())
        reply.supplement = supplement
        reply.save(update_fields=["supplement", "updated_at"])
        log(instance=reply, action="civichall.reply.promote", user=user, data={"supplement": supplement.pk})
    return supplement


def _excerpt(text, n):
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- questions: staff actions -----------------------------------------------------------------


@transaction.atomic
def do_mark_question(user, comment):
    """Staff mark a comment as a question (or mark an un-marked one again)."""
    comment = _locked(comment)
    access_comment(user, comment, "mark")
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.HELD, CommentStatus.DELETED):
        raise InteractionError("not_markable", _("Moderate this comment first."))
    question = Question.objects.select_for_update().filter(comment=comment).first()
    if question is None:
        question = _detect_question(comment, user=user, force=True)
    elif question.state == QuestionState.UNMARKED:
        access_question(user, question, "mark")
        question.state = lifecycle.next_state(question.state, "mark")
        question.marked_by, question.unmark_reason = user, ""
        question.save()
    else:
        return question
    QuestionNote.objects.create(question=question, author=user, kind=NoteKind.MARK,
                                text=_("Marked as a question."))
    log(instance=question, action="civichall.question.mark", user=user)
    return question


def _transition(question, event, **facts):
    try:
        return lifecycle.next_state(question.state, event, question_id=question.pk,
                                    organisation=question.organisation_id, **facts)
    except lifecycle.TransitionError as error:
        messages = {
            "ended": _("This question has already ended (%(state)s).") % {
                "state": question.get_state_display()},
            "no_reason": _("Please write the reason in at least 5 characters."),
            "no_where_to_go": _("Say where the asker can go instead (at least 5 characters)."),
            "no_duplicate": _("Choose the question this one duplicates."),
            "self_duplicate": _("A question cannot duplicate itself."),
            "bad_duplicate": _("The original question must be open or answered."),
            "same_organisation": _("Choose another organisation."),
        }
        message = messages.get(error.code, _("This cannot be done to the question now."))
        if error.code in ("ended", "not_allowed"):
            raise InteractionError(error.code, message) from error
        raise ValidationError(message) from error


def _locked_question(question):
    return Question.objects.select_for_update().select_related("comment__article").get(pk=question.pk)


@transaction.atomic
def do_unmark_question(user, question, reason):
    """Not a question after all: needs a reason, only before any answer; the
    record stays (state ``unmarked``) and can be marked again."""
    question = _locked_question(question)
    access_question(user, question, "unmark")
    question.state = _transition(question, "unmark", reason=reason)
    question.unmark_reason = reason.strip()[:MAX_NOTE_LENGTH]
    question.save()
    QuestionNote.objects.create(question=question, author=user, kind=NoteKind.MARK,
                                text=_("Un-marked: %(reason)s") % {"reason": question.unmark_reason})
    log(instance=question, action="civichall.question.unmark", user=user,
        data={"reason": question.unmark_reason})
    return question


@transaction.atomic
def do_assign_question(user, question, organisation, note):
    """Hand a question to another organisation with a note; its clock keeps
    running from when the citizen asked."""
    question = _locked_question(question)
    access_question(user, question, "assign")
    if organisation is None:
        raise ValidationError(_("Choose an organisation."))
    question.state = _transition(question, "reassign", new_organisation=organisation.pk, reason=note)
    previous = question.organisation
    question.organisation, question.routed_by, question.routing_rule = organisation, RoutedBy.STAFF, None
    question.escalated_at = None
    question.save()
    QuestionNote.objects.create(
        question=question, author=user, kind=NoteKind.REASSIGN,
        text=_("Reassigned from %(old)s to %(new)s: %(note)s") % {
            "old": previous, "new": organisation, "note": note.strip()[:MAX_NOTE_LENGTH]},
    )
    log(instance=question, action="civichall.question.assign", user=user,
        data={"from": previous.slug, "to": organisation.slug, "note": note.strip()})
    return question


CLOSE_KINDS = ("duplicate", "out_of_scope")


@transaction.atomic
def do_close_question(user, question, kind, *, duplicate_of=None, where_to_go="", public_reason=""):
    """Close a question with a public reason: a duplicate of another question
    (linked), or out of scope with where to go instead. The asker is told."""
    question = _locked_question(question)
    access_question(user, question, "close")
    if kind not in CLOSE_KINDS:
        raise ValidationError(_("Choose how to close: duplicate or out of scope."))
    public_reason = (public_reason or "").strip()[:MAX_NOTE_LENGTH]
    if kind == "duplicate":
        original = Question.objects.filter(pk=getattr(duplicate_of, "pk", duplicate_of)).first()
        question.state = _transition(
            question, "close_duplicate", duplicate_of_id=getattr(original, "pk", None),
            duplicate_of_state=getattr(original, "state", None),
        )
        question.duplicate_of = original
        public_reason = public_reason or _("The same question was asked and is answered here.")
    else:
        question.state = _transition(question, "close_out_of_scope", where_to_go=where_to_go)
        question.where_to_go = where_to_go.strip()[:MAX_NOTE_LENGTH]
        public_reason = public_reason or _("This is not something this account can answer.")
    question.public_reason, question.closed_at, question.closed_by = public_reason, timezone.now(), user
    question.save()
    log(instance=question, action="civichall.question.close", user=user,
        data={"kind": kind, "reason": public_reason, "duplicate_of": question.duplicate_of_id,
              "where_to_go": question.where_to_go})
    citizen = question.comment.citizen
    if citizen is not None:
        text = _("Your question was closed: %(reason)s") % {"reason": public_reason}
        if question.where_to_go:
            text += " " + _("Where to go: %(where)s") % {"where": question.where_to_go}
        notify_citizen(citizen, "question_closed", text, question.comment.public_url())
    return question


@transaction.atomic
def do_add_note(user, question, text):
    """An internal note, read only by staff of the owning organisation."""
    access_question(user, question, "note")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The note is empty."))
    return QuestionNote.objects.create(question=question, author=user, text=text[:MAX_NOTE_LENGTH])


# --- the clock --------------------------------------------------------------------------------


def escalate_overdue_questions(now=None):
    """Escalate every open question past its organisation's first-answer time
    (once each): an internal note, the audit log, and a notice on the
    dashboards of the organisation's reviewers. Safe to run on several
    workers at once. Returns the questions escalated."""
    now = now or timezone.now()
    escalated = []
    orgs = Question.objects.filter(state=QuestionState.OPEN, escalated_at__isnull=True).values_list(
        "organisation_id", flat=True).distinct()
    for org_id in set(orgs):
        hours = interaction_settings(org_id).first_answer_hours
        cutoff = now - timezone.timedelta(hours=hours)
        overdue = Question.objects.filter(organisation_id=org_id, state=QuestionState.OPEN,
                                          escalated_at__isnull=True, asked_at__lte=cutoff)
        for question in overdue:
            with transaction.atomic():
                taken = Question.objects.filter(pk=question.pk, escalated_at__isnull=True,
                                                state=QuestionState.OPEN).update(escalated_at=now)
                if not taken:
                    continue
                QuestionNote.objects.create(
                    question=question, kind=NoteKind.ESCALATION, created_at=now,
                    text=_("Overdue: no answer within %(hours)d hours; the reviewers were alerted.")
                    % {"hours": hours},
                )
                log(instance=question, action="civichall.question.escalate", data={"hours": hours})
            escalated.append(question)
    return escalated
