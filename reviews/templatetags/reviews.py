from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):
    """``mapping[key]``, or an empty list when absent (for loops over optional groups)."""
    return mapping.get(key, []) if mapping else []
