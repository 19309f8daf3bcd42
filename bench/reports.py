"""Time the oversight report at national scale: the server time of the report page through
Django's whole stack (test client, same process), median of --runs, with its query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heimveg_national HEIMVEG_SECRET_KEY=x \\
        .venv/bin/python bench/reports.py [--runs 7] [--year 2025] [--refresh]

The report reads the monthly figures (reports.figures); --refresh computes them first, and the
public delivery figures from them (reports.public.compute), and times both (it writes only the
reports app's own tables). Then the public figures' pages (no sign-in) are timed the same way: all
of Norway (bound: bench/targets.py, PUBLIC_PAGE_SECONDS), the largest health trust and the largest
municipality. Everything else this script does (a
temporary analyst user, the sessions and audit entries the pages write) happens inside one
transaction that is rolled back: the database is left as it was.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimveg.settings")
os.environ.setdefault("HEIMVEG_REQUIRE_2FA", "0")
os.environ.setdefault("HEIMVEG_ALLOW_SYNTHETIC_IDS", "1")
os.environ.setdefault("HEIMVEG_LOG_LEVEL", "WARNING")
os.environ.setdefault("HEIMVEG_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("HEIMVEG_TESTING", "1")  # plain static storage: no collectstatic manifest needed


def parse():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (the median is shown)")
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1, help="the year reported on")
    parser.add_argument("--refresh", action="store_true", help="compute the figures first, and time it")
    return parser.parse_args()


class Rollback(Exception):
    pass


def main():
    args = parse()
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Membership, Role, User
    from bench import targets
    from directory.models import Organisation
    from reports import figures
    from reports.public import compute

    if args.refresh:
        result = figures.refresh(timezone.localdate())
        print(f"refresh: {result.rows} figures in {result.seconds:.1f} s (as of {result.as_of})")
        started = time.perf_counter()
        areas = compute.refresh(result.as_of)
        print(f"public figures: {areas} areas in {time.perf_counter() - started:.1f} s")
    latest = figures.latest_refresh()
    if latest is None:
        sys.exit("No report figures yet: run with --refresh (or manage.py refresh_report_figures) first.")

    period = {"start": f"{args.year}-01", "end": f"{args.year}-12"}
    trust = (  # the health community with the most municipalities
        Organisation.objects.filter(kind=Organisation.Kind.HEALTH_TRUST)
        .annotate(municipalities=Count("served_municipalities"))
        .order_by("-municipalities", "name")
        .first()
    )
    municipality = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, population__isnull=False)
        .order_by("-population")
        .first()
    )
    pages = [
        ("all of Norway", {"scope": "norway", **period}),
        (f"health community of {trust.name}", {"scope": f"community:{trust.public_id}", **period}),
        (f"municipality {municipality.name}", {"scope": f"org:{municipality.public_id}", **period}),
    ]
    print(f"figures as of {latest.as_of} ({latest.rows} rows); {args.runs} runs each, median server time")
    try:
        with transaction.atomic():
            user = User.objects.create_user(username="bench-reports-analyst", password=None)
            Membership.objects.create(user=user, organisation=trust, role=Role.ANALYST)
            client = Client()
            client.force_login(user)
            for label, query in pages:
                client.get("/reports/", query)  # warm-up: connection, templates, caches
                times = []
                for _ in range(args.runs):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get("/reports/", query)
                        times.append(time.perf_counter() - started)
                    assert response.status_code == 200, (label, response.status_code)
                print(
                    f"  report, {label}, {args.year}: median {statistics.median(times) * 1000:.0f} ms "
                    f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}), {len(queries)} queries"
                )
            public_pages(args.runs, trust, municipality, targets)
            raise Rollback
    except Rollback:
        pass


def time_page(client, url, runs):
    """(median seconds, min, max, queries of the last run) of GET url: a warm-up first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), min(times), max(times), len(queries)


def public_pages(runs, trust, municipality, targets):
    """The public delivery figures' pages, as a visitor who is not signed in sees them."""
    from django.test import Client

    from reports.models import PublicFigures

    if not PublicFigures.objects.exists():
        print("  public figures: none computed yet (run with --refresh)")
        return
    client = Client()
    pages = [
        ("all of Norway", "/info/figures/"),
        (f"health trust {trust.name}", f"/info/figures/{trust.public_id}/"),
        (f"municipality {municipality.name}", f"/info/figures/{municipality.public_id}/"),
    ]
    for label, url in pages:
        median, fastest, slowest, queries = time_page(client, url, runs)
        bound = ""
        if url == "/info/figures/":
            met = targets.verdict(targets.public_page_met(median))
            bound = f" (target ≤ {targets.PUBLIC_PAGE_SECONDS * 1000:.0f} ms: {met})"
        print(
            f"  public figures, {label}: median {median * 1000:.0f} ms (min {fastest * 1000:.0f}, "
            f"max {slowest * 1000:.0f}), {queries} queries{bound}"
        )


if __name__ == "__main__":
    main()
