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

# (label, a function's file path part, its name or None for every function of the file): time
# spent inside (cumulative, outermost call only) is attributed to the label.
PLACES = (
    ("templates (render)", "django/template/base.py", "render"),
    ("form widgets (BoundField.as_widget)", "django/forms/boundfield.py", "as_widget"),
    ("ORM: building and compiling queries", "django/db/models/sql/compiler.py", "as_sql"),
    ("database driver (cursor execute)", "psycopg/cursor.py", "execute"),
)


def parse():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="a word of the page's label in bench/fixtures.py")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    return parser.parse_args()


def outermost_cumulative(stats, path_part, name):
    """Cumulative seconds in the functions, counting only calls not made from another of them."""
    total = 0.0
    for (filename, _line, function), (_cc, _nc, _tt, cumulative, callers) in stats.stats.items():
        if path_part in filename and (name is None or function == name):
            recursive = sum(
                c[3] for caller, c in callers.items() if path_part in caller[0] and (name is None or caller[2] == name)
            )
            total += cumulative - recursive
    return total


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
    for place, path_part, name in PLACES:
        seconds = outermost_cumulative(stats, path_part, name)
        print(f"  {place}: {seconds / total:.0%} ({seconds / args.runs * 1000:.1f} ms a request)")


if __name__ == "__main__":
    main()
