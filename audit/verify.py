"""Checking the audit chain and publishing its head (`manage.py verify_audit`, the nightly job
`audit_verify`).

`verify()` walks the whole chain in `seq` order, in chunks, and reports, by chain position and
id only (never personal data):

- an entry that is not in the chain (no seq: written behind the application's back);
- a gap in the positions or a `prev_hash` that is not the hash before it (an entry deleted);
- a hash that is not the entry's own (an entry changed, or a patient added to or removed from a
  list entry);
- an id lower than the one before it (entries reordered: ids are taken under the chain's lock);
- a time earlier than the one before it (an entry back-dated: times are the database clock's,
  taken under the lock, never earlier than the head's);
- a chain head that does not point at the newest entry;
- a checkpoint (a head published earlier) whose signature is wrong, or whose entry is gone or
  different: this is what finds the newest entries deleted together with the head moved back.

`verify_and_publish()` then writes the head (seq, id, hash) to the application log and to the
admins (mail_admins) and stores it as a new signed checkpoint, if the chain was whole; a broken
chain is logged and mailed as an alert and no checkpoint is stored, so the next run compares
against the last good one again.

The check reads the head first and stops there: entries written while it runs are the next
night's. There is no pruning: the chain starts at seq 1 and every entry is kept. (Pruning would
need a signed checkpoint as the new start of the chain; it is not built.)
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import mail_admins

from audit.chain import FIELDS, GENESIS, link_hash
from audit.models import AuditChainHead, AuditCheckpoint, AuditEntry, AuditEntryPatient

logger = logging.getLogger("audit.verify")

CHUNK = 2000
MAX_REPORTED = 50


class AuditChainBroken(Exception):
    """The nightly job fails with this (after the alert is sent), so its status shows it."""


@dataclass
class Result:
    checked: int = 0
    head_seq: int = 0
    head_id: int | None = None
    head_hash: str = ""
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self):
        return not self.problem_count

    def problem(self, text):
        self.problem_count += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(text)


def checkpoint_key():
    return (getattr(settings, "AUDIT_CHECKPOINT_KEY", "") or settings.SECRET_KEY).encode()


def sign(seq, entry_id, hash_):
    message = f"heimveg-audit-checkpoint:{seq}:{entry_id}:{hash_}".encode()
    return hmac.new(checkpoint_key(), message, hashlib.sha256).hexdigest()


def _patients_of(entry_ids):
    patients = {}
    rows = (
        AuditEntryPatient.objects.filter(entry_id__in=entry_ids)
        .order_by("entry_id", "position")
        .values_list("entry_id", "patient_public_id")
    )
    for entry_id, public_id in rows:
        patients.setdefault(entry_id, []).append(public_id)
    return patients


def verify() -> Result:
    result = Result()
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    newest = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", flat=True).first()
    head_seq = head[0] if head else (newest or 0)
    if head is None and newest:
        result.problem("the chain head is missing")

    unchained = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True)[:10])
    for entry_id in unchained:
        result.problem(f"entry id {entry_id} is not in the chain")

    expected_seq, prev_hash, prev_id, prev_at = 1, GENESIS, 0, None
    last_id, last_hash = None, ""
    names = ("id", *FIELDS, "prev_hash", "hash")
    after = 0
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gt=after, seq__lte=head_seq).order_by("seq").values(*names)[:CHUNK])
        if not chunk:
            break
        patients = _patients_of([row["id"] for row in chunk])
        for row in chunk:
            seq, entry_id = row["seq"], row["id"]
            where = f"seq {seq} (id {entry_id})"
            if seq != expected_seq:
                result.problem(f"entries missing at seq {expected_seq}–{seq - 1} (deleted)")
            if row["prev_hash"] != prev_hash:
                result.problem(f"{where}: does not follow the entry before it (an entry deleted or reordered)")
            if link_hash(row, patients.get(entry_id, []), row["prev_hash"]) != row["hash"]:
                result.problem(f"{where}: its hash does not match its content (changed)")
            if entry_id <= prev_id:
                result.problem(f"{where}: its id is lower than the entry before it (reordered)")
            if prev_at is not None and row["occurred_at"] < prev_at:
                result.problem(f"{where}: its time is earlier than the entry before it (back-dated)")
            expected_seq, prev_hash, prev_id, prev_at = seq + 1, row["hash"], entry_id, row["occurred_at"]
            last_id, last_hash = entry_id, row["hash"]
            result.checked += 1
        after = chunk[-1]["seq"]

    if expected_seq - 1 != head_seq:
        result.problem(f"the chain head is at seq {head_seq} but the newest entry is at seq {expected_seq - 1}")
    elif head is not None and head_seq and head[1] != last_hash:
        result.problem(f"the chain head's hash is not the hash of its entry (seq {head_seq})")
    result.head_seq, result.head_id, result.head_hash = expected_seq - 1, last_id, last_hash

    _check_checkpoints(result)
    return result


def _check_checkpoints(result):
    checkpoints = list(AuditCheckpoint.objects.order_by("id").values_list("id", "seq", "entry_id", "hash", "signature"))
    at = dict(AuditEntry.objects.filter(seq__in=[c[1] for c in checkpoints]).values_list("seq", "hash"))
    for number, seq, entry_id, hash_, signature in checkpoints:
        if not hmac.compare_digest(signature, sign(seq, entry_id, hash_)):
            result.problem(f"checkpoint {number} (seq {seq}) is not signed with the checkpoint key (forged)")
        elif seq > result.head_seq:
            result.problem(
                f"checkpoint {number} published seq {seq}, but the chain now ends at seq {result.head_seq} "
                "(the newest entries were deleted)"
            )
        elif seq and at.get(seq) != hash_:
            result.problem(f"checkpoint {number} (seq {seq}): the entry at that place is gone or different")


def published(hash_):
    """The hash as published: in groups of four joined by colons, so that no run of digits in it
    looks like a national id to the log's personal-data filter (which would mask it)."""
    return ":".join(hash_[i : i + 4] for i in range(0, len(hash_), 4)) or "-"


def verify_and_publish() -> Result:
    """Verify, then publish the head (log, admins) and store it as a signed checkpoint."""
    result = verify()
    head = f"seq {result.head_seq}, id {result.head_id}, sha256 {published(result.head_hash)}"
    if result.ok:
        checkpoint = AuditCheckpoint.objects.create(
            seq=result.head_seq,
            entry_id=result.head_id,
            hash=result.head_hash,
            signature=sign(result.head_seq, result.head_id, result.head_hash),
        )
        logger.warning("audit chain verified: %d entries; head %s; checkpoint %d", result.checked, head, checkpoint.pk)
        mail_admins(
            "Audit log verified",
            f"The audit log's hash chain is whole ({result.checked} entries).\n\n"
            f"Head: {head}\nCheckpoint: {checkpoint.pk}\n\n"
            "Keep this message: a later head must continue this chain.",
        )
    else:
        lines = "\n".join(result.problems)
        more = result.problem_count - len(result.problems)
        if more > 0:
            lines += f"\n… and {more} more"
        logger.error("audit chain BROKEN: %d problems; head %s\n%s", result.problem_count, head, lines)
        mail_admins(
            "ALERT: the audit log has been tampered with",
            f"verify_audit found {result.problem_count} problems in the audit log's hash chain.\n\n"
            f"{lines}\n\nHead as found: {head}\nNo checkpoint was stored.",
        )
    return result
