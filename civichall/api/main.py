"""The Ninja API: created here, with the one error shape installed, and
every room's router mounted. Nothing else lives here: the error type and
its mapping are ``civichall.core.errors``/``core.api_errors``, the shared
schemas and pagination ``core.api_schemas``/``core.api_pagination``, the
bearer-token auth ``civichall.accounts.api_auth``."""

from ninja import NinjaAPI

from civichall.core.api_errors import (
    install_error_handlers,
    with_json_method_not_allowed,
)
from civichall.core.api_renderer import ChineseJSONRenderer


class CivicHallAPI(NinjaAPI):
    """The API, whose OpenAPI document declares every error each operation
    can answer, and whose addresses answer a wrong method in the error shape."""

    def get_openapi_schema(self, *args, **kwargs):
        from .openapi import complete

        return complete(super().get_openapi_schema(*args, **kwargs))

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return with_json_method_not_allowed(patterns), app_name, namespace


api = install_error_handlers(CivicHallAPI(
    renderer=ChineseJSONRenderer(),
    title="CivicHall API",
    version="1",
    description=(
        "Articles, organisations and services of the account matrix. Errors are "
        '`{"error": {"code": ..., "message": ...}}`; messages are in Chinese unless '
        "`Accept-Language: en` is sent. Lists answer `{\"count\", \"page\", \"page_size\", "
        "\"results\"}` and take `page` and `page_size` (at most 100)."
    ),
    urls_namespace="api_v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
))


def _mount():
    from civichall.accounts.citizen_api import router as citizen_router
    from civichall.applications.api import router as applications_router
    from civichall.applications.api import staff_router as applications_staff_router
    from civichall.assistant.api import router as assistant_router
    from civichall.content.api import organisations_router
    from civichall.content.api import router as content_router
    from civichall.interaction.api import router as interaction_router
    from civichall.interaction.api import staff_router as interaction_staff_router
    from civichall.notify.api import router as notify_router
    from civichall.safety.api import router as safety_router
    from civichall.services.api import router as services_router
    from civichall.services.staff_api import router as services_staff_router

    api.add_router("/", content_router)
    api.add_router("/", organisations_router)
    api.add_router("/", safety_router)
    api.add_router("/", citizen_router)
    api.add_router("/", interaction_router)
    api.add_router("/", interaction_staff_router)
    api.add_router("/", notify_router)
    api.add_router("/", services_router)
    api.add_router("/", services_staff_router)
    api.add_router("/", assistant_router)
    api.add_router("/", applications_router)
    api.add_router("/", applications_staff_router)


_mount()
