"""Who may touch a comment, a question, an official reply, a routing rule.

One ``access_*`` function per object type decides; views, the API, the admin
and the tests call them and get the object back or ``PermissionDenied``.

* Citizens: edit and delete their own comments; like and report others'.
* The **article's organisation** (editors, reviewers, administrators) runs the
  comment area under its articles: features, moderates, hides, replies to
  comments that are not questions, marks questions.
* The **question's organisation** (the one it was routed to, any role,
  liaisons included) answers, closes, reassigns and notes it. Its internal
  notes are read by its own staff only -- not by the article's organisation,
  not by any other bureau. Un-marking needs an editor, reviewer or
  administrator of that organisation.
* Reviewers of the replying organisation approve official replies.
* Superusers hold every role.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from civichall.accounts.models import Organisation, OrganisationKind, Role
from civichall.accounts.permissions import has_role, organisations_for

from .models import CommentStatus, Question, QuestionState

ALL_ROLES = tuple(Role.values)
CONTENT_ROLES = (Role.EDITOR, Role.REVIEWER, Role.ADMINISTRATOR)

COMMENT_ACTIONS = ("edit", "delete", "like", "report", "feature", "moderate", "reply", "mark",
                   "view_raw")
QUESTION_ACTIONS = ("view", "answer", "close", "assign", "note", "view_notes", "unmark", "mark")


def _citizen_user(user, comment):
    return user is not None and user.is_authenticated and comment.citizen_id is not None and \
        comment.citizen.user_id == user.pk


def _open_question(comment):
    try:
        question = comment.question
    except Question.DoesNotExist:
        return None
    return question if question.state != QuestionState.UNMARKED else None


def answering_organisation(comment):
    """Who answers a comment: its question's organisation, or the article's."""
    question = _open_question(comment)
    if question is not None:
        return question.organisation
    return comment.article.author_organisation


def access_comment(user, comment, action):
    """Return ``comment`` if ``user`` may ``action`` it, else PermissionDenied."""
    if action not in COMMENT_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    article_org = comment.article.author_organisation_id
    if action in ("edit", "delete"):
        if _citizen_user(user, comment):
            return comment
        raise PermissionDenied
    if action in ("like", "report"):
        citizen = getattr(user, "citizen", None) if user is not None and user.is_authenticated else None
        if citizen is None or comment.status != CommentStatus.VISIBLE:
            raise PermissionDenied
        if action == "report" and comment.citizen_id == citizen.pk:
            raise PermissionDenied
        return comment
    if action in ("feature", "moderate"):
        if has_role(user, article_org, *CONTENT_ROLES):
            return comment
        raise PermissionDenied
    if action == "mark":
        if has_role(user, article_org, *ALL_ROLES):
            return comment
        raise PermissionDenied
    if action == "reply":
        question = _open_question(comment)
        if question is not None:
            if has_role(user, question.organisation_id, *ALL_ROLES):
                return comment
            raise PermissionDenied
        if has_role(user, article_org, *CONTENT_ROLES):
            return comment
        raise PermissionDenied
    if action == "view_raw":
        question = _open_question(comment)
        if has_role(user, article_org, *ALL_ROLES) or (
            question is not None and has_role(user, question.organisation_id, *ALL_ROLES)
        ):
            return comment
        raise PermissionDenied
    raise PermissionDenied  # pragma: no cover


def access_question(user, question, action):
    """Return ``question`` if ``user`` may ``action`` it, else PermissionDenied."""
    if action not in QUESTION_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    owner = question.organisation_id
    if action == "view":
        article_org = question.comment.article.author_organisation_id
        if has_role(user, owner, *ALL_ROLES) or has_role(user, article_org, *ALL_ROLES):
            return question
        raise PermissionDenied
    if action == "unmark":
        if has_role(user, owner, *CONTENT_ROLES):
            return question
        raise PermissionDenied
    if action == "mark":
        article_org = question.comment.article.author_organisation_id
        if has_role(user, owner, *ALL_ROLES) or has_role(user, article_org, *ALL_ROLES):
            return question
        raise PermissionDenied
    if has_role(user, owner, *ALL_ROLES):
        return question
    raise PermissionDenied


def access_reply(user, reply, action):
    """``revise`` (staff of the replying organisation), ``approve`` (its
    reviewers), ``promote`` (whoever may add supplements to the article: its
    organisation's editors, reviewers and administrators)."""
    if action not in ("revise", "approve", "promote"):
        raise PermissionDenied(f"unknown action {action!r}")
    if action == "promote":
        from civichall.content.permissions import access_page

        access_page(user, reply.comment.article, "supplement")
        return reply
    if action == "approve":
        if has_role(user, reply.organisation_id, Role.REVIEWER):
            return reply
        raise PermissionDenied
    if has_role(user, reply.organisation_id, *ALL_ROLES):
        return reply
    raise PermissionDenied


def questions_queue_for(user):
    """Questions of the organisations ``user`` works for (the queue)."""
    return Question.objects.filter(organisation__in=organisations_for(user, *ALL_ROLES))


def moderation_organisations(user):
    return organisations_for(user, *CONTENT_ROLES)


def is_interaction_staff(user):
    return user is not None and user.is_authenticated and (
        user.is_superuser or organisations_for(user, *ALL_ROLES).exists()
    )


# --- routing rules and settings ------------------------------------------------------

RULE_ACTIONS = ("view", "change")


def access_routing_rules(user, action="view"):
    """Rules move questions between organisations, so only superusers and
    administrators of the municipal account change them; reviewers and
    administrators of any account read them."""
    if action not in RULE_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if user.is_superuser:
        return True
    if action == "change":
        if organisations_for(user, Role.ADMINISTRATOR).filter(kind=OrganisationKind.MUNICIPAL).exists():
            return True
        raise PermissionDenied
    if organisations_for(user, Role.REVIEWER, Role.ADMINISTRATOR).exists():
        return True
    raise PermissionDenied


def can(func, *args):
    """Any ``access_*`` as a boolean, for menus and buttons."""
    try:
        func(*args)
    except PermissionDenied:
        return False
    return True


_ADMIN_ACTIONS = {"view": "view", "add": "change", "change": "change", "delete": "change"}


class RoutingRulePermissionPolicy(BasePermissionPolicy):
    """Wagtail's questions about routing rules, answered by ``access_routing_rules``."""

    def user_has_permission(self, user, action):
        ours = _ADMIN_ACTIONS.get(action)
        return ours is not None and can(access_routing_rules, user, ours)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        wanted = {_ADMIN_ACTIONS.get(a) for a in actions} - {None}
        if not wanted:
            return users.none()
        allowed = Q(is_superuser=True) | Q(
            memberships__role=Role.ADMINISTRATOR,
            memberships__organisation__kind=OrganisationKind.MUNICIPAL,
        )
        if "view" in wanted:
            allowed |= Q(memberships__role__in=[Role.REVIEWER, Role.ADMINISTRATOR])
        return users.filter(allowed).distinct()


def access_settings(user, organisation):
    """An organisation's comment settings: its administrators (and superusers)."""
    if has_role(user, organisation, Role.ADMINISTRATOR):
        return organisation
    raise PermissionDenied


def settings_organisations_for(user):
    return organisations_for(user, Role.ADMINISTRATOR) if user.is_authenticated else Organisation.objects.none()
