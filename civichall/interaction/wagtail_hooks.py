"""Admin wiring of the comment area."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = [
    ("civichall.comment.feature", _("Feature comment"), _("Comment featured")),
    ("civichall.comment.unfeature", _("Un-feature comment"), _("Comment no longer featured")),
    ("civichall.comment.approve", _("Approve comment"), _("Comment approved")),
    ("civichall.comment.block", _("Block comment"), _("Comment blocked")),
    ("civichall.comment.hide", _("Hide comment"), _("Comment hidden")),
    ("civichall.comment.hidden_by_reports", _("Hide comment after reports"),
     _("Comment hidden after reports")),
    ("civichall.reply.publish", _("Publish official reply"), _("Official reply published")),
    ("civichall.reply.approve", _("Approve official reply"), _("Official reply approved")),
    ("civichall.reply.return", _("Return official reply"), _("Official reply returned")),
    ("civichall.reply.promote", _("Promote answer to supplement"), _("Answer promoted to a supplement")),
    ("civichall.question.mark", _("Mark as question"), _("Marked as a question")),
    ("civichall.question.unmark", _("Un-mark question"), _("Un-marked: not a question")),
    ("civichall.question.assign", _("Reassign question"), _("Question reassigned")),
    ("civichall.question.close", _("Close question"), _("Question closed")),
    ("civichall.question.answer", _("Answer question"), _("Question answered")),
    ("civichall.question.escalate", _("Escalate question"), _("Question escalated as overdue")),
]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for name, label, message in LOG_ACTIONS:
        actions.register_action(name, label, message)
