from django import template

register = template.Library()


@register.filter
def display_name(user, fallback: str = "—") -> str:
    """A user's full name, else their username; ``fallback`` when there is no user (a
    deleted account, an empty optional field)."""
    if user is None or not getattr(user, "pk", None):
        return fallback
    return user.get_full_name() or user.get_username()
