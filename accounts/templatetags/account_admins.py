"""{% your_administrators as admins %}: the organisation admins the signed-in user can ask (for a
role, a link to set up two-factor sign-in again), named with their organisation."""

from django import template

from accounts.memberships import administrators_for

register = template.Library()


@register.simple_tag(takes_context=True)
def your_administrators(context):
    request = context.get("request")
    return administrators_for(getattr(request, "user", None))
