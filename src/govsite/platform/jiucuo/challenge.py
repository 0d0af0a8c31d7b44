"""The form's challenge: a small sum, signed by the server, that works offline (no
external CAPTCHA service) and needs no stored state. It is bound to the form's
idempotency key, so one solved challenge yields one ticket, however often it is sent."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

SALT = "govsite.jiucuo.challenge"


class ChallengeFailed(ValueError):
    pass


def issue(form_key: str) -> tuple[str, str]:
    """(question, token) for the form with this key."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    return f"{a} + {b} = ?", signing.dumps({"k": form_key, "s": a + b}, salt=SALT)


def verify(token: str, form_key: str, answer: str) -> None:
    """Raise ``ChallengeFailed`` with a message for the sender unless ``answer`` solves ``token``."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.JIUCUO_CHALLENGE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ChallengeFailed(_("The form has expired: please answer the new question.")) from exc
    except signing.BadSignature as exc:
        raise ChallengeFailed(_("The form was damaged: please answer the new question.")) from exc
    if data.get("k") != form_key:
        raise ChallengeFailed(_("The form was damaged: please answer the new question."))
    if answer.strip() != str(data.get("s")):
        raise ChallengeFailed(_("The answer to the question is wrong."))
