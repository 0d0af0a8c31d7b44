"""The pages' language: Chinese (``settings.LANGUAGE_CODE``) unless the user chose another.

Unlike Django's ``LocaleMiddleware`` this never follows the browser's ``Accept-Language``:
government offices expect Chinese whatever the browser says. The only way to English is
the switcher in the header, which posts to ``django.views.i18n.set_language`` and so sets
the language cookie (``settings.LANGUAGE_COOKIE_NAME``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language of the cookie when it names one of ``settings.LANGUAGES``, else the default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


class LanguageMiddleware:
    """Render each request in :func:`chosen_language` and say so in ``Content-Language``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        # override, not activate: the thread's language is restored after the request, so a
        # page in English leaves nothing behind for code that runs next in the same thread
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
