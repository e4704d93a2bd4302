from django.urls import path

from parties import views

urlpatterns = [
    path("parties/<slug:code>/", views.party_detail, name="party-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
]
