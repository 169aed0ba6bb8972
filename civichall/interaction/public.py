"""What the public sees of the comment area (read-only).

Used by the comment area under each article and by the public API, so that
both show exactly the same: visible comments, featured first, each with its
thread of follow-ups and official replies in the order they were written; a
deleted comment appears as a placeholder only when the account answered it.
Personal data is never shown: the public text has it masked.
"""

from django.db.models import Exists, OuterRef, Q

from civichall.accounts.citizens import citizen_of

from .models import Comment, CommentLike, CommentStatus, OfficialReply, Question, QuestionState, ReplyStatus

#: A citizen sees these of their own comments, with what is happening to them.
OWN_PENDING = (CommentStatus.RECEIVED, CommentStatus.MODERATION, CommentStatus.HELD, CommentStatus.BLOCKED,
               CommentStatus.HIDDEN)


# A comment's question (and the one it repeats) come with the comment.
WITH_QUESTION = ("citizen", "question", "question__duplicate_of")


def _public_question(comment):
    """The comment's question as the public sees it (None when unmarked)."""
    try:
        question = comment.question
    except Question.DoesNotExist:
        return None
    return None if question.state == QuestionState.UNMARKED else question


def public_threads(article):
    """Root comments to show under ``article``: featured first, then the most
    liked, then the newest."""
    answered = OfficialReply.objects.filter(
        Q(comment=OuterRef("pk")) | Q(comment__parent=OuterRef("pk")), status=ReplyStatus.PUBLISHED,
    )
    return (
        Comment.objects.filter(article=article, parent__isnull=True)
        .annotate(answered=Exists(answered))
        .filter(Q(status=CommentStatus.VISIBLE) | Q(status=CommentStatus.DELETED, answered=True))
        .select_related(*WITH_QUESTION)
        .order_by("-featured", "-likes_count", "-created_at", "-id")
    )


class Entry:
    """One item of a thread: a citizen's follow-up or an official reply."""

    def __init__(self, kind, obj, when):
        self.kind, self.obj, self.when = kind, obj, when

    @property
    def is_reply(self):
        return self.kind == "official_reply"


def thread_items(roots):
    """[(root, [Entry, ...]), ...] with questions attached as ``root.public_question``."""
    roots = list(roots)
    if not roots:
        return []
    root_ids = [r.pk for r in roots]
    follow_ups = list(
        Comment.objects.filter(parent_id__in=root_ids, status__in=[CommentStatus.VISIBLE, CommentStatus.DELETED])
        .select_related(*WITH_QUESTION).order_by("created_at", "id")
    )
    all_ids = root_ids + [c.pk for c in follow_ups]
    replies = list(
        OfficialReply.objects.filter(comment_id__in=all_ids, status=ReplyStatus.PUBLISHED)
        .select_related("organisation").order_by("published_at", "id")
    )
    answered_ids = {r.comment_id for r in replies}
    by_root = {pk: [] for pk in root_ids}
    for c in follow_ups:
        c.public_question = _public_question(c)
        if c.status == CommentStatus.DELETED and c.pk not in answered_ids:
            continue
        by_root[c.parent_id].append(Entry("comment", c, c.created_at))
    parent_of = {c.pk: c.parent_id for c in follow_ups}
    for r in replies:
        root_id = parent_of.get(r.comment_id, r.comment_id)
        by_root[root_id].append(Entry("official_reply", r, r.published_at))
    out = []
    for root in roots:
        root.public_question = _public_question(root)
        out.append((root, sorted(by_root[root.pk], key=lambda e: (e.when, e.kind == "official_reply"))))
    return out


def liked_ids(citizen, comment_ids):
    if not citizen:
        return set()
    return set(CommentLike.objects.filter(citizen=citizen, comment_id__in=list(comment_ids))
               .values_list("comment_id", flat=True))


def own_pending(article, citizen):
    """The citizen's own comments under ``article`` that the public does not see."""
    if not citizen:
        return Comment.objects.none()
    return Comment.objects.filter(article=article, citizen=citizen, status__in=OWN_PENDING).order_by("-created_at")


def question_json(question):
    if question is None:
        return None
    body = {"state": question.state, "state_label": str(question.get_state_display())}
    if question.state in (QuestionState.CLOSED_DUPLICATE, QuestionState.CLOSED_OUT_OF_SCOPE):
        body["public_reason"] = question.public_reason
    if question.duplicate_of_id:
        body["duplicate_of_comment"] = question.duplicate_of.comment_id
    if question.where_to_go:
        body["where_to_go"] = question.where_to_go
    return body


def _comment_json(c, citizen=None, liked=frozenset()):
    deleted = c.status == CommentStatus.DELETED
    return {
        "type": "comment", "id": c.pk, "author": c.author_name, "text": "" if deleted else c.public_text,
        "deleted": deleted, "created_at": c.created_at, "edited": c.edited_at is not None,
        "featured": c.featured, "likes": c.likes_count, "liked_by_me": c.pk in liked,
        "mine": bool(citizen) and c.citizen_id == citizen.pk,
        "question": question_json(getattr(c, "public_question", None)),
    }


def reply_json(r):
    return {
        "type": "official_reply", "id": r.pk, "in_reply_to": r.comment_id,
        "account": r.organisation.display_account_name, "organisation": r.organisation.slug,
        "text": r.text, "published_at": r.published_at,
    }


def comment_json(root, thread, citizen=None):
    ids = [root.pk] + [e.obj.pk for e in thread if not e.is_reply]
    liked = liked_ids(citizen, ids)
    body = _comment_json(root, citizen, liked)
    body["thread"] = [reply_json(e.obj) if e.is_reply else _comment_json(e.obj, citizen, liked) for e in thread]
    return body


def own_comment_json(c):
    """A citizen's view of their own comment, with its status and why."""
    from .actions import comment_outcome

    level, message = comment_outcome(c)
    question = Question.objects.filter(comment=c).exclude(state=QuestionState.UNMARKED).first()
    return {
        "id": c.pk, "article_id": c.article_id, "parent_id": c.parent_id, "text": c.text,
        "public_text": c.public_text, "status": c.status, "status_label": str(c.get_status_display()),
        "message": str(message) if c.status != CommentStatus.DELETED else "",
        "created_at": c.created_at, "edited_at": c.edited_at,
        "question": question_json(question),
    }


def viewer(request):
    """The citizen behind a request (web session), or None."""
    return citizen_of(getattr(request, "user", None))
