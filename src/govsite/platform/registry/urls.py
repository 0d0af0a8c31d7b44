from __future__ import annotations

from django.urls import path

from govsite.platform.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.sites, name="sites"),
    path("<str:code>/", views.site, name="site"),
]
