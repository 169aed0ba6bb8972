"""The skeleton every installation needs: the home page, the organisation
directory, the topic index and the review workflow. Idempotent; runs after
every ``migrate``. The home page and the site take the neutral first name
(``CIVICHALL_SITE_NAME``); the account's real name is kept in the site
profile (Settings → Site profile), which the home page shows."""

from django.db import transaction
from wagtail.models import Page, Site, Workflow, WorkflowPage, WorkflowTask

from civichall.core.models import default_account_name

REVIEW_WORKFLOW_NAME = "审核发布"
REVIEW_TASK_NAME = "本单位审核员审核"


@transaction.atomic
def ensure_site_structure():
    """Create what is missing and return the home page."""
    from .models import HomePage, OrganisationIndexPage, TopicIndexPage

    root = Page.get_first_root_node()
    if root is None:
        return None
    home = HomePage.objects.first()
    if home is None:
        # Replace Wagtail's placeholder welcome page, keeping the tree tidy.
        for placeholder in Page.objects.child_of(root).filter(depth=2, content_type__model="page"):
            placeholder.delete()
        home = root.add_child(instance=HomePage(title=default_account_name(), slug="home",
                                                intro="权威发布 · 民生服务 · 一网通办"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home,
                            is_default_site=True, site_name=default_account_name())
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    if not OrganisationIndexPage.objects.exists():
        home.add_child(instance=OrganisationIndexPage(title="政务矩阵", slug="accounts",
                                                      intro="市、区、委办局和重要机构的政务账号"))
    if not TopicIndexPage.objects.exists():
        home.add_child(instance=TopicIndexPage(title="民生专题", slug="topics"))
    ensure_review_workflow(home)
    return home


def ensure_review_workflow(home):
    """One workflow for all content: a reviewer of the same organisation
    approves. (Other rooms may add steps before it, e.g. an automatic check.)"""
    from .models import OrganisationReviewTask

    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    task = OrganisationReviewTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = OrganisationReviewTask.objects.create(name=REVIEW_TASK_NAME)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task,
                                    sort_order=workflow.workflow_tasks.count())
    from .review_steps import ensure_review_steps

    ensure_review_steps(workflow)  # e.g. the automatic safety check, first
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow
