"""The account matrix: the municipal account and its linked district, bureau
and institution accounts, and the staff who work for them.

Who may touch what is decided in ``permissions.py``; membership changes go
through ``actions.py`` so that the Wagtail groups derived from them stay true.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civichall.core.i18n import localised
from civichall.core.models import BilingualName


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
    CASE_OFFICER = "case_officer", _("Case officer")


class Organisation(BilingualName):
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
    # name_zh, name_en and name: BilingualName
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

    @property
    def description(self):
        return localised(self.description_zh, self.description_en)

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


class Citizen(models.Model):
    """A follower of the account, signed in by mobile number (one-time code)
    or arriving by WeChat OpenID; both lead to the same record once linked.

    Real-name verification is done by an identity provider (see
    ``identity.py``); only its subject id and a masked name are kept.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen"
    )
    mobile = models.CharField(_("mobile number"), max_length=20, unique=True, null=True, blank=True)
    wechat_openid = models.CharField(
        _("WeChat OpenID"), max_length=64, unique=True, null=True, blank=True
    )
    display_name = models.CharField(_("display name"), max_length=40, blank=True)
    verified_subject = models.CharField(
        _("verified identity"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("The identity provider's id for this person."),
    )
    verified_name_masked = models.CharField(_("verified name (masked)"), max_length=40, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self):
        return self.public_name

    @property
    def is_verified(self):
        return self.verified_at is not None and bool(self.verified_subject)

    @property
    def public_name(self):
        """What others see: a chosen name or a masked mobile number."""
        if self.display_name:
            return self.display_name
        if self.mobile:
            return f"{self.mobile[:3]}****{self.mobile[-4:]}"
        return str(_("Citizen"))


class OneTimeCode(models.Model):
    """A sign-in code sent to a mobile number; only its digest is stored."""

    mobile = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        ordering = ["-created_at"]


class SignInKind(models.TextChoices):
    WEB = "web", _("Browser")
    API = "api", _("App")


class CitizenSession(models.Model):
    """One place where a citizen is signed in: a browser session or an app's
    token. Each has a lifetime; the citizen sees them listed and can end one
    or all of them (see ``citizen_sessions.py``)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=SignInKind.choices)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    api_token = models.OneToOneField(
        "wagtailcore.APIToken", null=True, blank=True, on_delete=models.CASCADE,
        related_name="citizen_session",
    )
    user_agent = models.CharField(_("device"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signed in at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen sign-in")
        verbose_name_plural = _("citizen sign-ins")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["citizen", "ended_at", "expires_at"], name="citizen_session_active")]

    def __str__(self):
        return f"{self.citizen} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class PersonalDataAccess(models.Model):
    """A staff member read a citizen's personal data unmasked (the words of
    a comment before masking, an identity, a case's data). Written by the
    one logged door (``personal_data.read``); the citizen sees these under
    "who viewed my data"."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="data_accesses",
                                verbose_name=_("citizen"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("read by"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("for organisation"))
    what = models.CharField(_("what"), max_length=40)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    purpose = models.CharField(_("purpose"), max_length=80, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
