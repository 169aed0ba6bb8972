"""Public URLs of the service matrix, mounted at ``/services/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="services_index"),
    path("search/", views.search, name="services_search"),
    path("hub/<slug:slug>/", views.hub, name="services_hub"),
    path("menu/<path:key>/", views.menu_click, name="services_menu_click"),
    path("<slug:code>/", views.service_page, name="service"),
]
