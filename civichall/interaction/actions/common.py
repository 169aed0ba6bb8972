"""What every action of the comment area shares: limits, the refusal type,
input checks (text, rate limits, the article and thread a comment joins)
and row locks."""

import hashlib
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civichall.accounts.citizens import RateLimited
from civichall.core.config import setting
from civichall.core.errors import Refusal
from civichall.core.ratelimit import hit_all
from civichall.core.reasons import MIN_REASON  # noqa: F401 (re-exported)
from civichall.core.text import drop_invisible

from .. import comment_lifecycle
from ..models import (
    Comment,
    OfficialReply,
    OrganisationInteractionSettings,
    ReplyStatus,
)

logger = logging.getLogger("civichall.interaction")


MAX_COMMENT_LENGTH = 500
MAX_REPLY_LENGTH = 2000
MAX_NOTE_LENGTH = 2000



class InteractionError(Refusal):
    """A refusal of the comment area: by default 409, not possible in the
    current state (``code`` for machines, ``message`` for people)."""

    status = 409


def _rate(name):
    """A rate limit's setting (declared with its default in core.config)."""
    return setting(name)


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


def comments_are_open(article, *, withdrawal="ask"):
    """True if citizens may comment under ``article`` now.

    ``withdrawal`` says how the article's withdrawal is known: ``"ask"`` the
    database afresh (an action); ``"as_loaded"``, the one fetched with the
    page (a page being rendered); ``"caller"``, left to the caller, who asks
    in the statement that stores the comment.
    """
    article = getattr(article, "specific", article)
    from civichall.content.models import ArticlePage, Withdrawal

    if not isinstance(article, ArticlePage) or not article.live:
        return False
    if withdrawal == "as_loaded":
        if article.withdrawal_record is not None:
            return False
    elif withdrawal == "ask" and Withdrawal.objects.filter(page_id=article.pk).exists():
        return False
    return bool(article.comments_open)


def _check_article(article, *, withdrawal=True):
    """``article`` if it is live and open to comments, else InteractionError.
    ``withdrawal=False``: the caller asks about a withdrawal itself (in the
    statement that stores the comment)."""
    from civichall.content.models import ArticlePage

    article = getattr(article, "specific", article)
    if not isinstance(article, ArticlePage) or not article.live:
        raise InteractionError("not_found", _("This article does not exist."), 404)
    if not comments_are_open(article, withdrawal="ask" if withdrawal else "caller"):
        raise comments_closed()
    return article


def comments_closed():
    """The refusal of a comment under an article that takes none."""
    return InteractionError("comments_closed", _("Comments are closed on this article."), 403)


def _address_hash(address):
    if not address:
        return ""
    key = f"{settings.SECRET_KEY}:{address}".encode()
    return hashlib.sha256(key).hexdigest()


def check_rate(citizen, address=""):
    """Count one comment; RateLimited with a clear message when over the
    limit. A comment refused by one limit is not counted by the other."""
    limit = _rate("CIVICHALL_COMMENTS_PER_MINUTE")
    message = _("You are commenting too fast: at most %(n)d comments a minute. "
                "Please wait a moment and try again.") % {"n": limit}
    address_limit = _rate("CIVICHALL_COMMENTS_PER_MINUTE_PER_ADDRESS")
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
    if not comment_lifecycle.allows(root.status, "follow_up"):
        code, message = comment_lifecycle.refusal("follow_up")
        raise InteractionError(code, _(message), 409)
    return root


def _thread_ids(root):
    return [root.pk, *root.follow_ups.values_list("pk", flat=True)]



def _locked(comment):
    return Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
