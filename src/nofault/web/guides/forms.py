"""Guide forms."""

from __future__ import annotations

from django import forms

# Inputs are kept whole in the database; a bounded size keeps a paste from growing it unchecked.
MAX_INPUT_CHARS = 200_000
_WIDE = {
    "style": "width: 100%; box-sizing: border-box; font-family: monospace;",
    "spellcheck": "false",
}


class GuideInputsForm(forms.Form):
    """The values, principles and settings files, as text."""

    values = forms.CharField(
        label="Core values",
        widget=forms.Textarea(attrs={"rows": 14, **_WIDE}),
        strip=False,
        required=False,
        max_length=MAX_INPUT_CHARS,
        help_text="YAML (a list of `- name: …` with `description: …`), or a Markdown list: "
        "- **Name**: description",
    )
    principles = forms.CharField(
        label="Leadership principles",
        widget=forms.Textarea(attrs={"rows": 14, **_WIDE}),
        strip=False,
        required=False,
        max_length=MAX_INPUT_CHARS,
        help_text="The same forms as the values.",
    )
    config = forms.CharField(
        label="Guide settings (guide.toml)",
        widget=forms.Textarea(attrs={"rows": 10, **_WIDE}),
        strip=False,
        required=False,
        max_length=MAX_INPUT_CHARS,
        help_text="Optional: severities, deadlines, role names, the just-culture limit. "
        "The organisation's name is the app's own.",
    )
