"""Which pathway definitions an organisation enrols on: every national one, and the others
(`availability: by_organisation`) once the organisation's admin has enabled them. A health
trust's admin enables a definition for the trust and its hospitals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from audit import services as audit
from audit.models import AuditEntry
from directory.models import Organisation
from pathway.definitions import DEFAULT_DEFINITION_KEY, Definition, all_definitions, get_definition
from pathway.models import DefinitionEnabling
from pathway.services import PathwayRuleError, enabling_ids

if TYPE_CHECKING:
    from accounts.actor import Actor


def enabled_keys(organisation: Organisation) -> set[str]:
    return set(
        DefinitionEnabling.objects.filter(organisation_id__in=enabling_ids(organisation)).values_list(
            "definition_key", flat=True
        )
    )


def may_enrol_on(organisation: Organisation, definition: Definition) -> bool:
    return not definition.needs_enabling or definition.key in enabled_keys(organisation)


def available_definitions(organisation: Organisation) -> list[Definition]:
    """The definitions the organisation enrols on, the default first, then by key."""
    enabled = enabled_keys(organisation)
    found = [d for d in all_definitions().values() if not d.needs_enabling or d.key in enabled]
    return sorted(found, key=lambda d: (d.key != DEFAULT_DEFINITION_KEY, d.key))


def optional_definitions() -> list[Definition]:
    """The definitions an admin can enable or disable, by key."""
    return sorted((d for d in all_definitions().values() if d.needs_enabling), key=lambda d: d.key)


def set_enabled(actor: Actor, key: str, enabled: bool) -> bool:
    """Enable or disable a definition for the actor's organisation; True when it changed. The
    enrolments already made on a disabled definition go on as they are."""
    if actor.role != Role.ORG_ADMIN:
        raise PathwayRuleError(_("Only an admin of the organisation enables pathways."))
    try:
        definition = get_definition(key)
    except KeyError:
        raise PathwayRuleError(_("There is no such pathway.")) from None
    if not definition.needs_enabling:
        raise PathwayRuleError(_("This pathway is national: every organisation uses it."))
    organisation = actor.organisation
    with transaction.atomic():
        if not enabled:
            deleted, _rows = DefinitionEnabling.objects.filter(organisation=organisation, definition_key=key).delete()
            changed = bool(deleted)
        else:
            try:
                with transaction.atomic():  # the unique constraint decides between two admins at once
                    DefinitionEnabling.objects.create(
                        organisation=organisation, definition_key=key, enabled_by=actor.user
                    )
                changed = True
            except IntegrityError:
                changed = False
        if changed:  # who enabled or disabled what, in the audit log (no patient)
            audit.record(
                actor,
                AuditEntry.Action.UPDATE,
                object_type="pathway_definition",
                detail=f"{key} {'enabled' if enabled else 'disabled'}",
            )
    return changed
