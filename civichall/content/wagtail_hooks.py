"""Admin wiring of the publishing room.

- Nobody publishes an article or supplement with Wagtail's plain "Publish"
  button: content goes live through review, or through "publish without
  review" with a written reason. The button is removed from the menu and a
  posted ``action-publish`` is refused server-side.
- Withdrawal and unpublish-in-error get their own screens.
- Our actions are registered with Wagtail's audit log so that they show in
  the page history and the site history report.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.panels import FieldPanel

from civichall.accounts.admin_viewsets import ActionViewSet

from . import actions as content_actions
from . import admin_views
from .models import ArticlePage, SupplementPage, Topic
from .permissions import access_page

REVIEWED_TYPES = (ArticlePage, SupplementPage)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            f"civichall/pages/<int:page_id>/{action}/",
            admin_views.page_action,
            {"action": action},
            name=f"civichall_{action}",
        )
        for action in admin_views.SCREENS
    ]


class PageActionLink(ActionMenuItem):
    """A link in the page's action menu to one of our screens."""

    def __init__(self, action, label, icon, only_live, order):
        super().__init__(order=order)
        self.action, self.label, self.icon_name, self.only_live = action, label, icon, only_live
        self.name = f"action-civichall-{action}"

    def is_shown(self, context):
        page = context.get("page")
        if context["view"] != "edit" or page is None or not isinstance(page.specific, REVIEWED_TYPES):
            return False
        if self.only_live and not page.live:
            return False
        if self.action == "withdraw" and not isinstance(page.specific, ArticlePage):
            return False
        try:
            access_page(context["request"].user, page, self.action)
        except PermissionDenied:
            return False
        return True

    def get_url(self, context):
        return reverse(f"civichall_{self.action}", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def force_publish_item():
    return PageActionLink("force_publish", _("Publish without review…"), "warning", False, 35)


@hooks.register("register_page_action_menu_item")
def withdraw_item():
    return PageActionLink("withdraw", _("Withdraw…"), "cross", True, 36)


@hooks.register("register_page_action_menu_item")
def unpublish_item():
    return PageActionLink("unpublish", _("Unpublish (published in error)…"), "download", True, 37)


@hooks.register("construct_page_action_menu")
def remove_direct_publish(menu_items, request, context):
    page = context.get("page") or context.get("parent_page")
    model = context.get("model") or (page.specific_class if page is not None else None)
    creating_reviewed = context.get("view") == "create" and model in REVIEWED_TYPES
    editing_reviewed = page is not None and isinstance(page.specific, REVIEWED_TYPES)
    if creating_reviewed or editing_reviewed:
        menu_items[:] = [
            item for item in menu_items if item.name not in ("action-publish", "action-unpublish")
        ]


def _refuse_direct_publish(request, page_class):
    if request.method == "POST" and "action-publish" in request.POST and issubclass(
        page_class, REVIEWED_TYPES
    ):
        messages.error(
            request,
            _("Articles and supplements are published through review. Submit for review instead."),
        )
        return True
    return False


@hooks.register("before_edit_page")
def before_edit_page(request, page):
    if _refuse_direct_publish(request, page.specific_class):
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def before_create_page(request, parent_page, page_class):
    if _refuse_direct_publish(request, page_class):
        return redirect("wagtailadmin_explore", parent_page.pk)
    return None


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("civichall.force_publish", _("Publish without review"),
                            _("Published without review"))
    actions.register_action("civichall.review_confirmed", _("Review confirmed"),
                            _("Reviewed after publication"))
    actions.register_action("civichall.withdraw", _("Withdraw"), _("Withdrawn"))
    actions.register_action("civichall.supplement.add", _("Add supplement"), _("Supplement added for review"))
    actions.register_action("civichall.unpublish_in_error", _("Unpublish (published in error)"),
                            _("Unpublished as published in error"))
    actions.register_action("civichall.membership.add", _("Add membership"), _("Membership added"))
    actions.register_action("civichall.membership.remove", _("Remove membership"),
                            _("Membership removed"))


@hooks.register("before_move_page")
def refuse_moves_across_organisations(request, page_to_move, destination):
    """An article stays with the organisation that owns it (see
    ``ownership``): say so before the move, instead of a refusal after it."""
    from .ownership import MoveAcrossOrganisations, refuse_moves_across_organisations as refuse

    try:
        refuse(None, instance=page_to_move, parent_page_before=page_to_move.get_parent(),
               parent_page_after=destination)
    except MoveAcrossOrganisations as refusal:
        messages.error(request, str(refusal))
        return redirect("wagtailadmin_explore", page_to_move.get_parent().pk)
    return None


class TopicViewSet(ActionViewSet):
    """Livelihood topics, kept by the municipal administrators through
    ``actions.do_save_topic`` (audited)."""

    model = Topic
    policy_kind = "topic"
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name_zh", "name_en", "slug", "sort_order"]
    search_fields = ["name_zh", "name_en", "slug"]
    panels = [FieldPanel("name_zh"), FieldPanel("name_en"), FieldPanel("slug"),
              FieldPanel("description_zh"), FieldPanel("sort_order")]

    def save_action(self, user, instance, form):
        return content_actions.do_save_topic(
            user, instance, source="admin",
            **{f: form.cleaned_data[f] for f in content_actions.TOPIC_FIELDS if f in form.cleaned_data})

    def delete_action(self, user, instance):
        content_actions.do_delete_topic(user, instance, source="admin")


@hooks.register("register_admin_viewset")
def register_topics():
    return TopicViewSet("content_topics", url_prefix="content/topics")


@hooks.register("register_log_actions")
def register_topic_log_actions(registry):
    registry.register_action("civichall.topic.create", _("Create topic"), _("Topic created"))
    registry.register_action("civichall.topic.edit", _("Edit topic"), _("Topic changed"))
    registry.register_action("civichall.topic.delete", _("Delete topic"), _("Topic deleted"))
