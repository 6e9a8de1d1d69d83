from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, facet links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_toggle(context, key: str, value) -> str:
    """Add `key=value` to the query string, or remove it if present (multi-valued facets)."""
    params = context["request"].GET.copy()
    values = params.getlist(key)
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    params.setlist(key, values)
    params.pop("page", None)
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    """`{{ labels|get_item:key }}`: dictionary lookup with a variable key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def field_name(value) -> str:
    """`{{ field|field_name }}`: an S&T field (object or code) as "code – name"."""
    from sti.core.models import FieldOfScience

    if isinstance(value, FieldOfScience):
        return value.display
    if not value:
        return ""
    code = str(value)
    return FieldOfScience.objects.current().filter(code=code).display_labels().get(code, code)
