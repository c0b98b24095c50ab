from django.urls import path

from . import views

urlpatterns = [
    path("healthz/", views.healthz),
    path("notes/<int:pk>/", views.note),
]
