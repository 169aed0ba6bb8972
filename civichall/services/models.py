"""The service matrix in the database: services, hubs, connectors, menus.

The logic lives in the pure modules beside this one (``menu.py``,
``breaker.py``, ``connectors/``, ``search.py``, ``garbage.py``); these models
only store what administrators configure. Who may change a service or a
menu is decided by ``permissions.access_service`` / ``access_menu``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from civichall.core.i18n import localised
from civichall.core.inputs import is_web_link
from civichall.core.models import BilingualName

from .connectors.base import DEFAULT_TIMEOUT_S


class ServiceKind(models.TextChoices):
    QUERY = "query", _("Query service")
    APPLICATION = "application", _("Online application")
    LINK = "link", _("Link")
    ASSISTANT = "assistant", _("Smart assistant")


class ServiceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    MAINTENANCE = "maintenance", _("Under maintenance")
    RETIRED = "retired", _("Retired")


class Connector(models.Model):
    """How a query service reaches a department's data: a connector kind
    (HTTP JSON API, CSV file, read-only SQL, GTFS …) and its configuration.

    ``secret`` (an API key, a database password) is never shown again after
    it is saved and never written to logs.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("owner"), on_delete=models.PROTECT,
        related_name="connectors",
        help_text=_("The department whose system this is. Only its services may use the connector, "
                    "unless its administrators share it with another organisation."),
    )
    kind = models.CharField(_("kind"), max_length=40)
    personal_data = models.BooleanField(
        _("returns personal data"), default=False,
        help_text=_("Every service over this connector must then be for signed-in, real-name verified "
                    "citizens, with the identity parameter filled from their verified identity."),
    )
    identity_param = models.CharField(
        _("identity parameter"), max_length=40, blank=True,
        help_text=_("For personal data: the input that names whose data is returned (e.g. resident_id, "
                    "or plate for records of a vehicle)."),
    )
    config = models.JSONField(_("configuration"), default=dict, blank=True)
    secret = models.CharField(_("secret"), max_length=500, blank=True)
    data_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("data file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For file connectors: the uploaded CSV / open-data file."),
    )
    timeout_s = models.FloatField(_("timeout (seconds)"), default=DEFAULT_TIMEOUT_S)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("connector")
        verbose_name_plural = _("connectors")

    def __str__(self):
        return f"{self.name} ({self.kind})"

    def usable_by(self, organisation):
        """True if services of ``organisation`` may use this connector: its
        own, or an organisation it is shared with (and not revoked)."""
        org_id = getattr(organisation, "pk", organisation)
        if org_id is None:
            return False
        if org_id == self.organisation_id:
            return True
        return self.shares.filter(organisation_id=org_id, revoked_at__isnull=True).exists()

    @classmethod
    def usable_by_queryset(cls, organisations):
        """Connectors that services of any of ``organisations`` may use."""
        ids = organisations.values("pk")
        return cls.objects.filter(
            models.Q(organisation__in=ids)
            | models.Q(shares__organisation__in=ids, shares__revoked_at__isnull=True)
        ).distinct()


