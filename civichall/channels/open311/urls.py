from django.urls import path, re_path

from . import views

app_name = "open311"

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    path("", views.recent, name="recent"),
    path("reports/<str:number>/", views.report, name="report"),
    re_path(rf"^discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^v2/services\.{FMT}$", views.services, name="services"),
    re_path(rf"^v2/services/(?P<code>[-\w]+)\.{FMT}$", views.service_definition, name="service"),
    re_path(rf"^v2/requests\.{FMT}$", views.requests, name="requests"),
    re_path(rf"^v2/requests/(?P<number>[-\w]+)\.{FMT}$", views.service_request, name="request"),
    re_path(rf"^v2/tokens/(?P<token>[-\w]+)\.{FMT}$", views.token, name="token"),
]
