"""``{% load review_labels %}``: ``{{ id|check_name }}`` and ``{{ action|action_name }}``."""

from __future__ import annotations

from django import template

from govsite.platform.review import labels

register = template.Library()
register.filter("check_name", labels.check_name)
register.filter("action_name", labels.action_name)
