"""The sender's contact (phone or e-mail): checked on the way in, masked wherever it is listed."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


def is_valid_contact(value: str) -> bool:
    if PHONE.match(value):
        return True
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def mask_contact(value: str) -> str:
    """13812345678 → 138****5678; zhang.san@example.cn → z*******@example.cn."""
    if not value:
        return ""
    if "@" in value:
        name, _, domain = value.rpartition("@")
        return f"{name[:1]}{'*' * max(len(name) - 1, 1)}@{domain}"
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) <= 7:
        return digits[:2] + "*" * (len(digits) - 2)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def client_key(address: str) -> str:
    """The sender's address as a keyed hash: rate limits without keeping addresses."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
