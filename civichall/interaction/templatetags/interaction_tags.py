"""``{% comment_area page %}``: the comment area under an article."""

import uuid

from django import template
from django.core.paginator import Paginator

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
    request = context.get("request")
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
        "request": request, "page": page, "citizen": citizen, "open": actions.comments_are_open(page),
        "threads": [
            (root, thread, bool(citizen) and root.citizen_id == citizen.pk and any(e.is_reply for e in thread))
            for root, thread in threads
        ],
        "page_obj": page_obj, "count": paginator.count, "liked": liked_ids(citizen, ids), "mine": mine,
        "editable": actions.editable_comment_ids(
            citizen, [root for root, _t in threads] + [e.obj for _r, t in threads for e in t if not e.is_reply]),
        "max_length": actions.MAX_COMMENT_LENGTH, "client_key": uuid.uuid4().hex, "draft": draft,
        "report_reasons": ReportReason.choices, "csrf_token": context.get("csrf_token"),
        "unread": unread_count(citizen) if citizen else 0,
    }
