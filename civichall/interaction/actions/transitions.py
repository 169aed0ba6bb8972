"""The actions ask the lifecycle tables of comments and official replies
whether a change is possible; a refusal becomes an InteractionError (409)
with the table's code and its message, translated."""

from django.utils.translation import gettext as _

from .. import comment_lifecycle, reply_lifecycle
from .common import InteractionError


def _refused(error):
    return InteractionError(error.code, _(str(error)))


def comment_next(comment, event, **facts):
    """The comment's status after ``event``, or InteractionError."""
    try:
        return comment_lifecycle.next_state(comment.status, event, **facts)
    except comment_lifecycle.TransitionError as error:
        raise _refused(error) from error


def reply_next(reply, event, **facts):
    """The reply's status after ``event``, or InteractionError."""
    try:
        return reply_lifecycle.next_state(reply.status, event, **facts)
    except reply_lifecycle.TransitionError as error:
        raise _refused(error) from error
