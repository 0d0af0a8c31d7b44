from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from govsite.platform.monitor import views

app_name = "monitor"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="uptime"),
]
