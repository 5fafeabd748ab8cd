"""Template filters for multilingual values: translated code labels and language names."""

from __future__ import annotations

from django import template
from django.utils.http import urlencode

from qoima.access.web import labels, present

register = template.Library()


@register.filter
def method_label(method: str) -> str:
    return str(labels.label(labels.METHOD_LABELS, method or "original"))


@register.filter
def language_name(tag: str) -> str:
    return present.language_name(tag or "")


@register.filter
def access_label(state: str) -> str:
    return str(labels.label(labels.ACCESS_LABELS, state or "open"))


@register.filter
def level_label(level: str) -> str:
    return str(labels.label(labels.LEVEL_LABELS, level or ""))


@register.filter
def text_dir(tag: str) -> str:
    """dir attribute for a bare language tag (name forms and labels carry their own script)."""
    return present.script_dir(tag or "")


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current URL with another ?page= (other query parameters kept)."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + urlencode(sorted(params.lists()), doseq=True)
