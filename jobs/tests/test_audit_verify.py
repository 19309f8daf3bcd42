"""The nightly job verifies the audit chain (jobs.registry's audit_verify): the test of
audit/tests/test_verify.py that runs the job."""

import pytest

from audit import verify
from audit.tests.tampering import tamper
from jobs.registry import JOBS


def test_the_nightly_job_verifies_and_fails_on_a_broken_chain(entries):
    job = JOBS["audit_verify"]
    assert job.nightly
    assert job.run(None) == {"entries": 5, "head_seq": 5}
    tamper("UPDATE audit_auditentry SET username = 'someone else' WHERE id = %s", [entries[0].pk])
    with pytest.raises(verify.AuditChainBroken):
        job.run(None)
