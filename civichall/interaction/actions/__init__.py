"""Everything that can happen in the comment area, one module per topic:
``comments``, ``moderation``, ``replies``, ``questions`` (with the SLA
clock), and what they share in ``common``.

``check_*`` functions validate input; ``do_*`` functions authorise (through
``permissions``), change state and write the audit log. The public pages,
the API, the admin, the demo loader, the periodic jobs and the tests all call
these; nothing else writes the models.

The path of a comment (``do_post_comment``):

1. the text is checked (not empty, at most ``MAX_COMMENT_LENGTH`` characters,
   control and invisible characters removed (``civichall.core.text``); HTML
   is kept as text and escaped wherever it is shown) and the citizen's and
   the address's rate limits are counted;
2. the comment is **stored** as ``received`` and committed;
3. only then the safety door checks it (kind ``comment``): ``pass`` makes it
   ``visible`` (or ``held`` until featured, where the organisation shows
   featured comments only), ``review`` sends it to the moderation queue,
   ``block`` keeps it from the public for good. Personal data is masked in
   ``public_text``; the text as written stays for staff.
4. if it passed and asks something, it becomes a ``Question`` routed to the
   organisation that owns the matter.

If the check fails (an exception), the comment stays ``received``: it is in
the moderation queue at once and ``recheck_received_comments`` (a periodic
job) tries again. Nothing a citizen sent is lost.
"""

from civichall.accounts.citizens import RateLimited

from .comments import (  # noqa: F401
    BLOCK_CATEGORY_MESSAGES,
    MAX_HISTORY,
    blocked_message,
    bounded_history,
    check_edit_rate,
    check_report_reason,
    comment_outcome,
    do_delete_comment,
    do_edit_comment,
    do_like,
    do_post_comment,
    do_report,
    editable_comment_ids,
    moderate_comment,
    recheck_received_comments,
)
from .common import (  # noqa: F401
    MAX_COMMENT_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_REPLY_LENGTH,
    MIN_REASON,
    InteractionError,
    check_comment_text,
    check_rate,
    check_reply_text,
    comments_are_open,
    interaction_settings,
)
from .moderation import (  # noqa: F401
    do_feature,
    do_hide,
    do_moderate,
    do_restore,
)
from .questions import (  # noqa: F401
    CLOSE_KINDS,
    do_add_note,
    do_assign_question,
    do_close_question,
    do_mark_question,
    do_unmark_question,
    escalate_overdue_questions,
    route_question,
)
from .replies import (  # noqa: F401
    do_approve_reply,
    do_promote_reply,
    do_reply,
    do_return_reply,
    do_revise_reply,
)

__all__ = [
    "InteractionError", "RateLimited", "MAX_COMMENT_LENGTH", "MAX_REPLY_LENGTH",
    "check_comment_text", "check_reply_text", "comments_are_open", "moderate_comment",
    "do_post_comment", "do_edit_comment", "do_delete_comment", "do_like", "do_report",
    "do_feature", "do_moderate", "do_hide", "do_restore", "do_reply", "do_revise_reply",
    "do_approve_reply", "do_return_reply", "do_promote_reply", "do_mark_question",
    "do_unmark_question", "do_assign_question", "do_close_question", "do_add_note",
    "escalate_overdue_questions", "recheck_received_comments",
]
