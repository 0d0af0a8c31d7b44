from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from govsite.platform.bulletins import views

app_name = "bulletins"
urlpatterns: list[URLPattern | URLResolver] = [
    path("campaigns/<int:campaign_id>/", views.edit, name="edit"),
    path("exports/<int:pk>/", views.download, name="download"),
]
