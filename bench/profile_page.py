"""Where a page's server time goes: cProfile over --runs requests of one of the benchmark's pages
(bench/fixtures.py), through Django's whole stack in this process, as bench/run.py times them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heimveg_bench HEIMVEG_SECRET_KEY=x \\
        .venv/bin/python bench/profile_page.py pathway [--runs 30] [--sort cumulative] [--limit 40]

The page is chosen by a word of its label ("pathway", "assessment", "handover", "worklist", ...).
Besides cProfile's table it prints the share of the time spent in a few places: the template
engine, form widgets, building and compiling ORM queries, and the database driver.

With --stages it runs without the profiler (whose overhead falls mostly on Python, not on the
database) and splits each request's handler time into parts that add up to the whole: the
database (the driver's execute and the wait for the answer), the ORM (building filters, compiling
SQL, making rows and model instances), the templates (their own time, without the queries they
cause), the middleware (sessions, user, memberships, headers: their queries included), and the
rest (the view's own Python: forms, access checks, lazy translations).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimveg.settings")
os.environ.setdefault("HEIMVEG_REQUIRE_2FA", "0")
os.environ.setdefault("HEIMVEG_ALLOW_SYNTHETIC_IDS", "1")
os.environ.setdefault("HEIMVEG_LOG_LEVEL", "WARNING")
os.environ.setdefault("HEIMVEG_BASE_URL", "https://heimveg.bench.invalid")
os.environ.setdefault("HEIMVEG_SMS_BACKEND", "portal.senders.MemorySMSBackend")
os.environ.setdefault("HEIMVEG_TESTING", "1")  # plain static storage: no collectstatic manifest needed

# (label, callee's file path part, its name, caller's file path part or None): the cumulative time
# of the callee's calls, counted only when made from the caller (so that nested calls, an included
# template or a subquery, are not counted twice).
PLACES = (
    ("templates (the page's render, widgets included)", "django/template/backends/django.py", "render", None),
    ("form widgets (the form renderer)", "django/forms/renderers.py", "render", "django/forms/widgets.py"),
    ("ORM: compiling queries (as_sql)", "django/db/models/sql/compiler.py", "as_sql", "sql/compiler.py"),
    ("database (the driver's execute)", "psycopg/cursor.py", "execute", "django/db/backends/utils.py"),
    ("the view, its render included (all but middleware)", "django/core/handlers/base.py", "_get_response", None),
    ("sessions: loading and saving (middleware)", "django/contrib/sessions/backends/db.py", "load", None),
    ("authentication: the signed-in user (middleware)", "django/contrib/auth/__init__.py", "get_user", None),
)


# Exclusive time (a function's own, without what it calls) by where the function lives: the order
# matters, the first match wins.
AREAS = (
    ("database driver and waiting for the database (psycopg)", "psycopg"),
    ("template engine (django.template)", "django/template/"),
    ("forms and widgets (django.forms, lib/form_renderer.py)", ("django/forms/", "lib/form_renderer")),
    ("ORM: building queries and models (django.db.models)", "django/db/models/"),
    ("Django's database layer (django.db.backends, utils)", "django/db/"),
    ("translation and lazy strings (django.utils)", "django/utils/"),
    ("the rest of Django (middleware, sessions, auth, urls)", "django/"),
    ("other packages (site-packages)", "site-packages"),
    ("Heimveg's own code", str(ROOT) + "/"),
    ("the standard library", ""),
)


def parse():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="a word of the page's label in bench/fixtures.py")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--stages", action="store_true", help="no profiler: the time of each stage")
    return parser.parse_args()


STAGES = (
    "database (driver and wait)",
    "ORM (filters, SQL compilation, rows to objects)",
    "templates (without their queries)",
    "middleware (sessions, user, memberships: queries included)",
    "the rest (the view's own code, forms, access checks)",
)


class StageClock:
    """Exclusive time per stage: a stage entered inside another is subtracted from the outer one,
    so the stages add up to the handler's time. Outside the view, every stage counts as the
    middleware's (the session and user lookups are its queries)."""

    def __init__(self):
        self.totals = dict.fromkeys(STAGES, 0.0)
        self.stack = []  # [stage, started, time spent in nested stages]
        self.in_view = False

    def enter(self, stage):
        if not self.in_view and stage not in (STAGES[4],):
            stage = STAGES[3]
        self.stack.append([stage, time.perf_counter(), 0.0])

    def leave(self):
        stage, started, nested = self.stack.pop()
        spent = time.perf_counter() - started
        self.totals[stage] += spent - nested
        if self.stack:
            self.stack[-1][2] += spent

    def wrap(self, owner, name, stage, *, view=False):
        original = getattr(owner, name)
        clock = self

        def timed(*args, **kwargs):
            was = clock.in_view
            clock.in_view = was or view
            clock.enter(stage)
            try:
                return original(*args, **kwargs)
            finally:
                clock.leave()
                clock.in_view = was

        setattr(owner, name, timed)


