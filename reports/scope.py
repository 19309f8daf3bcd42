"""What a report is about: an organisation (or a health community, or all of Norway), and who may
choose which.

One rule places every record in a scope, whatever kind of organisation it is about (applied to
the monthly figures in `reports.indicators.scope_filter`):

- a **patient** (enrolment) belongs to the organisation that enrolled them (a hospital, or a
  municipality when the patient asked it directly) and to the municipality they live in;
- a **collaboration point** belongs to the organisation responsible for it;
- a **handover message** to its receiver ("received") and its sender ("sent");
- a **follow-up of the bereaved** to its municipality and to the enrolling organisation.

A scope is a set of organisations: a hospital; a health trust with its hospitals (as
`Organisation.covered()`); a municipality; a health community (a health trust, its hospitals and
the municipalities it serves, as `Organisation.health_community()`); or all of Norway (no filter).

Who may see what (decided here, in one place):

- Analysts (role `analyst`) see reports only, never patients (the access rules in
  `patients.access` give that role no care purpose), and may choose any organisation, any health
  community and all of Norway: the figures are aggregates with small counts hidden.
- Hospital clinicians, pathway coordinators, municipal coordinators and organisation admins see
  the reports of the organisation they act for, of the organisations it covers (a trust's
  hospitals), and of the health community it is part of (the health community is where hospital
  and municipalities read these reports together).
- GPs see none: a GP office is not a unit that delivers the pathway's collaboration points.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from directory.models import Organisation
from lib.validators import is_uuid

Kind = Organisation.Kind

NORWAY = "norway"
COMMUNITY = "community"
ORGANISATION = "org"

REPORT_ROLES = (
    Role.HOSPITAL_CLINICIAN,
    Role.PATHWAY_COORDINATOR,
    Role.MUNICIPAL_COORDINATOR,
    Role.ORG_ADMIN,
    Role.ANALYST,
)
NATIONAL_ROLES = (Role.ANALYST,)
REPORTED_KINDS = (Kind.HOSPITAL, Kind.HEALTH_TRUST, Kind.MUNICIPALITY)


@dataclass(frozen=True)
class Scope:
    kind: str  # NORWAY, COMMUNITY or ORGANISATION
    organisation: Organisation | None  # the organisation, or the health trust of a community
    org_ids: frozenset[int] | None  # None: all of Norway
    municipality_ids: frozenset[int] = frozenset()  # the community's municipalities (for comparisons)

    @property
    def key(self) -> str:
        """The value of the organisation picker: no personal data, stable across requests."""
        if self.kind == NORWAY:
            return NORWAY
        return f"{self.kind}:{self.chosen.public_id}"

    @property
    def label(self) -> str:
        if self.kind == NORWAY:
            return str(_("All of Norway"))
        if self.kind == COMMUNITY:
            return str(_("Health community of %(trust)s") % {"trust": self.chosen.name})
        return self.chosen.label

    @property
    def is_municipality(self) -> bool:
        return self.kind == ORGANISATION and self.chosen.kind == Kind.MUNICIPALITY

    @property
    def chosen(self) -> Organisation:
        """The organisation (or a community's health trust) of any scope but all of Norway."""
        if self.organisation is None:
            raise ValueError("the scope of all of Norway has no organisation")
        return self.organisation


def organisation_scope(organisation: Organisation) -> Scope:
    ids = frozenset(organisation.covered_ids())
    return Scope(ORGANISATION, organisation, ids)


def community_scope(trust: Organisation) -> Scope:
    members = list(trust.health_community().values_list("pk", "kind"))
    return Scope(
        COMMUNITY,
        trust,
        frozenset(pk for pk, _kind in members),
        frozenset(pk for pk, kind in members if kind == Kind.MUNICIPALITY),
    )


def norway_scope() -> Scope:
    return Scope(NORWAY, None, None)


def may_see_reports(actor) -> bool:
    """A report role, and (except nationally) acting for a hospital, health trust or municipality:
    an organisation admin of a GP office sees no reports, as a GP sees none."""
    if actor is None or actor.role not in REPORT_ROLES:
        return False
    return actor.role in NATIONAL_ROLES or actor.organisation.kind in REPORTED_KINDS


def is_national(actor) -> bool:
    return actor is not None and actor.role in NATIONAL_ROLES


def own_choices(actor) -> list[tuple[str, Organisation]]:
    """(kind, organisation) pairs a non-national actor may report on: their organisation, what it
    covers, and its health community."""
    organisation = actor.organisation
    choices = [(ORGANISATION, org) for org in organisation.covered().filter(kind__in=REPORTED_KINDS)]
    trust = organisation.owning_health_trust()
    if trust is not None:
        choices.append((COMMUNITY, trust))
    return choices


def allowed(actor, kind: str, organisation: Organisation | None) -> bool:
    """May this actor see the report for this scope?"""
    if not may_see_reports(actor):
        return False
    if is_national(actor):
        if kind == NORWAY:
            return True
        if organisation is None:
            return False
        if kind == COMMUNITY:
            return organisation.kind == Kind.HEALTH_TRUST
        return organisation.kind in REPORTED_KINDS
    return organisation is not None and any(k == kind and org.pk == organisation.pk for k, org in own_choices(actor))


def parse(value: str):
    """'norway', 'org:<uuid>' or 'community:<uuid>' into (kind, organisation); None if unknown."""
    if value == NORWAY:
        return NORWAY, None
    kind, _sep, public_id = (value or "").partition(":")
    if kind not in (ORGANISATION, COMMUNITY):
        return None
    organisation = Organisation.objects.filter(public_id=public_id).first() if is_uuid(public_id) else None
    if organisation is None:
        return None
    return kind, organisation


def build(kind: str, organisation: Organisation | None) -> Scope:
    if kind == NORWAY:
        return norway_scope()
    if organisation is None:
        raise ValueError(f"a scope of kind {kind!r} needs an organisation")
    if kind == COMMUNITY:
        return community_scope(organisation)
    return organisation_scope(organisation)


def default_for(actor) -> tuple[str, Organisation | None]:
    if is_national(actor):
        organisation = actor.organisation
        trust = organisation.owning_health_trust()
        if trust is not None:
            return COMMUNITY, trust
        return NORWAY, None
    organisation = actor.organisation
    if organisation.kind in REPORTED_KINDS:
        return ORGANISATION, organisation
    return own_choices(actor)[0] if own_choices(actor) else (ORGANISATION, organisation)


def forecast_default(actor, choices: list[str]) -> str:
    """The municipality the capacity forecast opens on, among `choices` (public ids as strings):
    the actor's own municipality; for a hospital or health trust, the first municipality of its own
    health community; else the first choice ("" for none). Never some municipality elsewhere in the
    country that merely sorts first."""
    organisation = actor.organisation
    if str(organisation.public_id) in choices:
        return str(organisation.public_id)
    trust = organisation.owning_health_trust()
    if trust is not None:
        community = {
            str(pid)
            for pid in Organisation.objects.filter(health_trust=trust, kind=Kind.MUNICIPALITY).values_list(
                "public_id", flat=True
            )
        }
        own = next((value for value in choices if value in community), None)
        if own is not None:
            return own
    return choices[0] if choices else ""
