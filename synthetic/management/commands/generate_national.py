"""manage.py generate_national: a synthetic national data set for load tests and reports.

See synthetic/national/__init__.py for what it writes and how generated rows are recognised.
"""

import datetime
import queue
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from directory.models import Organisation
from patients.models import Patient
from synthetic.national import distributions, reference, rows, writer

MAX_YEARS = 30


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--end-date {value!r} is not a date; expected YYYY-MM-DD, e.g. 2025-06-30") from None


class Command(BaseCommand):
    help = (
        "Generate a synthetic national data set (about 40,000 newly diagnosed patients a year, "
        "synthetic national ids only), one committed month at a time. Run it again to resume. "
        "Municipalities, health trusts and hospitals get the first day of the generated years as their "
        "pathway start date (where theirs is later or unset), so the generated history fits the "
        "pathway's not-retroactive rule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10, help="Years of diagnoses, ending on --end-date (10).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Fraction of the national volume (1.0; tests use 0.002)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (1).")
        parser.add_argument("--end-date", help="The last day of the period, YYYY-MM-DD (today).")
        parser.add_argument("--reset", action="store_true", help="Remove an earlier generated set first.")
        parser.add_argument(
            "--max-months", type=int, default=None, help="Stop after this many months (run again to resume)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs and tests).")

    def handle(self, *args, **options):
        years, scale, seed = options["years"], options["scale"], options["seed"]
        # Without --end-date a run resumes on the end date it started with (not a later today).
        saved = None if options["reset"] else writer.saved_options()
        if options["end_date"]:
            end = _date(options["end_date"])
        else:
            end = datetime.date.fromisoformat(saved["end_date"]) if saved else timezone.localdate()
        if not 1 <= years <= MAX_YEARS:
            raise CommandError(f"--years must be between 1 and {MAX_YEARS}; you gave {years}.")
        if not 0 < scale <= 5:
            raise CommandError(f"--scale must be more than 0 and at most 5 (1.0 is the national volume); got {scale}.")
        if end > timezone.localdate():
            raise CommandError(f"--end-date {end.isoformat()} is in the future; the data set ends today at the latest.")
        if options["max_months"] is not None and options["max_months"] < 1:
            raise CommandError("--max-months must be at least 1.")
        if not Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, population__gt=0).exists():
            raise CommandError("The directory is empty. Run `manage.py load_directory` first.")

        if options["reset"]:
            removed = writer.reset()
            self.stdout.write(f"Removed the earlier generated set ({removed.get('patient', 0)} patients).")

        first_day = datetime.date(end.year - years + (1 if end.month == 12 else 0), end.month % 12 + 1, 1)
        months = list(writer.months_between(first_day, end))
        wanted = {"years": years, "scale": scale, "seed": seed, "end_date": end.isoformat()}
        saved = writer.saved_options()  # after a reset, none
        done = writer.last_month()
        if done and saved and saved != wanted:
            raise CommandError(
                f"A generated set made with other options is there ({saved}). Run with the same options to resume, "
                "or add --reset to start again."
            )
        if done and not saved:
            raise CommandError("Generated patients are there without the options that made them: add --reset.")
        todo = [m for m in months if done is None or m > done]
        if not todo:
            self.stdout.write("The generated set is complete; nothing to do.")
            return
        if options["max_months"]:
            todo = todo[: options["max_months"]]

        ctx = reference.prepare(seed)
        writer.save_options(wanted)
        started_on = reference.start_pathway(first_day)
        if started_on:
            self.stdout.write(
                f"Set the pathway start date of {started_on} organisations to {first_day.isoformat()}, "
                "the first day of the generated years."
            )
        used = set(Patient.objects.values_list("national_id", flat=True))
        self._stop = False
        previous = signal.signal(signal.SIGINT, self._interrupt)
        started = time.monotonic()
        bar = self._bar(options, scale, months, todo)
        # This thread builds month k+1 while a writer thread commits month k (the database
        # works on the other core). Ids come from blocks reserved ahead (ids.py), so building never waits for writing.
        # Called inside a transaction (a test, a caller's atomic block), a second connection would
        # not see it: then months are written here, each in a savepoint. So they are on SQLite,
        # which has one writer at a time: reserving ids (ids.py, a write) would wait for the month
        # being written.
        inline = connection.in_atomic_block or connection.vendor == "sqlite"
        pipe = _Inline(bar) if inline else _Writer(bar)
        pipe.start()
        ids = writer.id_blocks()
        try:
            for year, month in todo:
                if self._stop or pipe.failure:
                    break
                built = rows.build_month(ctx, seed, year, month, end, scale, ids, used)
                pipe.put((year, month, built.tables))
        finally:
            pipe.put(None)
            pipe.join()
            signal.signal(signal.SIGINT, previous)
            if bar is not None:
                bar.close()
        if pipe.failure:
            raise pipe.failure
        # Fresh planner statistics: bulk loading leaves them far from the data (a worklist query
        # planned for one open enrolment met ninety thousand until ANALYZE ran).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{name} {count}" for name, count in pipe.totals.items())
        last = f"{pipe.last[0]}-{pipe.last[1]:02d}" if pipe.last else "none"
        if self._stop:
            self.stdout.write(f"Stopped after {last}. Run the command again with the same options to resume.")
        self.stdout.write(f"Generated {len(pipe.months)} months (to {last}) in {elapsed:.1f} s: {summary}.")

    def _interrupt(self, signum, frame):
        if self._stop:  # a second Ctrl-C: give up the month being written (it is rolled back)
            raise KeyboardInterrupt
        self._stop = True
        self.stderr.write("\nStopping after this month (Ctrl-C again to stop at once)…")

    def _bar(self, options, scale, months, todo):
        if options["no_progress"]:
            return None
        from tqdm import tqdm

        expected = distributions.expected_patients(scale, months)
        left = distributions.expected_patients(scale, todo)
        return tqdm(
            total=round(expected),
            initial=round(expected - left),
            unit=" patients",
            unit_scale=True,
            smoothing=0.1,
            dynamic_ncols=True,
            file=self.stderr._out,
        )


class _Writer(threading.Thread):
    """Commits the built months in order, one transaction each, on a connection of its own."""

    def __init__(self, bar):
        super().__init__(name="generate_national-writer", daemon=True)
        self.queue = queue.Queue(maxsize=2)
        self.bar = bar
        self.failure = None
        self.totals = dict.fromkeys(writer.ORDER, 0)
        self.months = []
        self.last = None

    def put(self, item):
        while True:
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                if not self.is_alive():
                    return

    def write(self, year, month, tables):
        with transaction.atomic():
            counts = writer.write(tables)
        for name, count in counts.items():
            self.totals[name] += count
        self.months.append((year, month))
        self.last = (year, month)
        if self.bar is not None:
            self.bar.set_postfix_str(f"{year}-{month:02d}", refresh=False)
            self.bar.update(counts["patient"])

    def run(self):
        try:
            while (item := self.queue.get()) is not None:
                self.write(*item)
        except BaseException as error:  # reported by the main thread
            self.failure = error
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()  # this thread's own connection


class _Inline(_Writer):
    """The same, written at once in the calling thread."""

    def start(self):
        pass

    def join(self, timeout=None):
        pass

    def put(self, item):
        if item is not None:
            self.write(*item)

    def run(self):
        pass
