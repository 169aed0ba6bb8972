"""What happens when the review workflow finishes."""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision.

    The reviewer's approval is the authority to publish, so Wagtail's
    "publish" permission (which no editor or reviewer group holds) is not
    asked for here. A go-live time in the revision makes it a scheduled
    publication that ``civichall worker`` carries out when due.
    """
    revision = workflow_state.current_task_state.revision if workflow_state.current_task_state else None
    revision = revision or workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
