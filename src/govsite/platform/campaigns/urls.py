from __future__ import annotations

from django.urls import path

from govsite.platform.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/progress.json", views.campaign_progress, name="progress"),
    path("<int:pk>/run/", views.campaign_run, name="run"),
    path("<int:pk>/sites/<int:entry_pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/sites/<int:entry_pk>/archive/<int:index>/", views.archived, name="archived"),
]
