"""The applications room's named actions (``check_*`` validate, ``do_*``
authorise, change state and write the audit log). The site, the API, the
admin, the CLI and the demo call these and nothing else."""

from .cases import (  # noqa: F401
    do_add_note,
    do_assign_case,
    do_bulk_cases,
    do_claim_case,
    do_complete_part,
    do_submit,
    do_transition,
    escalate_overdue_cases,
)
from .definitions import do_bind_prefill_source, do_retire_definition, do_save_definition  # noqa: F401
from .drafts import (  # noqa: F401
    do_discard_draft,
    do_give_consent,
    do_prefill,
    do_save_draft,
    do_withdraw_consent,
)
from .materials import do_add_material, do_remove_material  # noqa: F401
from .ratings import do_answer_follow_up, do_rate  # noqa: F401
from .reports import do_file_report  # noqa: F401
