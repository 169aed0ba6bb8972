"""The product's settings, declared once: name, default and what it does.

Every environment variable CivicHall reads and every ``CIVICHALL_*`` Django
setting is declared here with its default and a one-line description. Code
reads a setting with :func:`setting` (never ``getattr(settings, NAME,
default)``, which would repeat the default); ``docs/settings.md`` is generated
from this list with :func:`markdown_table` (``civichall settings_doc
--write``), and a test fails when the two disagree or when code reads a
``CIVICHALL_*`` name that is not declared.

What a deployment decides about its public face (the account's name, the
citizen hotline, search suggestions) is not here: administrators keep it in
the admin (*Settings → Site profile*, ``civichall.core.models.SiteProfile``);
the ``CIVICHALL_SITE_*`` variables below only give a fresh installation its
first values.

This module imports Django only inside :func:`setting`, so ``settings.py``
and pure modules may import it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Setting", "declare", "declared", "env", "markdown_table", "setting"]


@dataclass(frozen=True)
class Setting:
    """One declared setting.

    ``name``: the environment variable (and the Django setting, unless
    ``django_name`` says otherwise; ``None`` when only the environment is
    read). ``default``: the value used when neither is set (``None``: unset).
    ``shown``: the default as the documentation should show it, when the value
    itself would not say it well (computed defaults). ``group``: the heading
    of the documentation table it appears under."""

    name: str
    default: object
    doc: str
    group: str = "Product"
    django_name: str | None = ""
    shown: str = ""
    from_env: bool = True

    @property
    def setting_name(self) -> str | None:
        return self.name if self.django_name == "" else self.django_name

    def shown_default(self) -> str:
        if self.shown:
            return self.shown
        if self.default is None or self.default == "":
            return "unset"
        if isinstance(self.default, bool):
            return "on" if self.default else "off"
        return f"`{self.default}`"


_REGISTRY: dict[str, Setting] = {}


def declare(name, default, doc, **options) -> Setting:
    """Declare a setting (a room or the demo may declare its own here)."""
    if name in _REGISTRY and _REGISTRY[name] != Setting(name, default, doc, **options):
        raise ValueError(f"setting {name} declared twice, differently")
    entry = _REGISTRY[name] = Setting(name, default, doc, **options)
    return entry


def declared() -> dict[str, Setting]:
    """Every declared setting by name, in the order of declaration."""
    return dict(_REGISTRY)


def _entry(name) -> Setting:
    if name in _REGISTRY:
        return _REGISTRY[name]
    for entry in _REGISTRY.values():
        if entry.setting_name == name:
            return entry
    raise KeyError(f"{name} is not a declared setting (civichall/core/config.py)")


def setting(name):
    """The value of the Django setting ``name``, or its declared default when
    the project's settings do not set it (e.g. a test's settings module)."""
    from django.conf import settings

    entry = _entry(name)
    return getattr(settings, entry.setting_name or name, entry.default)


_TRUE = {"1", "true", "yes", "on"}


def env(name, environ=None):
    """The environment variable ``name`` read as its declared default's type
    (bool, int, float or text), or the declared default when it is unset."""
    entry = _entry(name)
    raw = (os.environ if environ is None else environ).get(name)
    if raw is None:
        return entry.default
    default = entry.default
    if isinstance(default, bool):
        return raw.strip().lower() in _TRUE
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def markdown_table() -> str:
    """``docs/settings.md``: one table per group of the declared settings."""
    lines = [
        "# Settings",
        "",
        "<!-- Generated from civichall/core/config.py by `civichall settings_doc --write`;",
        "     edit the declarations there, not this file. -->",
        "",
        "CivicHall is configured through environment variables with safe defaults, so",
        "that a bare checkout runs on SQLite with no other service. What a deployment",
        "shows the public (the account's name, the citizen hotline, search",
        "suggestions) is kept by administrators in the admin under *Settings → Site",
        "profile*; the `CIVICHALL_SITE_*` variables only give a fresh installation its",
        "first values.",
    ]
    groups: dict[str, list[Setting]] = {}
    for entry in _REGISTRY.values():
        groups.setdefault(entry.group, []).append(entry)
    for group, entries in groups.items():
        lines += ["", f"## {group}", "", "| variable | default | meaning |", "|---|---|---|"]
        for entry in entries:
            name = f"`{entry.name}`"
            if entry.setting_name and entry.setting_name != entry.name:
                name += f" (setting `{entry.setting_name}`)"
            if not entry.from_env:
                name += " (setting only)"
            lines.append(f"| {name} | {entry.shown_default()} | {entry.doc} |")
    return "\n".join(lines) + "\n"


# --- the twelve-factor environment -------------------------------------------------------
_E = "Environment"
declare("DEBUG", False, "`1` for development and the demo (`make demo` sets it); a start without it is a production start", group=_E)
declare("SECRET_KEY", "", "**required** unless `DEBUG` is on: a production start without it is refused", group=_E,
        shown="development key with `DEBUG=1`")
declare("DATABASE_URL", None, "e.g. `postgresql://user@host:5432/civichall`", group=_E,
        shown="`sqlite:///var/civichall.sqlite3` (WAL mode)")
declare("REDIS_URL", "", "e.g. `redis://127.0.0.1:6379/0`: cache, rate limits and breaker state in Redis "
        "(several web processes need it)", group=_E, shown="unset (local-memory cache)")
declare("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver", "comma-separated host names", group=_E, django_name=None)
declare("CSRF_TRUSTED_ORIGINS", "", "comma-separated origins, e.g. `https://www.example.gov.cn`", group=_E,
        django_name=None)
declare("TIME_ZONE", "Asia/Shanghai", "the site's time zone (and the departments' local times)", group=_E)
declare("CIVICHALL_VAR", "./var", "folder for the SQLite file, uploaded media and static files", group=_E,
        django_name=None)
declare("LOG_LEVEL", None, "log level", group=_E, django_name=None,
        shown="`INFO` for CivicHall, `WARNING` otherwise")
declare("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000", "public base URL used in admin notifications and links",
        group=_E)
declare("SECURE_SSL_REDIRECT", True, "redirect plain HTTP to HTTPS (not `/healthz`)", group=_E,
        shown="on when `DEBUG` is off")
declare("SECURE_HSTS_SECONDS", 31536000, "HSTS max-age", group=_E, shown="`31536000` when `DEBUG` is off")
declare("SECURE_HSTS_INCLUDE_SUBDOMAINS", False, "HSTS for subdomains too", group=_E)
declare("SECURE_HSTS_PRELOAD", False, "ask browsers to preload HSTS", group=_E)
declare("SECURE_COOKIES", True, "session and CSRF cookies only over HTTPS", group=_E, django_name=None,
        shown="on when `DEBUG` is off")
declare("EMAIL_HOST", "localhost", "SMTP server for review notifications (unset: mail printed to the console)",
        group=_E, shown="unset: mail printed to the console")
declare("EMAIL_PORT", 25, "SMTP port", group=_E)
declare("EMAIL_BACKEND", None, "Django mail backend", group=_E, shown="SMTP with `EMAIL_HOST`, else the console")
declare("DEFAULT_FROM_EMAIL", "noreply@example.gov.cn", "sender of the mail CivicHall sends", group=_E)
declare("OTP_TOTP_ISSUER", "CivicHall", "the name authenticator apps show for the staff sign-in", group=_E)
declare("CIVICHALL_BIND", "127.0.0.1:8000", "address `civichall serve` listens on", group=_E, django_name=None)
declare("WEB_CONCURRENCY", None, "web workers of `civichall serve`", group=_E, django_name=None,
        shown="1 without `REDIS_URL`, 2 with it")
declare("FORWARDED_ALLOW_IPS", "127.0.0.1", "proxies `civichall serve` believes about the scheme", group=_E,
        django_name=None)

# --- the site's first values (then kept in the admin) -----------------------------------------
_S = "A new site's first values"
declare("CIVICHALL_SITE_NAME", "CivicHall", "the account's name on a fresh installation (home page, page titles, "
        "footer) and the admin's name; then kept in *Settings → Site profile*", group=_S,
        django_name="WAGTAIL_SITE_NAME")
declare("CIVICHALL_HOTLINE", "12345", "the citizen hotline on a fresh installation (footer, error pages, the "
        "alternative offered when a service is unavailable); then kept in *Settings → Site profile*",
        group=_S, django_name=None)
declare("CIVICHALL_SITE_DESCRIPTION", "", "the pages' meta description when the site profile has none", group=_S,
        from_env=False, shown="a translated sentence about the platform")

# --- product behaviour ---------------------------------------------------------------------
declare("CIVICHALL_ALLOW_LOCAL_CACHE", False, "allow several web workers without `REDIS_URL` (each then counts "
        "rate limits alone)")
declare("CIVICHALL_PERIODIC_INTERVAL", 30, "seconds between the worker's periodic jobs")
declare("CIVICHALL_PAGE_CACHE", True, "serve public pages to anonymous readers from the shared cache "
        "(purged the moment what they show changes)")
declare("CIVICHALL_PAGE_CACHE_SECONDS", 600, "seconds a cached page is kept at most (purges remove it sooner)")
declare("CIVICHALL_PAGE_CACHE_LOCAL_MB", 32, "megabytes of cached pages each web process also keeps in its own "
        "memory, served while the shared versions still match (0: none)")
declare("CIVICHALL_PAGE_CACHE_S_MAXAGE", 0, "`s-maxage` of public pages: seconds a CDN or reverse proxy may keep "
        "them (purged through `WAGTAILFRONTENDCACHE`)")
declare("CIVICHALL_PREPARED_STATEMENTS", True, "PostgreSQL plans the hot paths' batched writes once per "
        "connection (prepared statements); turn off behind a pooler that cannot keep them (PgBouncer before "
        "1.21 in transaction mode)")
declare("CIVICHALL_ELDER_COOKIE", "civichall_elder", "the cookie that remembers elder mode", from_env=False)
declare("CIVICHALL_SIGN_IN_FAILURES", 5, "wrong staff passwords before a lockout", django_name="AXES_FAILURE_LIMIT")
declare("CIVICHALL_SIGN_IN_LOCKOUT_MINUTES", 15, "minutes a locked staff sign-in waits", django_name=None)
declare("CIVICHALL_STAFF_TWO_FACTOR", True, "administrators, reviewers and superusers confirm a second factor")
declare("CIVICHALL_SMS_SENDER", "civichall.accounts.sms.ConsoleSender", "the class that sends citizens' sign-in codes")
declare("CIVICHALL_IDENTITY_PROVIDER", "", "the class that verifies citizens' real names (the city's identity "
        "service)", shown="the demo's provider with the demo, else unset (verification refused)")
declare("CIVICHALL_TRUST_X_FORWARDED_FOR", False, "legacy switch: one reverse proxy in front (see the next)")
declare("CIVICHALL_TRUSTED_PROXIES", 0, "how many reverse proxies stand in front of the app (client addresses "
        "for rate limits and lockouts)", shown="`0` (`1` with `CIVICHALL_TRUST_X_FORWARDED_FOR`)")
declare("CIVICHALL_TRUSTED_PROXY_ADDRESSES", (), "comma-separated addresses of the trusted proxies",
        shown="unset")
declare("CIVICHALL_COMMENTS_PER_MINUTE", 5, "comments a minute per citizen")
declare("CIVICHALL_COMMENTS_PER_MINUTE_PER_ADDRESS", 5, "comments a minute per network address")
declare("CIVICHALL_COMMENT_EDITS_PER_WINDOW", 5, "edits of one's own comments per citizen in the window")
declare("CIVICHALL_COMMENT_EDIT_WINDOW_SECONDS", 600, "the window for comment edits, in seconds")
declare("CIVICHALL_CITIZEN_TOKEN_DAYS", 30, "days a citizen's app token lasts after sign-in")
declare("CIVICHALL_BREAKER_FAILURES", 3, "failures in a row that open a department system's circuit breaker")
declare("CIVICHALL_BREAKER_COOLDOWN_S", 30.0, "seconds an open breaker waits before trying again")
declare("CIVICHALL_WECHAT_API_BASE", "https://api.weixin.qq.com/", "where the WeChat platform's API is (the "
        "demo's fake platform in development and tests)", shown="WeChat's own")
declare("CIVICHALL_WECHAT_MAX_BODY_BYTES", 65536, "largest message body the WeChat endpoint reads")
declare("CIVICHALL_OWNERSHIP_REGISTRIES",
        {"plate": {"connector": "vehicle_registry", "identity_param": "resident_id", "field": "plate"}},
        "for each owned query parameter, the connector that lists what a citizen owns", from_env=False,
        shown="plates checked against `vehicle_registry`")

declare("CIVICHALL_ASSISTANT_EMBEDDINGS", True, "the assistant also ranks by meaning (a sentence-embedding "
        "model shipped in a Python package); off: words only")
declare("CIVICHALL_ASSISTANT_CONFIDENCE", 0.65, "the assistant's score under which it says it is unsure and "
        "offers three candidates and a person")

# --- the demo ------------------------------------------------------------------------------
_D = "Demo"
declare("CIVICHALL_DEMO", False, "load and serve the demo (`civichall demo`)", group=_D,
        shown="on with `DEBUG`")
declare("CIVICHALL_DEMO_DEPARTMENT_URL", "http://127.0.0.1:8765", "where the demo connectors find the demo's "
        "department systems", group=_D)
