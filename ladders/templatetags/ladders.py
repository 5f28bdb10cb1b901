from django import template

from ladders.urlhelpers import version_url

register = template.Library()


@register.simple_tag(takes_context=True)
def vurl(context, name: str, **kwargs) -> str:
    """``{% vurl 'ladders:role-detail' role=r.key %}`` within the page's framework version."""
    return version_url(context["version"], name, **kwargs)
