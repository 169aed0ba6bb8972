"""The WeChat channel's public addresses, under ``/wechat/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.message_server, name="wechat_message_server"),
    path("<slug:slug>/oauth/", views.oauth_start, name="wechat_oauth_start"),
    path("<slug:slug>/oauth/callback/", views.oauth_callback, name="wechat_oauth_callback"),
    path("<slug:slug>/jssdk/", views.jssdk_config, name="wechat_jssdk_config"),
]
