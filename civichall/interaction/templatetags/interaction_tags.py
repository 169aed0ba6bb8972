"""``{% comment_area page %}``: the comment area under an article."""

import uuid

from django import template
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from civichall.notify.services import unread_count

from .. import actions
from ..models import ReportReason
from ..public import liked_ids, own_pending, public_threads, thread_items, viewer

register = template.Library()

COMMENTS_PER_PAGE = 20
DRAFT_KEY = "civichall_comment_draft"


@register.inclusion_tag("interaction/comment_area.html", takes_context=True)
def comment_area(context, page):
    """Visible comments (featured first) with their threads, the form for a
    signed-in citizen (a sign-in link otherwise), the author's own comments
    that are not public yet, and a notice when comments are closed."""
    return comment_area_context(context.get("request"), page, context.get("csrf_token"))


def render_comment_area(request, key, obj=None):
    """The comment area of the article ``key`` (``obj`` when at hand) for
    ``request``'s reader: the personal part ``comment_area`` of the article
    page (``core/personal_parts.py``)."""
    from civichall.content.models import ArticlePage

    page = obj if obj is not None else ArticlePage.route_queryset().get(pk=key)
    # A form token only for a citizen's form: it sets a cookie, and a page
    # that sets one is never kept for anonymous readers.
    token = get_token(request) if request is not None and viewer(request) is not None else None
    return render_to_string("interaction/comment_area.html", comment_area_context(request, page, token))


def comment_area_context(request, page, csrf_token):
    """What the comment area shows ``request``'s reader under ``page``."""
    citizen = viewer(request) if request is not None else None
    paginator = Paginator(public_threads(page), COMMENTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("comments_page") if request is not None else 1)
    threads = thread_items(page_obj.object_list)
    ids = [root.pk for root, _thread in threads] + [e.obj.pk for _r, t in threads for e in t if not e.is_reply]
    draft = ""
    if request is not None and hasattr(request, "session"):
        draft = request.session.pop(DRAFT_KEY, "") if DRAFT_KEY in request.session else ""
    mine = []
    for comment in own_pending(page, citizen):
        level, message = actions.comment_outcome(comment)
        mine.append({"comment": comment, "level": level, "message": message})
    return {
        "request": request, "page": page, "citizen": citizen, "open": actions.comments_are_open(page, as_loaded=True),
        "threads": [
            (root, thread, bool(citizen) and root.citizen_id == citizen.pk and any(e.is_reply for e in thread))
            for root, thread in threads
        ],
        "page_obj": page_obj, "count": paginator.count, "liked": liked_ids(citizen, ids), "mine": mine,
        "editable": actions.editable_comment_ids(
            citizen, [root for root, _t in threads] + [e.obj for _r, t in threads for e in t if not e.is_reply]),
        "max_length": actions.MAX_COMMENT_LENGTH, "client_key": uuid.uuid4().hex, "draft": draft,
        "report_reasons": ReportReason.choices, "csrf_token": csrf_token,
        "unread": unread_count(citizen) if citizen else 0,
    }
