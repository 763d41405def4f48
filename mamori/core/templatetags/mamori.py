from django import template

from mamori.core.calendar import wareki as _wareki

register = template.Library()


@register.filter
def wareki(value, arg: str = ""):
    """{{ day|wareki }} → 令和6年7月29日; {{ day|wareki:"full,weekday" }} for full-width and （月）."""
    if not value:
        return "—"
    opts = set(arg.split(",")) if arg else set()
    if hasattr(value, "astimezone"):
        from django.utils import timezone

        value = timezone.localtime(value)
        text = _wareki(value.date(), full="full" in opts)
        return f"{text} {value:%H:%M}" if "time" in opts else text
    return _wareki(value, full="full" in opts, weekday="weekday" in opts)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