class ConnectorShare(models.Model):
    """The owner of a connector lets another organisation's services use
    it. Created and revoked only by the owner's administrators, through
    ``actions.do_share_connector`` / ``do_revoke_connector_share``; a revoked
    share is kept (revoked_at) for the audit trail."""

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="shares",
                                  verbose_name=_("connector"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="shared_connectors", verbose_name=_("shared with"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("shared by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("revoked by"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("connector share")
        verbose_name_plural = _("connector shares")
        constraints = [
            models.UniqueConstraint(fields=["connector", "organisation"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_active_share_per_organisation"),
        ]

    def __str__(self):
        return f"{self.connector.name} → {self.organisation}"

    @property
    def active(self):
        return self.revoked_at is None


def connector_binding_problems(service, connector=None):
    """What is wrong with ``service`` using ``connector`` (default: its own),
    as {field: message}; empty when the binding is sound.

    The rule lives here, on the model, so that no path -- admin, API, CLI,
    import, demo loader -- can save a service that reads another
    department's system or hands personal data to the wrong person:

    * the connector must belong to the service's organisation or be shared
      with it by its owner;
    * a connector that returns personal data may only be used by a service
      for signed-in, real-name verified citizens that binds the connector's
      identity parameter: filled from the verified identity (the service's
      identity parameter), or checked to be the citizen's own (its owned
      parameter, e.g. a plate of their own vehicle)."""
    connector = connector if connector is not None else service.connector
    if connector is None:
        return {}
    problems = {}
    if not connector.usable_by(service.organisation_id):
        problems["connector"] = _(
            "This connector belongs to %(owner)s. A service may use only its own organisation's "
            "connectors, or one its owner has shared with it."
        ) % {"owner": connector.organisation.name_zh if connector.organisation_id else "?"}
    if connector.personal_data:
        wanted = connector.identity_param
        if not (service.requires_login and service.requires_verified):
            problems["requires_verified"] = _(
                "This connector returns personal data: the service must be for signed-in, real-name "
                "verified citizens.")
        if not wanted or wanted not in (service.identity_param, service.owned_param):
            problems["identity_param"] = _(
                "This connector returns personal data: “%(param)s” must be the service's identity "
                "parameter (filled from the citizen's verified identity) or its owned parameter "
                "(checked to belong to the citizen).") % {"param": wanted or "?"}
    return problems


class Service(BilingualName):
    """One service of the matrix: a query, an online application, a link
    or the assistant, owned by one organisation."""

    code = models.SlugField(_("code"), max_length=60, unique=True,
                            help_text=_("Stable identifier used in URLs and the API."))
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("owner"), on_delete=models.PROTECT,
        related_name="services",
    )
    # BilingualName, with shorter names
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True,
                                help_text=_("Separated by spaces or commas."))
    synonyms = models.CharField(_("synonyms"), max_length=500, blank=True,
                                help_text=_("Other words citizens use for it, separated by spaces or commas."))
    icon = models.CharField(_("icon"), max_length=20, blank=True, help_text=_("An emoji or short symbol."))
    requires_login = models.BooleanField(_("needs a signed-in citizen"), default=False)
    requires_verified = models.BooleanField(_("needs real-name verification"), default=False)
    identity_param = models.CharField(
        _("identity parameter"), max_length=40, blank=True,
        help_text=_("Input filled with the verified citizen's identity, never typed by them."),
    )
    owned_param = models.CharField(
        _("owned parameter"), max_length=40, blank=True,
        help_text=_("Input that must belong to the citizen (e.g. a plate of their own vehicle)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices,
                              default=ServiceStatus.AVAILABLE)
    maintenance_message = models.CharField(_("maintenance message"), max_length=300, blank=True)
    connector = models.ForeignKey(Connector, verbose_name=_("connector"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="services")
    cache_ttl_s = models.PositiveIntegerField(
        _("cache time (seconds)"), default=60,
        help_text=_("0 for answers that must always be fresh or are personal."),
    )
    input_schema = models.JSONField(_("input schema"), default=dict, blank=True,
                                    help_text=_("JSON Schema of the query form; empty = the connector's."))
    output_schema = models.JSONField(_("output schema"), default=dict, blank=True)
    link_url = models.CharField(_("link"), max_length=1024, blank=True)
    alternative = models.CharField(
        _("alternative when unavailable"), max_length=300, blank=True,
        help_text=_("e.g. a hotline or an office citizens can turn to."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")


    @property
    def description(self):
        return localised(self.description_zh, self.description_en)

    def clean(self):
        super().clean()
        problems = connector_binding_problems(self) | self.link_problems()
        if problems:
            raise ValidationError(problems)

    def link_problems(self):
        """A link opens only a web address or a page of this site: a
        ``javascript:`` or ``data:`` link would run in the citizen's browser."""
        if self.link_url and not is_web_link(self.link_url):
            return {"link_url": _("Enter an address starting with https:// or http://, "
                                  "or a path on this site starting with /.")}
        return {}

    def save(self, *args, **kwargs):
        # The binding and link rules hold however the service is saved.
        problems = connector_binding_problems(self) | self.link_problems()
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)

    def word_list(self, field):
        raw = getattr(self, field) or ""
        return [w for w in raw.replace("，", ",").replace(",", " ").split() if w]


class Hub(BilingualName, ClusterableModel):
    """A group of services shown together, e.g. the Municipal Hall."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="hubs")
    # BilingualName, with shorter names
    name_zh = models.CharField(_("Chinese name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    description_zh = models.TextField(_("description"), blank=True)
    show_linked = models.BooleanField(
        _("show linked accounts' services"), default=False,
        help_text=_("Also list services of the organisation's districts and bureaus, grouped by owner."),
    )
    services = models.ManyToManyField(Service, through="HubEntry", related_name="hubs", blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("service hub")
        verbose_name_plural = _("service hubs")



class HubEntry(models.Model):
    """A service's place in a hub (ordered in the admin by dragging)."""

    hub = ParentalKey(Hub, on_delete=models.CASCADE, related_name="entries")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE,
                                related_name="hub_entries")
    sort_order = models.PositiveIntegerField(default=0, editable=False)
    sort_order_field = "sort_order"

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["hub", "service"], name="unique_hub_service")]


class AccountMenu(models.Model):
    """An account's custom menu in WeChat's JSON shape (``{"button": [...]}``),
    validated by ``menu.py`` against WeChat's limits before it is saved."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE,
                                        related_name="menu")
    menu = models.JSONField(_("menu"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("account menu")
        verbose_name_plural = _("account menus")

    def __str__(self):
        return str(self.organisation)
