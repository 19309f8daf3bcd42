"""Work the handover outbox from the command line: one pass until nothing is due (after an outage,
or from cron; `--now` first makes every waiting delivery due, ignoring back-off), or `--watch` to
keep going as a dedicated worker. A lost database connection is
waited out and the work goes on; nothing is lost because every delivery is its own transaction."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from handover import outbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver the handover messages that are due."

    def add_arguments(self, parser):
        parser.add_argument("--watch", type=float, default=0, help="Keep polling every so many seconds.")
        parser.add_argument(
            "--now", action="store_true", help="Deliver all waiting deliveries at once, ignoring back-off."
        )

    def handle(self, *args, watch, now=False, **options):
        total = outbox.OutboxRun()
        if now:
            moved = outbox.make_all_due()
            self.stdout.write(f"{moved} waiting deliveries made due now")
        while True:
            try:
                run = outbox.deliver_due()
            except DatabaseError as error:
                # The database went away (a restart, a failover): reconnect and carry on, said in the log.
                logger.warning(
                    "deliver_handovers lost its database connection (%s); reconnecting", type(error).__name__
                )
                connection.close()
                close_old_connections()
                time.sleep(max(watch, 1))
                continue
            for field in ("delivered", "retrying", "failed", "waiting_for_address"):
                setattr(total, field, getattr(total, field) + getattr(run, field))
            if run.attempted:
                continue
            if not watch:
                break
            time.sleep(watch)
        self.stdout.write(
            f"delivered {total.delivered}, retrying {total.retrying}, failed {total.failed}, "
            f"waiting for an address {total.waiting_for_address}"
        )
