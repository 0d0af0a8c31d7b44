"""``/api/``: the docs; ``/api/schema/``: the OpenAPI 3 description; ``/api/v1/…``: the API."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from govsite.platform.api import docs, error_reports, views

app_name = "api"
v1: list[URLPattern | URLResolver] = [
    path("sites/", views.SiteList.as_view(), name="site-list"),
    path("sites/<str:code>/", views.SiteDetail.as_view(), name="site-detail"),
    path("campaigns/", views.CampaignList.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", views.CampaignDetail.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/run/", views.CampaignRun.as_view(), name="campaign-run"),
    path("campaigns/<int:pk>/results/", views.ResultList.as_view(), name="result-list"),
    path("campaigns/<int:pk>/results/<str:code>/", views.ResultDetail.as_view(), name="result-detail"),
    path("error-reports/", error_reports.ReportList.as_view(), name="error-report-list"),
    path("error-reports/import/", error_reports.ReportImport.as_view(), name="error-report-import"),
    path("error-reports/replies/", error_reports.ReplyList.as_view(), name="error-report-replies"),
    path("error-reports/figures/", error_reports.Figures.as_view(), name="error-report-figures"),
]
urlpatterns: list[URLPattern | URLResolver] = [
    path("", docs.Docs.as_view(), name="docs"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("assets/<str:name>", docs.asset, name="asset"),
    path("v1/", include((v1, "v1"))),  # names: api:v1:site-list, …
]
