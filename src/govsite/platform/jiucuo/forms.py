"""The public form's fields and their checks, each with a clear message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from govsite.platform.jiucuo import screenshots
from govsite.platform.jiucuo.intake import MAX_DESCRIPTION
from govsite.platform.jiucuo.models import Report
from govsite.platform.jiucuo.privacy import is_valid_contact


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Problem type"), choices=Report.Kind.choices)
    page_url = forms.CharField(
        label=_("Address of the page"),
        max_length=500,
        validators=[
            URLValidator(schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://."))
        ],
    )
    description = forms.CharField(
        label=_("What is wrong"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 6})
    )
    contact = forms.CharField(
        label=_("Phone or e-mail (optional, never shown publicly)"), max_length=100, required=False
    )
    answer = forms.CharField(label=_("Answer"), max_length=10)
    form_key = forms.UUIDField(widget=forms.HiddenInput)
    challenge = forms.CharField(widget=forms.HiddenInput, max_length=500)
    screenshot = forms.FileField(label=_("Screenshot (optional)"), required=False)

    def clean_description(self) -> str:
        value = str(self.cleaned_data["description"]).strip()
        if len(value) < 5:
            raise forms.ValidationError(_("Describe the problem in at least 5 characters."))
        return value

    def clean_contact(self) -> str:
        value = str(self.cleaned_data["contact"]).strip()
        if value and not is_valid_contact(value):
            raise forms.ValidationError(_("Enter a phone number or an e-mail address, or leave it empty."))
        return value

    def clean_screenshot(self) -> screenshots.Picture | None:
        upload: Any = self.cleaned_data.get("screenshot")
        if not upload:
            return None
        try:
            return screenshots.clean(upload)
        except screenshots.ScreenshotRejected as exc:
            raise forms.ValidationError(str(exc)) from exc


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Ticket number"), max_length=20)
    code = forms.CharField(label=_("Query code"), max_length=20)
