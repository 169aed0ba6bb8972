"""The comment area's API: public reading, citizens' comments, staff queues.

Thin: parse, call ``actions`` (which validate and authorise through
``permissions``), shape the JSON. Errors have the API's one shape
(``{"error": {"code", "message", "fields"?}}``), in Chinese unless the client
sends ``Accept-Language: en``.

* public -- ``GET /articles/{id}/comments``: visible comments, featured first,
  each with its thread (follow-ups and official replies), paginated;
* citizens (``citizen_token``) -- post, edit, delete, like, report, their own
  comments;
* staff (``staff_token``) -- the moderation queue, moderate, feature, hide,
  reply (tone-checked), approve / return / promote replies, mark and un-mark
  questions, the question queue, assign, close with a reason, internal notes.
"""

from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from civichall.accounts import policy
from civichall.accounts.api_auth import citizen_token, optional_citizen, staff_token
from civichall.accounts.models import Organisation
from civichall.core.api_pagination import PagePagination, paginate, shaped, with_members
from civichall.core.api_schemas import InputSchema
from civichall.core.errors import Refusal
from civichall.core.ratelimit import client_address
from civichall.safety.services import reason_message

from . import actions, public
from .models import Comment, OfficialReply, Question
from .permissions import access_comment, access_question, can, read_comment_text
from .queues import moderation_queryset, question_queue, with_sla

router = Router(tags=["comments"])
staff_router = Router(tags=["comment moderation"], auth=staff_token)

MAX_ID = 2**63 - 1


def _get(model_qs, pk):
    if not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(model_qs, pk=pk)


def _staff_get(user, kind, model_qs, pk):
    """An object a staff member may see, else 404 -- the same answer as for
    one that does not exist, so ids reveal nothing."""
    return _get(policy.filter_allowed(user, kind, "view", model_qs), pk)


# Actions refuse with ``Refusal`` (``InteractionError``, ``RateLimited``), ``ValidationError``
# or ``PermissionDenied``; the API's error handlers answer each in the one shape.


# --- public ------------------------------------------------------------------------------------


@router.get("/articles/{article_id}/comments", auth=optional_citizen, response=list[dict],
            summary="An article's comments and official replies")
@paginate(PagePagination)
def list_comments(request, article_id: int):
    """Visible comments under a published article, featured first, each with
    its thread: follow-ups by the author and official replies in the
    account's name, oldest first. With a citizen token, the caller's own
    comments that are not (yet) public are listed too, under ``mine``."""
    from civichall.content.models import ArticlePage

    article = _get(ArticlePage.objects.live().public(), article_id)
    citizen = request.auth if getattr(request.auth, "pk", None) else None  # or AnonymousCitizen
    members = {"article": {"id": article.pk, "title": article.title,
                           "comments_open": actions.comments_are_open(article)}}
    if citizen:
        members["mine"] = [public.own_comment_json(c) for c in public.own_pending(article, citizen)]
    return with_members(_Threads(public.public_threads(article), citizen), members)


class _Threads:
    """The visible root comments, each page of them with its threads (loaded for the page at once)."""

    def __init__(self, roots, citizen):
        self.roots, self.citizen = roots, citizen

    def count(self):
        return self.roots.count()

    def __getitem__(self, page):
        items = public.thread_items(list(self.roots[page]))
        return [public.comment_json(c, thread, self.citizen) for c, thread in items]


# --- citizens ------------------------------------------------------------------------------------


class CommentIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=5000, description=f"plain text, at most {actions.MAX_COMMENT_LENGTH} "
                      "characters (emoji welcome; HTML is shown as text)")
    parent_id: int | None = Field(None, ge=1, le=MAX_ID,
                                  description="follow up in the thread of your own comment "
                                  "(after the account replied)")
    client_key: str | None = Field(None, max_length=64,
                                   description="your idempotency key: a retry with the same key "
                                   "returns the same comment")


class TextIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=5000)


class ReportIn(InputSchema):
    reason: Literal["spam", "offensive", "off_topic"]


def _posted(comment):
    level, message = actions.comment_outcome(comment)
    return {"comment": public.own_comment_json(comment), "outcome": level, "message": str(message)}


@router.post("/articles/{article_id}/comments", auth=citizen_token, response={201: dict},
             summary="Post a comment (citizens)")
