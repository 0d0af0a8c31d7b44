"""What a supervisor published to the public, login-free section (监管专题). The public
pages read these rows only: each holds its content frozen at publication (a bulletin's
document and files, a ledger's ranked tables, the registry's public columns), so nothing
unpublished, and nothing changed since, is reachable without a login."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.platform.bulletins.models import Bulletin, Export
from govsite.platform.ledger.models import Ledger
from govsite.platform.registry.models import Region


class Publication(models.Model):
    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("Bulletin")
        LEDGER = "ledger", _("Deduction ledger")
        REGISTRY = "registry", _("Website registry")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("region"))
    content = models.JSONField()  # bulletin: the document; ledger: its tables; registry: its public rows
    bulletin = models.ForeignKey(Bulletin, models.PROTECT, null=True, blank=True, related_name="publications")
    ledger = models.ForeignKey(Ledger, models.PROTECT, null=True, blank=True, related_name="publications")
    files = models.ManyToManyField(Export, blank=True, related_name="publications")  # a bulletin's files
    published = models.DateTimeField(_("published"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    withdrawn = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-published", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title
