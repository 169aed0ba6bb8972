"""The account matrix: the municipal account and its linked district, bureau
and institution accounts, and the staff who work for them.

Who may touch what is decided in ``permissions.py``; membership changes go
through ``actions.py`` so that the Wagtail groups derived from them stay true.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")
    BUREAU = "bureau", _("Commission / bureau")
    INSTITUTION = "institution", _("Institution")


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    LIAISON = "liaison", _("Department liaison")
    ADMINISTRATOR = "administrator", _("Administrator")


class Organisation(models.Model):
    """A government body with a public account in the matrix."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    account_name_zh = models.CharField(_("account name (Chinese)"), max_length=60, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    contact = models.TextField(_("public contact"), blank=True)
    avatar = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("avatar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name_zh

    @property
    def name(self):
        """The name in the active language (Chinese unless English was asked)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    @property
    def description(self):
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description_zh

    @property
    def display_account_name(self):
        return self.account_name_zh or self.name_zh


class Membership(models.Model):
    """A staff user's role in one organisation. A person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
