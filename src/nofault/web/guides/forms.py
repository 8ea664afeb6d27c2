"""Guide forms."""

from __future__ import annotations

from django import forms


class GuideInputsForm(forms.Form):
    """The values, principles and settings files, as text."""

    values = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        strip=False,
        required=False,
        help_text="values.yaml, or a Markdown list: - **Name**: description",
    )
    principles = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}), strip=False, required=False
    )
    config = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
        required=False,
        help_text="guide.toml (optional)",
    )
