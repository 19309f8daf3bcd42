"""Points stranded by the old rule get their windows.

Until issue 15 only a completed point released the points counted from it, so on the hearing
draft a point 3 not wanted (or cancelled while the pathway went on) left points 4 and 5 waiting for
ever: on no worklist, and the pathway never ended. The services now count such points from the
outcome date of the point they depend on, whatever the outcome (pathway.schedule.anchor_dates);
this gives the open pathways stranded before then the windows they would have got, with the
timeline entry the services write. Uses the definition as stored with the enrolments
(PathwayDefinition.content), not the files.
"""

from django.db import migrations

from pathway.schedule import window_for


def _stranded(points_by_key, point_defs):
    """(point, window) for each open point without a window whose anchor point is closed."""
    for point_def in point_defs:
        anchor = point_def.get("anchor") or {}
        point = points_by_key.get(point_def["key"])
        if anchor.get("kind") != "point" or point is None or point.outcome or point.window_opens:
            continue
        anchor_point = points_by_key.get(anchor.get("ref"))
        if anchor_point is None or not anchor_point.outcome or anchor_point.outcome_on is None:
            continue
        yield point, window_for(anchor_point.outcome_on, point_def["opens"], point_def["closes"])


def release_stranded_points(apps, schema_editor):
    PathwayDefinition = apps.get_model("pathway", "PathwayDefinition")
    Enrolment = apps.get_model("pathway", "Enrolment")
    PathwayEvent = apps.get_model("pathway", "PathwayEvent")
    anchored = {}
    for definition in PathwayDefinition.objects.all():
        point_defs = (definition.content or {}).get("points") or []
        if any((p.get("anchor") or {}).get("kind") == "point" for p in point_defs):
            anchored[definition.pk] = point_defs
    if not anchored:
        return
    enrolments = Enrolment.objects.filter(ended_at__isnull=True, definition_id__in=list(anchored))
    for enrolment in enrolments.iterator():
        points_by_key = {p.key: p for p in enrolment.points.all()}
        for point, (opens, closes) in _stranded(points_by_key, anchored[enrolment.definition_id]):
            point.window_opens, point.window_closes = opens, closes
            point.save(update_fields=["window_opens", "window_closes"])
            PathwayEvent.objects.create(
                enrolment=enrolment,
                kind="point_scheduled",
                point=point,
                on_date=opens,
                data={"opens": opens.isoformat(), "closes": closes.isoformat()},
                username="system",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("pathway", "0006_worklist_indexes"),
    ]

    operations = [
        migrations.RunPython(release_stranded_points, migrations.RunPython.noop, elidable=True),
    ]
