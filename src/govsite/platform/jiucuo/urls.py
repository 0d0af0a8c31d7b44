from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from govsite.platform.jiucuo import holiday_page, public, views

app_name = "jiucuo"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.report, name="report"),  # ?site=<网站标识码>: the site's 找错 entrance
    path("jiucuo.js", public.embed_script, name="embed"),  # the entrance a site's pages include
    path("track/", public.track, name="track"),
    path("reports/", views.reports, name="reports"),
    path("reports/import/", views.import_file, name="import"),
    path("reports/export.<str:kind>", views.export, name="export"),
    path("reports/<int:pk>/", views.report, name="detail"),
    path("reports/<int:pk>/act/", views.act, name="act"),
    path("reports/<int:pk>/screenshot.png", views.screenshot, name="screenshot"),
    path("figures/", views.figures_page, name="figures"),
    path("calendar/", holiday_page.calendar_page, name="calendar"),
]
