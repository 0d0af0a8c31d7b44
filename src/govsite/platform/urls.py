"""URL configuration; each app adds its own."""

from __future__ import annotations

from django.contrib.auth import views as auth
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", lambda request: redirect("campaigns:list"), name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("sites/", include("govsite.platform.registry.urls")),
    path("campaigns/", include("govsite.platform.campaigns.urls")),
    path("dashboard/", include("govsite.platform.dashboards.urls")),
    path("monitor/", include("govsite.platform.monitor.urls")),
    path("rectification/", include("govsite.platform.rectification.urls")),
    path("api/", include("govsite.platform.api.urls")),
    path("jiucuo/", include("govsite.platform.jiucuo.urls")),  # 我为政府网站找错: public form and handling
    path("bulletins/", include("govsite.platform.bulletins.urls")),
    path("ledger/", include("govsite.platform.ledger.urls")),
    path("public/", include("govsite.platform.public.urls")),  # login-free: only what supervisors published
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the header's language switcher
]
