from django.urls import path

from cases import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:number>/", views.case_detail, name="case-detail"),
    path("cases/<int:number>/decisions/<slug:slug>/", views.decision_detail, name="decision-detail"),
    path(
        "cases/<int:number>/decisions/<slug:slug>/provisions/<str:paragraph>/",
        views.provision_detail,
        name="provision-detail",
    ),
]
