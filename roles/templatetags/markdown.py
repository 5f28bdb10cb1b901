from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from roles.markdown import highlight_words, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return mark_safe(render_markdown(text or ""))  # noqa: S308  # nh3 sanitised  # nosec B308, B703


@register.filter(name="highlight")
def highlight_filter(html: str, query: str) -> SafeString:
    """Wrap the query's words in <mark> inside already-safe HTML text (not inside tags)."""
    return mark_safe(highlight_words(str(conditional_escape(html)), query))  # noqa: S308  # escaped first  # nosec B308, B703
