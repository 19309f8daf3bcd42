"""The organisation's audit log viewer (`/audit/`, URL names `audit:…`): what users acting for the
organisation did, with the names of the patients the organisation may see.

The audit trail itself (audit.models, audit.services, the chain) sits below accounts' users in
its own app; the viewer lives here because which patients it may name is decided by the patients'
access rules (patients.access, patients.emergency) and its lookup is the patients' search
(docs/architecture.md)."""
