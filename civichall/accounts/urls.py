from django.urls import path

from . import views

urlpatterns = [
    path("", views.profile, name="citizen_profile"),
    path("sign-in/", views.sign_in, name="citizen_login"),
    path("sign-out/", views.sign_out, name="citizen_logout"),
    path("devices/", views.devices, name="citizen_devices"),
    path("data-use/", views.data_use, name="citizen_data_use"),
    path("devices/<int:session_id>/end/", views.end_device, name="citizen_end_device"),
    path("devices/sign-out-everywhere/", views.sign_out_everywhere, name="citizen_sign_out_everywhere"),
]
