from django import template
from django.urls import reverse

from reports import suppression

register = template.Library()


@register.inclusion_tag("reports/_table.html")
def report_table(table, query="", print_view=False):
    """One report table with its chart data (json_script) and, except when printing, its CSV link."""
    export_url = ""
    if not print_view:
        if table.slug == "forecast":
            export_url = f"{reverse('reports:forecast_export')}?{query}"
        else:
            export_url = f"{reverse('reports:export', args=[table.slug])}?{query}"
    return {"table": table, "chart_id": f"chart-{table.slug}-data", "export_url": export_url}


@register.simple_tag
def small_count(value):
    """A single count on its own (no totals to protect): 1-4 shown as <5."""
    status = suppression.PRIMARY if suppression.is_small(value) else suppression.SHOWN
    return suppression.display(value, status)
