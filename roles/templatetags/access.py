from django import template

from roles.access import is_editor, is_hr

register = template.Library()


@register.filter
def editable_by(framework, user) -> bool:
    """``{% if framework|editable_by:user %}``: may ``user`` edit the framework's draft?"""
    return framework is not None and user is not None and is_editor(user, framework)


@register.filter
def is_hr_user(user) -> bool:
    """``{% if user|is_hr_user %}``: HR (or an admin)."""
    return user is not None and is_hr(user)
