import datetime

import pytest

from directory.models import Organisation
from reports import figures
from reports.tests import factories as f

Kind = Organisation.Kind
D = datetime.date
TODAY = D(2026, 3, 1)
START, END = D(2025, 1, 1), D(2025, 6, 30)


@pytest.fixture
def world(orgs):
    """The hand-counted data set of test_indicators (see the comments there for every count)."""
    hauk, askoy, voss = orgs["haukeland"], orgs["askoy"], orgs["voss"]
    oslo = Organisation.objects.get(municipality_number="0301")
    elsewhere = Organisation.objects.filter(kind=Kind.HOSPITAL).exclude(parent=orgs["helse_bergen"]).first()
    e = {
        "E1": f.enrolment(askoy, hauk, D(2025, 1, 10)),
        "E2": f.enrolment(askoy, hauk, D(2025, 1, 12)),
        "E3": f.enrolment(askoy, hauk, D(2025, 1, 15)),
        "E4": f.enrolment(askoy, hauk, D(2025, 1, 20), "declined"),
        "E5": f.enrolment(askoy, hauk, D(2025, 2, 3)),
        "E6": f.enrolment(askoy, hauk, D(2025, 2, 10), ended=True),
        "E7": f.enrolment(askoy, hauk, D(2025, 2, 14), "not_asked"),
        "E0": f.enrolment(askoy, hauk, D(2024, 12, 20)),
        "V1": f.enrolment(voss, hauk, D(2025, 3, 1)),
        "O1": f.enrolment(oslo, elsewhere, D(2025, 3, 5)),
    }
    week4 = datetime.timedelta(days=28)

    def sp1(key, outcome="", on=None, responsible=hauk):
        dx = e[key].diagnosis_date
        return f.point(e[key], "sp1", responsible, dx, dx + week4, outcome, on)

    p = {
        "E1": sp1("E1", "completed", D(2025, 1, 20)),
        "E2": sp1("E2", "completed", D(2025, 2, 20)),
        "E3": sp1("E3", "not_wanted", D(2025, 1, 20)),
        "E4": sp1("E4", "completed", D(2025, 1, 25)),
        "E5": sp1("E5"),
        "E6": sp1("E6", "cancelled", D(2025, 2, 15)),
        "E7": sp1("E7", "completed", D(2025, 2, 14)),
        "E0": sp1("E0", "completed", D(2024, 12, 30)),
        "V1": sp1("V1", "completed", D(2025, 3, 5)),
        "O1": sp1("O1", "completed", D(2025, 3, 6), responsible=elsewhere),
    }

    def sp2(key, outcome="", on=None, responsible=askoy):
        dx = e[key].diagnosis_date
        opens = dx.replace(month=dx.month + 3)
        return f.point(e[key], "sp2", responsible, opens, dx.replace(month=dx.month + 4), outcome, on)

    q = {
        "E1": sp2("E1", "completed", D(2025, 5, 1)),
        "E2": sp2("E2", "completed", D(2025, 6, 1)),
        "E3": sp2("E3", "not_wanted", D(2025, 4, 20)),
        "E4": sp2("E4"),
        "E5": sp2("E5"),
        "E6": sp2("E6", "cancelled", D(2025, 2, 15)),
        "E7": sp2("E7"),
        "V1": sp2("V1", responsible=voss),
    }
    f.point(e["E1"], "sp3", askoy, D(2026, 1, 10), D(2026, 7, 10))

    f.conversation(p["E1"], distress=2, help_areas=["topic-work"])
    f.conversation(p["E2"], distress=5, help_areas=["topic-work", "topic-finances"])
    f.conversation(p["E4"], distress=8)
    f.conversation(p["E7"], distress=None, help_areas=["topic-work"])
    f.conversation(p["V1"], distress=4, help_areas=["topic-family"])
    f.conversation(p["E0"], distress=9, help_areas=["topic-work"])
    f.conversation(q["E1"], distress=3, help_areas=["topic-work"])
    f.conversation(q["E2"], distress=7, help_areas=["topic-finances"])
    f.conversation(p["O1"], distress=1, help_areas=["topic-work"])

    f.message(e["E1"], hauk, askoy, D(2025, 2, 1), D(2025, 2, 3), D(2025, 2, 2))
    f.message(e["E2"], hauk, askoy, D(2025, 2, 20), D(2025, 2, 22), D(2025, 2, 25))
    f.message(e["E3"], hauk, askoy, D(2025, 3, 1), D(2025, 3, 3))
    f.message(e["E5"], askoy, hauk, D(2025, 6, 29), D(2026, 3, 5))
    f.message(e["O1"], elsewhere, oslo, D(2025, 3, 10), D(2025, 3, 12), D(2025, 3, 10))
    f.message(e["E0"], hauk, askoy, D(2024, 12, 1), D(2024, 12, 3), D(2024, 12, 3))

    f.bereavement(e["E6"], askoy, D(2025, 2, 15), D(2025, 2, 20))
    f.bereavement(e["E5"], askoy, D(2025, 3, 1))
    f.bereavement(e["E0"], askoy, D(2024, 12, 31))
    figures.refresh(TODAY)
    return {"enrolments": e, "sp1": p, "sp2": q, "oslo": oslo, "elsewhere": elsewhere, **orgs}
