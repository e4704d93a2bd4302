"""Decision pages, included under a case: /cases/<number>/decisions/..."""

from django.urls import path

from decisions import views

urlpatterns = [
    path("<slug:slug>/", views.decision_detail, name="decision-detail"),
    path("<slug:slug>/citation.bib", views.decision_bibtex, name="decision-bibtex"),
    path("<slug:slug>/citation.json", views.decision_csl, name="decision-csl"),
    path("<slug:slug>/provisions/<slug:paragraph>/", views.provision_detail, name="provision-detail"),
]
