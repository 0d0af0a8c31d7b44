"""The archive origin's URLs (``ARCHIVE_ORIGIN``): archived copies by signed link, nothing else."""

from __future__ import annotations

from django.urls import path

from govsite.platform.campaigns import archive

urlpatterns = [path("archive/<str:token>/", archive.by_link, name="archived-copy")]