def post_comment(request, article_id: int, data: CommentIn):
    """Stored first, then checked: the answer says whether it is published,
    waiting (review or featuring) or blocked, and why. At most 5 a minute."""
    from civichall.content.models import ArticlePage

    article = _get(ArticlePage.objects.all(), article_id)
    parent = _get(Comment.objects.all(), data.parent_id) if data.parent_id else None
    comment = actions.do_post_comment(request.auth, article, data.text, parent=parent,
                    address=client_address(request), client_key=data.client_key)
    return Status(201, _posted(comment))


@router.get("/citizen/comments", auth=citizen_token, response=list[dict], summary="My comments (citizens)")
@paginate(PagePagination)
def my_comments(request):
    """The caller's comments, newest first, with their status and question state."""
    qs = Comment.objects.filter(citizen=request.auth).select_related("article").order_by("-created_at", "-id")
    return shaped(qs, public.own_comment_json)


@router.patch("/comments/{comment_id}", auth=citizen_token, summary="Edit my comment (citizens)")
def edit_comment(request, comment_id: int, data: TextIn):
    """Within the edit window and before any official reply; checked again."""
    comment = _get(Comment.objects.all(), comment_id)
    return _posted(actions.do_edit_comment(request.auth, comment, data.text))


@router.delete("/comments/{comment_id}", auth=citizen_token, summary="Delete my comment (citizens)")
def delete_comment(request, comment_id: int):
    """Removed from public view (kept for audit)."""
    comment = _get(Comment.objects.all(), comment_id)
    actions.do_delete_comment(request.auth, comment)
    return {"deleted": True}


@router.post("/comments/{comment_id}/like", auth=citizen_token, summary="Like a comment (citizens)")
def like(request, comment_id: int):
    comment = _get(Comment.objects.all(), comment_id)
    return {"likes": actions.do_like(request.auth, comment, True), "liked": True}


@router.delete("/comments/{comment_id}/like", auth=citizen_token, summary="Unlike a comment (citizens)")
def unlike(request, comment_id: int):
    comment = _get(Comment.objects.all(), comment_id)
    return {"likes": actions.do_like(request.auth, comment, False), "liked": False}


@router.post("/comments/{comment_id}/reports", auth=citizen_token, response={201: dict},
             summary="Report a comment (citizens)")
def report(request, comment_id: int, data: ReportIn):
    """Spam, offensive or off topic; after enough reports it is hidden pending review."""
    comment = _get(Comment.objects.all(), comment_id)
    actions.do_report(request.auth, comment, data.reason)
    return Status(201, {"reported": True})


# --- staff -----------------------------------------------------------------------------------------


def _reasons(reasons):
    return [{"code": r.get("code"), "message": reason_message(r)} for r in reasons or []]


def _unmasked(user, comment, purpose):
    """The comment as written when ``user`` may read it (logged for the
    citizen), else as published (masked)."""
    if can(access_comment, user, comment, "view_raw"):
        return read_comment_text(user, comment, purpose)
    return comment.public_text


def _staff_comment(comment, user):
    return {
        "id": comment.pk, "article_id": comment.article_id, "article_title": comment.article.title,
        "author": comment.author_name, "text": _unmasked(user, comment, "staff api"),
        "public_text": comment.public_text,
        "status": comment.status, "status_label": str(comment.get_status_display()),
        "featured": comment.featured, "likes": comment.likes_count, "reports": comment.reports_count,
        "safety_reasons": _reasons((comment.safety or {}).get("reasons")),
        "created_at": comment.created_at, "parent_id": comment.parent_id,
    }


def _reply_json(reply):
    return {
        "id": reply.pk, "comment_id": reply.comment_id, "organisation": reply.organisation.slug,
        "account": reply.organisation.display_account_name, "text": reply.text,
        "status": reply.status, "status_label": str(reply.get_status_display()),
        "tone_decision": (reply.tone or {}).get("decision"),
        "tone_reasons": _reasons(reply.tone_reasons()), "return_note": reply.return_note,
        "published_at": reply.published_at,
        "supplement_id": reply.supplement_id,
    }


def _question_json(question, user, sla_state=None, due_at=None):
    body = {
        "id": question.pk, "comment_id": question.comment_id, "article_id": question.comment.article_id,
        "text": _unmasked(user, question.comment, "staff api"), "author": question.comment.author_name,
        "organisation": question.organisation.slug, "state": question.state,
        "state_label": str(question.get_state_display()), "detected": question.detected,
        "cues": question.cues.split(), "routed_by": question.routed_by,
        "routing_rule": question.routing_rule.name if question.routing_rule_id else None,
        "asked_at": question.asked_at, "first_answer_at": question.first_answer_at,
        "sla_state": sla_state if sla_state is not None else question.sla_state(),
        "due_at": due_at or question.due_at(), "public_reason": question.public_reason,
        "duplicate_of": question.duplicate_of_id, "where_to_go": question.where_to_go,
        "follows": question.follows_id, "escalated_at": question.escalated_at,
    }
    return body


