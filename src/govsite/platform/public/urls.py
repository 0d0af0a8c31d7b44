from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from govsite.platform.public import views

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.publication, name="publication"),
    path("<int:pk>/files/<int:export_id>/", views.bulletin_file, name="file"),
    path("<int:pk>/registry.csv", views.registry_csv, name="registry_csv"),
    path("<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("registry/publish/", views.publish_registry_view, name="publish_registry"),
]
