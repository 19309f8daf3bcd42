"""Where a page's server time goes: cProfile over --runs requests of one of the benchmark's pages
(bench/fixtures.py), through Django's whole stack in this process, as bench/run.py times them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heimveg_bench HEIMVEG_SECRET_KEY=x \\
        .venv/bin/python bench/profile_page.py pathway [--runs 30] [--sort cumulative] [--limit 40]

The page is chosen by a word of its label ("pathway", "assessment", "handover", "worklist", ...).
Besides cProfile's table it prints the share of the time spent in a few places: the template
engine, form widgets, building and compiling ORM queries, and the database driver.
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
    return parser.parse_args()


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
