from django.urls import path

from . import views

app_name = "interaction"

urlpatterns = [
    path("articles/<int:article_id>/", views.post_comment, name="post"),
    path("<int:comment_id>/like/", views.like, name="like"),
    path("<int:comment_id>/report/", views.report, name="report"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
]
