from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from govsite.platform.dashboards import views

app_name = "dashboards"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("sites/<str:code>/", views.site, name="site"),
    path("trends/", views.trends, name="trends"),
]
