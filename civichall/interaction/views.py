"""The public comment area's forms (plain POST, no JavaScript needed).

Thin: find the objects, call ``actions``, tell the citizen what happened
with a message, go back to the article. A draft that could not be posted
(too long, too fast) is kept in the session and put back in the form.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civichall.core.errors import REFUSALS, as_refusal, refusal_message
from civichall.core.inputs import int_or_none
from civichall.core.ratelimit import client_address

from . import actions
from .models import Comment
from .personal import DRAFT_KEY
from .public import viewer

MAX_ID = 2**63 - 1
LEVELS = {"success": messages.SUCCESS, "info": messages.INFO, "error": messages.ERROR}


def _article(article_id):
    from civichall.content.models import ArticlePage

    if not 0 < article_id <= MAX_ID:
        raise Http404
    return get_object_or_404(ArticlePage.objects.live().public(), pk=article_id)


def _comment(comment_id):
    if not 0 < comment_id <= MAX_ID:
        raise Http404
    return get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)


def _back(article, anchor="comments"):
    return redirect(f"{article.url}#{anchor}")


def _sign_in(article):
    return redirect(f"/citizen/sign-in/?{urlencode({'next': article.url})}")


@require_POST
def post_comment(request, article_id):
    """Post a comment (or a follow-up in one's own thread)."""
    article = _article(article_id)
    citizen = viewer(request)
    if citizen is None:
        return _sign_in(article)
    text = request.POST.get("text", "")
    parent = None
    parent_id = int_or_none(request.POST.get("parent"))
    if parent_id is not None:
        parent = _comment(parent_id)
    try:
        comment = actions.do_post_comment(
            citizen, article, text, parent=parent, address=client_address(request),
            client_key=request.POST.get("client_key") or None,
        )
    except REFUSALS as error:
        messages.error(request, refusal_message(error) or _("Your comment could not be posted."))
        request.session[DRAFT_KEY] = text[:5000]
        return _back(article, "comment-form")
    level, message = actions.comment_outcome(comment)
    messages.add_message(request, LEVELS[level], message)
    return _back(article, f"comment-{comment.pk}")


@require_POST
def like(request, comment_id):
    comment = _comment(comment_id)
    citizen = viewer(request)
    if citizen is None:
        return _sign_in(comment.article)
    try:
        actions.do_like(citizen, comment, request.POST.get("like", "1") != "0")
    except PermissionDenied:
        messages.error(request, _("This comment cannot be liked."))
    return _back(comment.article, f"comment-{comment.pk}")


@require_POST
def report(request, comment_id):
    comment = _comment(comment_id)
    citizen = viewer(request)
    if citizen is None:
        return _sign_in(comment.article)
    try:
        actions.do_report(citizen, comment, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("This comment cannot be reported."))
    else:
        messages.success(request, _("Thank you: the report was received and will be looked at."))
    return _back(comment.article, f"comment-{comment.pk}")


@require_http_methods(["GET", "POST"])
def edit(request, comment_id):
    """Edit one's own comment (within the edit window, before any reply)."""
    comment = _comment(comment_id)
    citizen = viewer(request)
    if citizen is None:
        return _sign_in(comment.article)
    if comment.citizen_id != citizen.pk:
        raise PermissionDenied
    error, text, status = None, comment.text, 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            comment = actions.do_edit_comment(citizen, comment, text)
        except REFUSALS as refused:
            refusal = as_refusal(refused)
            error, status = str(refusal.message), 429 if refusal.status == 429 else 400
        else:
            level, message = actions.comment_outcome(comment)
            messages.add_message(request, LEVELS[level], message)
            return _back(comment.article, f"comment-{comment.pk}")
    return render(request, "interaction/edit.html", {
        "comment": comment, "text": text, "error": error, "max_length": actions.MAX_COMMENT_LENGTH,
    }, status=status)


@require_http_methods(["GET", "POST"])
def delete(request, comment_id):
    """Delete one's own comment, after a confirmation."""
    comment = _comment(comment_id)
    citizen = viewer(request)
    if citizen is None:
        return _sign_in(comment.article)
    if comment.citizen_id != citizen.pk:
        raise PermissionDenied
    if request.method == "POST":
        actions.do_delete_comment(citizen, comment)
        messages.success(request, _("Your comment was deleted."))
        return _back(comment.article)
    return render(request, "interaction/delete.html", {"comment": comment})
