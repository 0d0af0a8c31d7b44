from __future__ import annotations

from django.urls import path

from govsite.platform.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.sites, name="sites"),
    path("import/", views.import_sites, name="import"),
    path("export.<str:fmt>", views.export_sites, name="export"),
    path("mismatches/", views.mismatches, name="mismatches"),
    path("leaders/", views.leaders_page, name="leaders"),
    path("<str:code>/", views.site, name="site"),
    path("<str:code>/self-check/", views.self_check, name="self_check"),
]
