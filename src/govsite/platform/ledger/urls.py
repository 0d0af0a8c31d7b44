from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from govsite.platform.ledger import views

app_name = "ledger"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ledgers, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
