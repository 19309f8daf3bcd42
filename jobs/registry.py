"""The recurring jobs, in code. Each has a name (its row in `RecurringJob`), what it runs (a
function of the moment it was taken) and when it runs next: every so many seconds, or nightly at
`PATHWAY_NIGHTLY_HOUR` local time. Later work adds its own jobs with `register`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone


def next_night_after(now):
    """The next nightly run (local time, PATHWAY_NIGHTLY_HOUR), strictly after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.PATHWAY_NIGHTLY_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[datetime.datetime], Any]
    nightly: bool = False
    every_setting: str = ""  # the name of a setting that holds the interval in seconds

    def next_run_after(self, now):
        if self.nightly:
            return next_night_after(now)
        return now + datetime.timedelta(seconds=max(1, int(getattr(settings, self.every_setting))))

    def first_run(self, now):
        """A new job row: interval jobs run at once, nightly ones the next night."""
        return next_night_after(now) if self.nightly else now


def _nightly_reminders(now):
    from pathway import reminders

    result = reminders.run(timezone.localdate(now))
    return {"marked": result.marked, "emails": result.emails, "unaddressed": result.unaddressed}


def _report_figures(now):
    from reports import figures
    from reports.public import compute

    today = timezone.localdate(now)
    result = figures.refresh(today)
    # The public delivery figures are read from the monthly figures: computed right after them.
    return {"rows": result.rows, "public_areas": compute.refresh(today)}


def _outbox_sweep(now):
    from handover import outbox

    run = outbox.deliver_due()
    return {"delivered": run.delivered, "retrying": run.retrying, "failed": run.failed}


def _throttle_prune(now):
    from lib import throttle

    return {"deleted": throttle.prune(now)}


def _audit_verify(now):
    from audit.verify import AuditChainBroken, verify_and_publish

    result = verify_and_publish()
    if not result.ok:  # the alert is sent; the job's status shows the failure too
        raise AuditChainBroken(f"{result.problem_count} problems")
    return {"entries": result.checked, "head_seq": result.head_seq}


def _prune_sign_ins(now):
    from accounts import sign_ins

    return {"deleted": sign_ins.prune(now)}


JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    JOBS[job.name] = job
    return job


register(Job("nightly_reminders", _nightly_reminders, nightly=True))
register(Job("report_figures", _report_figures, nightly=True))
register(Job("audit_verify", _audit_verify, nightly=True))
register(Job("outbox_sweep", _outbox_sweep, every_setting="HANDOVER_OUTBOX_SWEEP_SECONDS"))
register(Job("throttle_prune", _throttle_prune, nightly=True))
register(Job("prune_sign_ins", _prune_sign_ins, nightly=True))
