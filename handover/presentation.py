"""A message's snapshot, named in the reader's language for the page."""

import datetime

from assessment import questionnaires
from assessment.models import FollowUp
from assessment.presentation import area_label
from patients.models import Relative


def _title(titles, language):
    return titles.get(language) or titles.get("nb") or ""


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _point(line, language):
    if not line:
        return None
    return {
        **line,
        "title": _title(line["title"], language),
        "opens": _date(line["opens"]),
        "closes": _date(line["closes"]),
    }


def _follow_ups(lines):
    labels = dict(FollowUp.Status.choices)
    return [{**line, "status_label": labels.get(line["status"], line["status"])} for line in lines]


def readable(message, language):
    """The message's content with titles, dates, area names and labels ready to show."""
    body = dict(message.content)
    if "point" in body:
        point = body["point"]
        body["point"] = {
            **point,
            "title": _title(point["title"], language),
            "completed_on": _date(point["completed_on"]),
        }
    body["next_point"] = _point(body.get("next_point"), language)
    body["open_points"] = [_point(p, language) for p in body.get("open_points", [])]
    body["follow_ups"] = _follow_ups(body.get("follow_ups", []))
    assessment = body.get("assessment")
    if assessment:
        try:
            questionnaire = questionnaires.get(assessment["questionnaire"])
        except KeyError:
            questionnaire = None
        name = (lambda code: area_label(questionnaire, code, language)) if questionnaire else str
        body["assessment"] = {
            **assessment,
            "help_area_names": [name(code) for code in assessment["help_areas"]],
            "other_area_names": [name(code) for code in assessment["areas"] if code not in assessment["help_areas"]],
        }
    relations = dict(Relative.Relation.choices)
    body["relatives"] = [
        {**r, "relation_label": relations.get(r["relation"], r["relation"])} for r in body.get("relatives", [])
    ]
    body["died_on"] = _date(body.get("died_on"))
    body["declined_on"] = _date(body.get("declined_on"))
    body["ask_again_on"] = _date(body.get("ask_again_on"))
    return body
