"""Changing the site's profile: the one named action, used by the admin
(*Settings → Site profile*), the demo loader and tests. Who may: the check
the accounts room registers (municipal administrators, and the system)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import audit
from .site import may_edit_site_profile

#: The fields an administrator keeps.
PROFILE_FIELDS = ("account_name_zh", "account_name_en", "description_zh", "description_en", "hotline",
                  "search_suggestions_zh", "search_suggestions_en")


def check_save_site_profile(user):
    """Refuse (``PermissionDenied``) whoever may not edit the site profile."""
    if user is None or not may_edit_site_profile(user):
        raise PermissionDenied(_("Only the municipal account's administrators may change the site profile."))


@transaction.atomic
def do_save_site_profile(user, site, source="", **fields):
    """Set the profile of ``site`` (created on first save) and record what
    changed in the audit log (``civichall.site_profile.edit``). ``user`` is a
    staff user or the policy's ``SYSTEM``; the audit entry records who."""
    from .models import SiteProfile

    check_save_site_profile(user)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}")
    profile = SiteProfile.objects.select_for_update().filter(site=site).first() or SiteProfile(site=site)
    before = audit.field_values(profile, PROFILE_FIELDS) if profile.pk else {}
    for name, value in fields.items():
        setattr(profile, name, (value or "").strip())
    if not profile.account_name_zh:
        raise ValidationError({"account_name_zh": _("The account needs a Chinese name.")})
    if not profile.hotline:
        raise ValidationError({"hotline": _("Give the citizen hotline.")})
    profile.full_clean(exclude=["site"])
    profile.save()
    # The Wagtail site's own name follows the account's name (admin, site switcher).
    if site.site_name != profile.account_name_zh:
        site.site_name = profile.account_name_zh
        site.save(update_fields=["site_name"])
    changed = audit.changes(before, audit.field_values(profile, PROFILE_FIELDS))
    log(instance=profile, action="civichall.site_profile.edit", user=_recorded(user),
        data=audit.jsonable({"site": site.pk, "changed": changed, "source": source}))
    return profile


def _recorded(user):
    # The system actor (accounts.policy.SYSTEM) has no user row.
    return user if getattr(user, "pk", None) is not None else None