def _staff_user(request):
    return request.user


@staff_router.get("/moderation/comments", response=list[dict], summary="Moderation queue (staff)")
@paginate(PagePagination)
def moderation_queue(request):
    """Comments waiting for a person under your organisations' articles:
    not yet checked (the check failed), flagged by the check, or hidden after
    reports. Oldest first."""
    return shaped(moderation_queryset(_staff_user(request)), lambda c: _staff_comment(c, request.user))


class ModerateIn(InputSchema):
    decision: Literal["approve", "block"]
    note: str = Field("", max_length=2000, description="required when blocking")


@staff_router.post("/comments/{comment_id}/moderate", summary="Approve or block a comment (staff)")
def moderate(request, comment_id: int, data: ModerateIn):
    comment = _staff_get(request.user, "comment", Comment.objects.all(), comment_id)
    done = actions.do_moderate(request.user, comment, data.decision == "approve", data.note)
    return _staff_comment(done, request.user)


class FeatureIn(InputSchema):
    featured: bool = True


@staff_router.post("/comments/{comment_id}/feature", summary="Feature or un-feature a comment (staff)")
def feature(request, comment_id: int, data: FeatureIn):
    comment = _staff_get(request.user, "comment", Comment.objects.all(), comment_id)
    return _staff_comment(actions.do_feature(request.user, comment, data.featured), request.user)


class NoteIn(InputSchema):
    note: str = Field(..., min_length=actions.MIN_REASON, max_length=2000)


@staff_router.post("/comments/{comment_id}/hide", summary="Hide a comment pending review (staff)")
def hide(request, comment_id: int, data: NoteIn):
    comment = _staff_get(request.user, "comment", Comment.objects.all(), comment_id)
    return _staff_comment(actions.do_hide(request.user, comment, data.note), request.user)


class ReplyIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=5000)
    request_approval: bool = Field(False, description="if the tone check objects, send it to a "
                                   "reviewer instead of back to you")


@staff_router.post("/comments/{comment_id}/replies", response={201: dict},
                   summary="Reply in the account's name (staff)")
def reply(request, comment_id: int, data: ReplyIn):
    """The reply passes the safety ``reply`` check first: ``status`` says
    whether it was published, returned to you (with ``tone_reasons``) or is
    waiting for a reviewer."""
    comment = _staff_get(request.user, "comment", Comment.objects.all(), comment_id)
    return Status(201, _reply_json(actions.do_reply(request.user, comment, data.text,
                                         request_approval=data.request_approval)))


@staff_router.patch("/replies/{reply_id}", summary="Revise a returned reply (staff)")
def revise_reply(request, reply_id: int, data: ReplyIn):
    found = _staff_get(request.user, "reply", OfficialReply.objects.all(), reply_id)
    return _reply_json(actions.do_revise_reply(request.user, found, data.text,
                             request_approval=data.request_approval))


@staff_router.post("/replies/{reply_id}/approve", summary="Approve a waiting reply (reviewers)")
def approve_reply(request, reply_id: int):
    found = _staff_get(request.user, "reply", OfficialReply.objects.all(), reply_id)
    return _reply_json(actions.do_approve_reply(request.user, found))


@staff_router.post("/replies/{reply_id}/return", summary="Return a waiting reply (reviewers)")
def return_reply(request, reply_id: int, data: NoteIn):
    found = _staff_get(request.user, "reply", OfficialReply.objects.all(), reply_id)
    return _reply_json(actions.do_return_reply(request.user, found, data.note))


class PromoteIn(InputSchema):
    title: str | None = Field(None, max_length=200)


@staff_router.post("/replies/{reply_id}/promote", response={201: dict},
                   summary="Promote an answer to a supplement (staff)")
def promote_reply(request, reply_id: int, data: PromoteIn):
    """A follow-up supplement on the article, linking back to the question,
    submitted for review."""
    found = _staff_get(request.user, "reply", OfficialReply.objects.all(), reply_id)
    supplement = actions.do_promote_reply(request.user, found, data.title)
    return Status(201, {"supplement_id": supplement.pk, "title": supplement.title,
                        "source_url": supplement.source_url, "live": supplement.live})


@staff_router.post("/comments/{comment_id}/question", response={201: dict},
                   summary="Mark a comment as a question (staff)")
