"""Public URLs of the assistant, mounted at ``/assistant/``."""

from django.urls import path

from . import views

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("questions/<int:asked_id>/handoff/", views.handoff, name="handoff"),
    path("questions/<int:asked_id>/feedback/", views.feedback, name="feedback"),
    path("faq/<int:pk>/", views.faq, name="faq"),
]
