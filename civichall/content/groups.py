"""Wagtail groups derived from memberships.

This room listens to the account matrix (``accounts``) and keeps Wagtail's
page permissions in step with it: accounts knows nothing of pages.

Memberships are the truth; each (organisation, role) pair gets a Wagtail group
carrying page permissions on that organisation's section only, so Wagtail's
own permission checks confine staff to their section. Nobody's group holds
``publish``: articles go live through review (or an administrator's
force-publish with a written reason, see ``content.actions``).
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from civichall.accounts.models import Membership, Role

# Page permission types per role on the organisation's section.
PAGE_PERMISSIONS = {
    Role.EDITOR: ["add", "change"],
    Role.REVIEWER: ["add", "change", "lock"],
    Role.ADMINISTRATOR: ["add", "change", "lock", "unlock", "publish"],
    Role.LIAISON: [],
    Role.CASE_OFFICER: [],  # case officers work in the applications queue, not on pages
}
COLLECTION_PERMISSIONS = {
    Role.EDITOR: ["add_image", "choose_image", "add_document", "choose_document"],
    Role.REVIEWER: ["add_image", "choose_image", "add_document", "choose_document"],
    Role.ADMINISTRATOR: ["add_image", "choose_image", "change_image", "add_document",
                         "choose_document", "change_document"],
    Role.LIAISON: ["choose_image", "choose_document"],
    Role.CASE_OFFICER: [],
}


def group_name(organisation, role):
    return f"{organisation.slug}:{role}"


def ensure_role_group(organisation, role):
    """The Wagtail group for ``role`` in ``organisation``, created with its
    permissions if missing."""
    from .sections import section_page_for

    group, _created = Group.objects.get_or_create(name=group_name(organisation, role))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin",
                                                 codename="access_admin"))
    section = section_page_for(organisation)
    if section is not None:
        for permission_type in PAGE_PERMISSIONS[role]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{permission_type}_page"
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=section, permission=permission
            )
    root = Collection.get_first_root_node()
    if root is not None:
        for codename in COLLECTION_PERMISSIONS[role]:
            app_label = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )
    return group


def sync_user_groups(user):
    """Make ``user``'s role groups match their memberships exactly."""
    wanted = {
        ensure_role_group(m.organisation, m.role).pk
        for m in Membership.objects.filter(user=user).select_related("organisation")
    }
    current = set(user.groups.filter(name__contains=":").values_list("pk", flat=True))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


def membership_changed(sender, instance, **kwargs):
    """``post_save``/``post_delete`` of a Membership (action, admin or shell)."""
    sync_user_groups(instance.user)
