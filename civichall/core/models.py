"""What every room may read: the site's profile (what a deployment decides
about its public face) and the shape of a bilingual name."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.permission_policies.sites import SitePermissionPolicy

from . import config
from .i18n import localised


class BilingualName(models.Model):
    """A name in Chinese (required) and English (optional); ``name`` is the
    one for the active language. Organisations, topics, services and hubs
    share it; a model may redeclare the two fields with other lengths."""

    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name_zh

    @property
    def name(self):
        """The name in the active language (the Chinese one when there is no English)."""
        return localised(self.name_zh, self.name_en)


def default_account_name():
    """A fresh installation's account name: ``CIVICHALL_SITE_NAME`` ("CivicHall")."""
    return config.env("CIVICHALL_SITE_NAME")


def default_hotline():
    """A fresh installation's citizen hotline: ``CIVICHALL_HOTLINE`` ("12345")."""
    return config.env("CIVICHALL_HOTLINE")


class SiteProfilePermissionPolicy(SitePermissionPolicy):
    """Wagtail's site-setting permissions, plus whoever the product's
    permission policy lets edit the profile (municipal administrators),
    asked through the check the accounts room registers."""

    def _user_has_global_permission(self, user, actions):
        from .site import may_edit_site_profile

        return super()._user_has_global_permission(user, actions) or may_edit_site_profile(user)


@register_setting(icon="site")
class SiteProfile(BaseSiteSetting):
    """What a deployment decides about its public face, one per site: the
    account's name, the citizen hotline, the search suggestions. Kept by
    administrators in the admin (*Settings → Site profile*); saved only
    through ``civichall.core.site_actions.do_save_site_profile``. Read it with
    ``civichall.core.site.site_profile``."""

    account_name_zh = models.CharField(_("account name (Chinese)"), max_length=60, default=default_account_name,
                                       help_text=_("Shown in every page title, in the header and in the "
                                                   "footer."))
    account_name_en = models.CharField(_("account name (English)"), max_length=120, blank=True,
                                       help_text=_("Empty: the Chinese name."))
    description_zh = models.CharField(_("description (Chinese)"), max_length=200, blank=True,
                                      help_text=_("The pages' description for search engines; empty: a "
                                                  "general sentence about the platform."))
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    hotline = models.CharField(_("citizen hotline"), max_length=30, default=default_hotline,
                               help_text=_("Offered in the footer, on error pages and when a service is "
                                           "unavailable, e.g. 12345."))
    search_suggestions_zh = models.TextField(_("search suggestions (Chinese)"), blank=True,
                                             help_text=_("Words offered under the service search, one a "
                                                         "line; empty: the Municipal Hall's first services."))
    search_suggestions_en = models.TextField(_("search suggestions (English)"), blank=True,
                                             help_text=_("One a line; empty: the Chinese ones."))

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profiles")

    @classmethod
    def get_permission_policy(cls):
        return SiteProfilePermissionPolicy(cls)

    @classmethod
    def for_site(cls, site):
        """The site's profile, or an unsaved one with the first values (the
        profile is written only by its action, never on a read)."""
        if site is None:
            return cls()
        return cls.base_queryset().filter(site=site).first() or cls(site=site)

    @property
    def account_name(self):
        """The account's name in the active language."""
        return localised(self.account_name_zh, self.account_name_en)

    @property
    def description(self):
        """The meta description in the active language ('' when there is none)."""
        return localised(self.description_zh, self.description_en)

    @property
    def search_suggestions(self):
        """The search suggestions in the active language, as a list."""
        text = localised(self.search_suggestions_zh, self.search_suggestions_en)
        return [line.strip() for line in (text or "").splitlines() if line.strip()]
