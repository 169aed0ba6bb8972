from django.urls import path

from . import views

urlpatterns = [
    path("", views.profile, name="citizen_profile"),
    path("sign-in/", views.sign_in, name="citizen_login"),
    path("sign-out/", views.sign_out, name="citizen_logout"),
]
