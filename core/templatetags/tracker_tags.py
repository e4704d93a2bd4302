"""Template helpers for the researcher pages: the Court's date style, canonical URLs, admin links."""

import datetime
from functools import lru_cache

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from core.dates import court_date

register = template.Library()


@lru_cache(maxsize=8192)
def _court_day(day, language):
    return court_date(day)


@register.filter("court_date")
def court_day(value) -> str:
    """court_date, remembered per date and language: a page repeats the same dates, and formatting one is dear."""
    if type(value) is datetime.date:
        return _court_day(value, get_language())
    return court_date(value)


@register.simple_tag(takes_context=True)
def canonical_url(context, path=None):
    """The page's address without its query string (or `path` made absolute), for rel=canonical."""
    request = context.get("request")
    if request is None:
        return ""
    return request.build_absolute_uri(path or request.path)


def admin_change_url(user, obj) -> str | None:
    """The object's admin change page, for staff only; None for others or a model without an admin screen."""
    if obj is None or user is None or not getattr(user, "is_staff", False):
        return None
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def admin_link(context, obj, label="Edit in the admin"):
    """A link to the object's admin change page, shown to staff only."""
    url = admin_change_url(context.get("user"), obj)
    if url is None:
        return ""
    return format_html(
        '<a class="admin-link" href="{}">{} <span class="visually-hidden">({})</span></a>', url, label, obj
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None or "" removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


PASSIVE = {"reaffirms": "reaffirmed", "modifies": "modified", "revokes": "revoked"}


@register.filter
def amended_by(later):
    """What a later provision did to an earlier one, in the passive: "Reaffirmed by"."""
    return f"{PASSIVE.get(later.amendment, later.amendment).capitalize()} by"
