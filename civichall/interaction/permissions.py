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

from django.core.exceptions import PermissionDenied

from civichall.accounts import personal_data, policy
from civichall.accounts.wagtail_policy import RulePermissionPolicy

from . import comment_lifecycle
from .models import Question, QuestionState

ALL_ROLES = tuple(policy.ALL_ROLES)
CONTENT_ROLES = tuple(policy.CONTENT_ROLES)

COMMENT_ACTIONS = ("edit", "delete", "like", "report", "feature", "moderate", "reply", "mark", "view_raw")
QUESTION_ACTIONS = tuple(policy.RULES["question"])


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
    """Return ``comment`` if ``user`` may ``action`` it, else PermissionDenied.

    Who may is the policy's; this door adds the checks of state: only
    visible comments are liked or reported, nobody reports or likes their
    own, and a reply goes to whoever answers the comment (its open
    question's organisation, else the article's)."""
    if action not in COMMENT_ACTIONS:
        raise PermissionDenied(f"unknown action {action!r}")
    if action == "reply":
        rule = "reply_as_question" if _open_question(comment) is not None else "reply_as_article"
        return policy.check(user, "comment", rule, comment)
    policy.check(user, "comment", action, comment)
    if action in ("like", "report"):
        citizen = getattr(user, "citizen", None)
        if (citizen is None or not comment_lifecycle.allows(comment.status, action)
                or comment.citizen_id == citizen.pk):
            raise PermissionDenied
    return comment


def read_comment_text(user, comment, purpose=""):
    """What the citizen wrote, unmasked, for staff who may read it -- through
    the logged door: the citizen sees who read it. Staff screens and the
    staff API show ``public_text`` otherwise."""
    access_comment(user, comment, "view_raw")
    return personal_data.read(user, comment.citizen, personal_data.COMMENT_TEXT, comment.text,
                              reference=f"comment:{comment.pk}", purpose=purpose, masked=comment.public_text,
                              organisation=answering_organisation(comment))


def access_question(user, question, action):
    """Return ``question`` if ``user`` may ``action`` it, else PermissionDenied."""
    return policy.check(user, "question", action, question)


def access_reply(user, reply, action):
    """``revise`` (staff of the replying organisation), ``approve`` (its
    reviewers), ``promote`` (whoever may add supplements to the article: its
    organisation's editors, reviewers and administrators)."""
    if action == "promote":
        policy.check(user, "page", "supplement", reply.comment.article)
        return reply
    return policy.check(user, "reply", action, reply)


def questions_queue_for(user):
    """Questions of the organisations ``user`` works for (the queue)."""
    return policy.filter_allowed(user, "question", "answer", Question.objects.all())


def moderation_organisations(user):
    return policy.organisations_where(user, "organisation", "moderate_comments")


def is_interaction_staff(user):
    """May ``user`` open the comment area's staff screens at all?"""
    return policy.allows_some(user, "question", "answer")


# --- routing rules and settings ------------------------------------------------------

RULE_ACTIONS = tuple(policy.RULES["routing_rule"])


def access_routing_rules(user, action="view"):
    """Rules move questions between organisations, so only superusers and
    administrators of the municipal account change them; reviewers and
    administrators of any account read them."""
    if policy.allows(user, "routing_rule", action):
        return True
    raise PermissionDenied


def can(func, *args):
    """Any ``access_*`` as a boolean, for menus and buttons."""
    try:
        func(*args)
    except PermissionDenied:
        return False
    return True


def RoutingRulePermissionPolicy(model):
    """Wagtail's questions about routing rules, answered by the policy."""
    return RulePermissionPolicy(model, "routing_rule",
                                {"add": "change", "change": "change", "delete": "change"})


def access_settings(user, organisation):
    """An organisation's comment settings: its administrators (and superusers)."""
    return policy.check(user, "organisation", "edit_comment_settings", organisation)


def settings_organisations_for(user):
    return policy.organisations_where(user, "organisation", "edit_comment_settings")
