from django import template

from roles.access import is_editor

register = template.Library()


@register.filter
def editable_by(framework, user) -> bool:
    """``{% if framework|editable_by:user %}``: may ``user`` edit the framework's draft?"""
    return framework is not None and user is not None and is_editor(user, framework)
