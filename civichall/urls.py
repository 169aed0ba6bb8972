"""URL map: the public site (Wagtail pages), the admin, the API."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civichall.api.main import api
from civichall.core import views as core_views

handler400 = "civichall.core.views.bad_request"
handler403 = "civichall.core.views.permission_denied"
handler404 = "civichall.core.views.page_not_found"
handler500 = "civichall.core.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    # Anything else under /api/ is an API 404 in JSON, never an HTML page
    # (whatever the method: the API takes no form tokens).
    re_path(r"^api/", csrf_exempt(core_views.page_not_found)),
    path("preferences/elder-mode/", core_views.elder_mode, name="elder_mode"),
    path("healthz", core_views.healthz, name="healthz"),
    path("citizen/notifications/", include("civichall.notify.urls")),
    path("citizen/", include("civichall.accounts.urls")),
    path("comments/", include("civichall.interaction.urls")),
    path("services/", include("civichall.services.urls")),
    path("applications/", include("civichall.applications.urls")),
    path("assistant/", include("civichall.assistant.urls")),
    path("wechat/", include("civichall.channels.wechat.urls")),
    path("open311/", include("civichall.channels.open311.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.views.static import serve

    # Media is small here; large deployments serve it from the web server or a CDN.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]
