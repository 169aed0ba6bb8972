"""The comment area's personal parts (``core/personal_parts.py``).

The list of comments under an article is the same for every reader; what
differs is small and marked in the templates as parts:

* ``comment_form`` (key: the article) -- the form, or the sign-in link or
  the closed notice; the citizen's notifications link and their own comments
  not shown publicly;
* ``comment_actions`` (key: a comment) -- "Like" (a form with the citizen's
  state, a sign-in link otherwise), "Edit"/"Delete" on their own comment,
  "Report" on others';
* ``follow_up`` (key: a thread's first comment) -- the follow-up form, for
  the thread's author once the account replied in it.

A signed-in citizen who opens a cached article gets the cached list with
these parts rendered for them: the per-comment parts are loaded together
(``prepare_*``: a query or two for the whole page), not one by one. A page
rendered in full sets the same marks from what it loaded already
(:func:`remember`), so no part asks again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from civichall.notify.services import unread_count

from . import actions
from .models import Comment, OfficialReply, ReplyStatus, ReportReason
from .public import liked_ids, own_pending, viewer

__all__ = ["prepare_actions", "prepare_follow_up", "remember", "render_actions", "render_follow_up",
           "render_form"]

DRAFT_KEY = "civichall_comment_draft"


@dataclass
class Marks:
    """What the personal parts of one request show: the citizen's likes, the
    comments they may edit, the threads they may follow up in."""

    citizen: object = None
    liked: set = field(default_factory=set)
    editable: set = field(default_factory=set)
    follow_up: set = field(default_factory=set)
    loaded: set = field(default_factory=set)  # the parts whose objects were loaded together
    token: str | None = None


def remember(request, citizen, liked=(), editable=(), follow_up=()):
    """Keep the marks a full render of the comment area worked out, for its parts."""
    if request is not None:
        request._comment_marks = Marks(citizen, set(liked), set(editable), set(follow_up))


def _marks(request):
    marks = getattr(request, "_comment_marks", None) if request is not None else None
    if marks is None:
        marks = Marks(viewer(request) if request is not None else None)
        if request is not None:
            request._comment_marks = marks
    return marks


def _token(request, citizen):
    # A form token only for a citizen's form: it sets a cookie, and a page
    # that sets one is never kept for anonymous readers. One per request, as
    # a page rendered in full has.
    if citizen is None or request is None:
        return None
    marks = _marks(request)
    if marks.token is None:
        marks.token = get_token(request)
    return marks.token


# --- the form, the notifications link, the citizen's own comments ------------------------------


def _article_state(key):
    """The article ``key`` as the form needs it (its id, whether comments are
    open), in one light query; None when it is not there."""
    from civichall.content.models import ArticlePage, Withdrawal

    row = (ArticlePage.objects.filter(pk=key)
           .annotate(withdrawn=Exists(Withdrawal.objects.filter(page_id=OuterRef("pk"))))
           .values("pk", "live", "comments_open", "withdrawn").first())
    if row is None:
        return None
    return SimpleNamespace(pk=row["pk"], open=row["live"] and row["comments_open"] and not row["withdrawn"])


def render_form(request, key, obj=None):
    """The part ``comment_form`` of the article ``key`` (``obj`` when at hand)."""
    if obj is not None:
        page = SimpleNamespace(pk=obj.pk, open=actions.comments_are_open(obj, withdrawal="as_loaded"))
    else:
        page = _article_state(key)
    if page is None:
        return ""
    citizen = _marks(request).citizen
    draft = ""
    session = getattr(request, "session", None)
    if citizen is not None and session is not None and DRAFT_KEY in session:
        draft = session.pop(DRAFT_KEY, "")
    mine = []
    for comment in own_pending(page.pk, citizen):
        level, message = actions.comment_outcome(comment)
        mine.append({"comment": comment, "level": level, "message": message})
    return render_to_string("interaction/includes/comment_form.html", {
        "request": request, "page": page, "citizen": citizen, "open": page.open, "mine": mine, "draft": draft,
        "max_length": actions.MAX_COMMENT_LENGTH, "client_key": uuid.uuid4().hex,
        "unread": unread_count(citizen, request) if citizen else 0, "csrf_token": _token(request, citizen),
    })


# --- like, edit, delete, report under each comment ---------------------------------------------


def prepare_actions(request, keys):
    """The comments ``keys`` with the citizen's likes and editable ones, loaded together."""
    marks = _marks(request)
    marks.loaded.add("comment_actions")
    ids = [int(k) for k in keys if k.isdigit()]
    comments = {str(c.pk): c for c in Comment.objects.filter(pk__in=ids).only(
        "id", "article_id", "citizen_id", "status", "likes_count", "created_at")}
    citizen = marks.citizen
    if citizen is not None:
        marks.liked = liked_ids(citizen, ids)
        own = [c.pk for c in comments.values() if c.citizen_id == citizen.pk]
        if own:
            marks.editable = actions.editable_comment_ids(
                citizen, Comment.objects.filter(pk__in=own).select_related("article"))
    return comments


def render_actions(request, key, obj=None):
    """The part ``comment_actions`` of the comment ``key``."""
    marks = _marks(request)
    comment = obj
    if comment is None and "comment_actions" not in marks.loaded:  # rendered on its own
        comment = prepare_actions(request, [str(key)]).get(str(key))
    if comment is None or comment.status != "visible":  # gone since the page was kept
        return ""
    citizen = marks.citizen
    return render_to_string("interaction/includes/comment_actions.html", {
        "request": request, "c": comment, "citizen": citizen, "liked": comment.pk in marks.liked,
        "editable": comment.pk in marks.editable, "report_reasons": ReportReason.choices,
        "csrf_token": _token(request, citizen),
    })


# --- the follow-up form of a thread --------------------------------------------------------------


def _answered_threads(roots):
    """The ids of ``roots`` with a published official reply in their thread."""
    ids = [r.pk for r in roots]
    replies = OfficialReply.objects.filter(
        Q(comment_id__in=ids) | Q(comment__parent_id__in=ids), status=ReplyStatus.PUBLISHED,
    ).values_list("comment_id", "comment__parent_id")
    return {parent or comment for comment, parent in replies}


def prepare_follow_up(request, keys):
    """The threads of ``keys`` the citizen started, loaded together (none: one query)."""
    marks = _marks(request)
    marks.loaded.add("follow_up")
    if marks.citizen is None:
        return {}
    roots = list(Comment.objects.filter(pk__in=[int(k) for k in keys if k.isdigit()], citizen=marks.citizen,
                                        parent__isnull=True).select_related("article"))
    if roots:
        answered = _answered_threads(roots)
        marks.follow_up = {r.pk for r in roots if r.pk in answered
                           and actions.comments_are_open(r.article)}
    return {str(r.pk): r for r in roots}


def render_follow_up(request, key, obj=None):
    """The part ``follow_up`` of the thread ``key``: its author's form once answered."""
    marks = _marks(request)
    if marks.citizen is None:
        return ""
    root = obj
    if root is None and "follow_up" not in marks.loaded:  # rendered on its own
        root = prepare_follow_up(request, [str(key)]).get(str(key))
    if root is None or root.pk not in marks.follow_up:
        return ""
    return render_to_string("interaction/includes/follow_up.html", {
        "root": root, "max_length": actions.MAX_COMMENT_LENGTH, "client_key": uuid.uuid4().hex,
        "csrf_token": _token(request, marks.citizen),
    })
