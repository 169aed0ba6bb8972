"""What the applications room's actions share: the audit log's action
names, the citizen behind a request, telling the citizen."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from civichall.accounts.policy import recorded_user

LOG_ACTIONS = [
    ("civichall.applications.definition.save", _("Save application definition"), _("Application definition saved")),
    ("civichall.applications.definition.retire", _("Retire application definition"),
     _("Application definition retired")),
    ("civichall.applications.prefill_source.bind", _("Bind prefill source"), _("Prefill source bound")),
    ("civichall.applications.case.submit", _("Submit application"), _("Application submitted")),
    ("civichall.applications.case.report", _("File problem report"), _("Problem report filed")),
    ("civichall.applications.case.transition", _("Change case state"), _("Case state changed")),
    ("civichall.applications.case.escalate", _("Escalate overdue case"), _("Overdue case escalated")),
    ("civichall.applications.case.part", _("Complete case part"), _("Case part completed")),
    ("civichall.applications.case.assign", _("Assign case"), _("Case assigned")),
    ("civichall.applications.case.note", _("Add internal note"), _("Internal note added")),
    ("civichall.applications.material.add", _("Add material"), _("Material added")),
    ("civichall.applications.prefill", _("Fetch prefill data"), _("Prefill data fetched")),
    ("civichall.applications.consent.withdraw", _("Withdraw consent to a prefill source"), _("Consent withdrawn")),
    ("civichall.applications.rating", _("Rate service"), _("Service rated")),
    ("civichall.applications.follow_up", _("Handle rating follow-up"), _("Rating follow-up handled")),
]


def audit(instance, action, user, **data):
    """Write the audit entry of ``action`` on ``instance``."""
    log(instance=instance, action=f"civichall.applications.{action}", user=recorded_user(user), data=data)


def tell_citizen(case, text):
    """Notify the case's citizen (in the caller's transaction)."""
    from django.urls import reverse

    from civichall.notify.services import notify_citizen

    if case.citizen_id is None:  # a report filed without an account: no one to notify here
        return
    link = reverse("applications:case", args=[case.number])
    notify_citizen(case.citizen, "case", f"{case.number}：{text}", link=link)
