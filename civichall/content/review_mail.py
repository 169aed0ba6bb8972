"""Who hears that an article waits for review: the reviewers of the
organisation whose section holds it, not every superuser.

Wagtail's own notifier for a submitted task only knows group-approval tasks
(and superusers); ``OrganisationReviewTask`` decides by membership, so this
notifier finds the recipients the same way. The e-mail is rendered in each
reviewer's admin language, Chinese unless they chose English.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.signals import task_submitted

from civichall.accounts.models import Membership, Role

from .sections import organisation_for_page


def reviewers_of(page):
    """Active reviewers of the organisation that owns ``page``."""
    organisation = organisation_for_page(page)
    if organisation is None:
        return get_user_model().objects.none()
    reviewer_ids = Membership.objects.filter(organisation=organisation, role=Role.REVIEWER).values("user")
    return get_user_model().objects.filter(pk__in=reviewer_ids, is_active=True)


class OrganisationReviewSubmissionNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """E-mails the page's reviewers when it reaches the organisation review."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        from .models import OrganisationReviewTask

        return isinstance(instance, self.valid_classes) and isinstance(instance.task.specific, OrganisationReviewTask)

    def get_recipient_users(self, task_state, **kwargs):
        recipients = reviewers_of(task_state.workflow_state.content_object)
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return recipients


review_submission_notifier = OrganisationReviewSubmissionNotifier()

task_submitted.connect(review_submission_notifier, dispatch_uid="civichall-organisation-review-mail")
