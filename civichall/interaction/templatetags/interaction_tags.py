"""``{% comment_area page %}``: the comment area under an article."""

from django import template
from django.core.paginator import Paginator

from .. import actions
from ..personal import remember
from ..public import liked_ids, public_threads, thread_items, viewer

register = template.Library()

COMMENTS_PER_PAGE = 20


@register.inclusion_tag("interaction/comment_area.html", takes_context=True)
def comment_area(context, page):
    """Visible comments (featured first) with their threads, the form for a
    signed-in citizen (a sign-in link otherwise), the author's own comments
    that are not public yet, and a notice when comments are closed."""
    return comment_area_context(context.get("request"), page)


def comment_area_context(request, page):
    """What the comment area shows ``request``'s reader under ``page``; the
    parts that differ per reader are rendered by ``interaction/personal.py``
    with the marks worked out here."""
    citizen = viewer(request) if request is not None else None
    paginator = Paginator(public_threads(page), COMMENTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("comments_page") if request is not None else 1)
    threads = thread_items(page_obj.object_list)
    comments = [root for root, _t in threads] + [e.obj for _r, t in threads for e in t if not e.is_reply]
    is_open = actions.comments_are_open(page, withdrawal="as_loaded")
    follow_up = {root.pk for root, thread in threads
                 if is_open and citizen and root.citizen_id == citizen.pk and any(e.is_reply for e in thread)}
    remember(request, citizen, liked=liked_ids(citizen, [c.pk for c in comments]),
             editable=actions.editable_comment_ids(citizen, comments), follow_up=follow_up)
    return {
        "request": request, "page": page, "citizen": citizen, "open": is_open, "threads": threads,
        "page_obj": page_obj, "count": paginator.count,
    }
