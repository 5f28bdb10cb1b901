import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from ladders.urlhelpers import version_url

register = template.Library()


@register.simple_tag(takes_context=True)
def vurl(context, name: str, **kwargs) -> str:
    """``{% vurl 'ladders:role-detail' role=r.key %}`` within the page's framework version."""
    return version_url(context["version"], name, **kwargs)


@register.filter
def time_at_level(since) -> str:
    """How long since a date, in days at the finest: "today", "3 days", "1 year, 2 months"."""
    today = timezone.localdate()
    if since is None:
        return "—"
    if since >= today:
        return _("since today")
    return timesince(since, now=datetime.datetime.combine(today, datetime.time()), depth=2)