def mark_question(request, comment_id: int):
    comment = _staff_get(request.user, "comment", Comment.objects.all(), comment_id)
    question = actions.do_mark_question(request.user, comment)
    return Status(201, _question_json(question, request.user))


class ReasonIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=2000)


@staff_router.post("/questions/{question_id}/unmark", summary="Un-mark: not a question (staff)")
def unmark_question(request, question_id: int, data: ReasonIn):
    """Only before any answer, with a reason; the record stays and can be marked again."""
    question = _staff_get(request.user, "question", Question.objects.all(), question_id)
    return _question_json(actions.do_unmark_question(request.user, question, data.reason), request.user)


class QueueQuery(Schema):
    organisation: str | None = Field(None, pattern=r"^[-a-zA-Z0-9_]*$", description="organisation slug")
    state: Literal["open", "answered", "closed_duplicate", "closed_out_of_scope", "unmarked"] = "open"


@staff_router.get("/questions", response=list[dict], summary="Question queue (staff)")
@paginate(PagePagination)
def questions(request, query: Query[QueueQuery]):
    """Your organisations' questions in a state (default open), oldest first,
    with the SLA state (ok, due_soon, overdue, answered) and when the first
    answer is due."""
    organisation = None
    if query.organisation:
        organisation = Organisation.objects.filter(slug=query.organisation).first()
        if organisation is None:
            raise Refusal("invalid", _("Unknown organisation “%s”.") % query.organisation, 422,
                          fields={"organisation": _("Unknown organisation.")})
    return shaped(_Queue(question_queue(request.user, organisation, query.state)),
                  lambda row: _question_json(row[0], request.user, row[1], row[2]))


class _Queue:
    """The question queue, each page of it with its SLA state (computed for the page at once)."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __getitem__(self, page):
        return list(with_sla(self.qs[page]))


@staff_router.get("/questions/{question_id}", summary="One question with its thread (staff)")
def question_detail(request, question_id: int):
    """Internal notes are included for staff of the owning organisation only."""
    question = _staff_get(request.user, "question",
                          Question.objects.select_related("comment__article", "organisation"), question_id)
    access_question(request.user, question, "view")
    body = _question_json(question, request.user)
    body["replies"] = [_reply_json(r) for r in question.comment.official_replies.all()]
    if can(access_question, request.user, question, "view_notes"):
        body["notes"] = [{"kind": n.kind, "text": n.text, "author": n.author.get_username() if n.author else None,
                          "created_at": n.created_at} for n in question.notes.select_related("author")]
    return body


class AssignIn(InputSchema):
    organisation: str = Field(..., pattern=r"^[-a-zA-Z0-9_]+$", description="organisation slug")
    note: str = Field(..., min_length=1, max_length=2000)


@staff_router.post("/questions/{question_id}/assign", summary="Reassign a question (staff)")
def assign(request, question_id: int, data: AssignIn):
    question = _staff_get(request.user, "question", Question.objects.all(), question_id)
    organisation = Organisation.objects.filter(slug=data.organisation).first()
    if organisation is None:
        raise Refusal("invalid", _("Unknown organisation “%s”.") % data.organisation, 422,
                      fields={"organisation": _("Unknown organisation.")})
    return _question_json(actions.do_assign_question(request.user, question, organisation, data.note),
                          request.user)


class CloseIn(InputSchema):
    kind: Literal["duplicate", "out_of_scope"]
    duplicate_of: int | None = Field(None, ge=1, le=MAX_ID, description="for a duplicate: the original question's id")
    where_to_go: str = Field("", max_length=2000, description="out of scope: where the asker can go instead")
    public_reason: str = Field("", max_length=2000, description="shown under the comment")


@staff_router.post("/questions/{question_id}/close", summary="Close a question with a public reason (staff)")
def close(request, question_id: int, data: CloseIn):
    question = _staff_get(request.user, "question", Question.objects.all(), question_id)
    original = None
    if data.duplicate_of:
        original = _staff_get(request.user, "question", Question.objects.all(), data.duplicate_of)
    return _question_json(actions.do_close_question(request.user, question, data.kind,
                                duplicate_of=original, where_to_go=data.where_to_go,
                                public_reason=data.public_reason), request.user)


class NoteTextIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=2000)


@staff_router.post("/questions/{question_id}/notes", response={201: dict},
                   summary="Add an internal note (staff of the owning organisation)")
def add_note(request, question_id: int, data: NoteTextIn):
    question = _staff_get(request.user, "question", Question.objects.all(), question_id)
    note = actions.do_add_note(request.user, question, data.text)
    return Status(201, {"id": note.pk, "text": note.text, "created_at": note.created_at})