def stages(client, url, runs, label):
    from django.core.handlers.base import BaseHandler
    from django.db import connection
    from django.db.models import query
    from django.db.models.sql import compiler
    from django.db.models.sql import query as sql_query
    from django.template.backends import django as django_backend

    clock = StageClock()
    orm, database = STAGES[1], STAGES[0]
    # The handler as a whole is the middleware's unless a stage below claims it.
    clock.wrap(BaseHandler, "get_response", STAGES[3])
    clock.wrap(BaseHandler, "_get_response", STAGES[4], view=True)
    clock.wrap(django_backend.Template, "render", STAGES[2])
    for owner, name in (
        (query.QuerySet, "_fetch_all"),
        (sql_query.Query, "add_q"),
        (sql_query.Query, "add_annotation"),
        (compiler.SQLCompiler, "execute_sql"),
        (compiler.SQLInsertCompiler, "execute_sql"),
        (compiler.SQLUpdateCompiler, "execute_sql"),
        (compiler.SQLDeleteCompiler, "execute_sql"),
    ):
        if name in vars(owner):
            clock.wrap(owner, name, orm)

    client.handler.load_middleware()  # the chain holds the handler's methods as they were

    def timed_execute(execute, sql, params, many, context):
        clock.enter(database)
        try:
            return execute(sql, params, many, context)
        finally:
            clock.leave()

    with connection.execute_wrapper(timed_execute):
        started = time.perf_counter()
        for _ in range(runs):
            assert client.get(url).status_code == 200
        elapsed = time.perf_counter() - started
    handled = sum(clock.totals.values())
    print(f"{label}: {runs} requests, {elapsed / runs * 1000:.1f} ms each through the test client, ", end="")
    print(f"{handled / runs * 1000:.1f} ms in Django's handler")
    for stage, seconds in clock.totals.items():
        print(f"  {stage}: {seconds / handled:.0%} ({seconds / runs * 1000:.1f} ms a request)")


def cumulative(stats, path_part, name, caller_part):
    """Cumulative seconds in the function, from callers whose file matches caller_part (any if None)."""
    total = 0.0
    for (filename, _line, function), (_cc, _nc, _tt, whole, callers) in stats.stats.items():
        if path_part in filename and function == name:
            if caller_part is None:
                total += whole
            else:
                total += sum(c[3] for caller, c in callers.items() if caller_part in caller[0])
    return total


def by_area(stats):
    totals = dict.fromkeys((area for area, _parts in AREAS), 0.0)
    for (filename, _line, _function), (_cc, _nc, own, _whole, _callers) in stats.stats.items():
        for area, parts in AREAS:
            if any(part in filename for part in ((parts,) if isinstance(parts, str) else parts)):
                totals[area] += own
                break
    return sorted(totals.items(), key=lambda item: -item[1])


def main():
    args = parse()
    import django

    django.setup()
    from django.test import Client

    from bench import fixtures

    label, user, url = next(page for page in fixtures.pages() if args.page in page[0])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for _ in range(3):
        assert client.get(url).status_code == 200
    if args.stages:
        stages(client, url, args.runs, label)
        return
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.runs):
        client.get(url)
    profiler.disable()
    elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    stats.sort_stats(args.sort).print_stats(args.limit)
    total = stats.total_tt
    print(f"{label}: {args.runs} requests, {elapsed / args.runs * 1000:.1f} ms each under the profiler")
    for place, path_part, name, caller_part in PLACES:
        seconds = cumulative(stats, path_part, name, caller_part)
        print(f"  {place}: {seconds / total:.0%} ({seconds / args.runs * 1000:.1f} ms a request)")
    print("Own time by area (each function's time without what it calls):")
    for area, seconds in by_area(stats):
        print(f"  {area}: {seconds / total:.0%} ({seconds / args.runs * 1000:.1f} ms a request)")


if __name__ == "__main__":
    main()
