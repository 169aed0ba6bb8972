from django.urls import path

from . import case_views, views

app_name = "applications"

urlpatterns = [
    path("cases/", case_views.my_cases, name="my_cases"),
    path("cases/<str:number>/", case_views.case_page, name="case"),
    path("cases/<str:number>/supplement/", case_views.supplement, name="supplement"),
    path("cases/<str:number>/rate/", case_views.rate, name="rate"),
    path("cases/<str:number>/materials/<int:material_id>/", case_views.material_file, name="material"),
    path("cases/<str:number>/letter.pdf", case_views.letter_pdf, name="letter"),
    path("verify/<str:token>/", case_views.verify, name="verify"),
    path("consents/", views.my_consents, name="consents"),
    path("<slug:code>/", views.start, name="start"),
    path("<slug:code>/consent/", views.consent, name="consent"),
    path("<slug:code>/step/<int:index>/", views.step, name="step"),
    path("<slug:code>/materials/", views.materials, name="materials"),
    path("<slug:code>/review/", views.review, name="review"),
]
