"""`make bench`: Heimveg at national scale, against floors measured in the same run.

    .venv/bin/python bench/run.py                # PostgreSQL (database heimveg_bench), ten years
    .venv/bin/python bench/run.py --sqlite       # SQLite (var/bench.sqlite3)
    .venv/bin/python bench/run.py --years 1 --scale 0.05   # a quick look
    .venv/bin/python bench/run.py --database-url postgres://…/hv_national --reuse   # a database as it is

It prepares the database once (migrate, load_directory, generate_national: resumed if interrupted,
skipped when done; --reuse skips all of it), then prints its tables. Each time is the median of
--repeat runs. The targets (bench/targets.py) are ratios to floors of the same run:

- page: the server time of a page through Django's whole stack (test client, same process), at
  most 2 × its own SQL replayed raw on the same connection (bench/raw_sql.py) + the server time of
  the signed-in start page (session, user, memberships, the frame: what any page behind sign-in
  pays); and how many statements it ran, for the largest and a small municipality;
- throughput: requests per second from wrk (a second process, over loopback) against gunicorn, for
  /livez (no database work), the start page signed in, the worklist and the heaviest page; the
  worklist's at least 50 % of its own SQL replayed raw by as many psycopg connections as wrk has
  (PostgreSQL only);
- capacity: the heaviest page's requests per second next to the national peak load estimated in
  bench/capacity.py (the README's "Capacity" states the assumptions);
- memory: the peak resident set (VmHWM) of each gunicorn worker after the load;
- the audit log's hash chain (bench/audit_chain.py): one audit write with the chain against a plain
  INSERT, the worklist's list entry, entries per second from four writers at once, and how fast
  verify_audit walks the chain;
- reports: bench/reports.py computes the nightly report figures and times the oversight report
  for all of Norway, the largest health community and the largest municipality, last year; then
  the public delivery figures (computed from them, timed) and their pages without sign-in: all of
  Norway within 300 ms (bench/targets.py), the largest health trust and municipality.
"""

import argparse
import datetime
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import capacity, raw_sql, targets  # noqa: E402  (after the path: run as a script)

PG_URL = "postgres://postgres@127.0.0.1:5432/heimveg_bench"
SQLITE_URL = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
PORT = 8765


def parse():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--database-url", help="any database (overrides --sqlite)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database as it is: no migrate, directory or generator (collectstatic only)",
    )
    parser.add_argument("--skip-reports", action="store_true", help="leave out the oversight reports")
    parser.add_argument(
        "--skip-audit-chain",
        action="store_true",
        help="leave out the audit chain's figures (verify_audit walks the whole chain: minutes at national scale)",
    )
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=15, help="runs per measurement (the median is shown)")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per throughput run")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections of the load")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn worker processes (default: gunicorn's own advice, 2 × cores + 1)",
    )
    return parser.parse_args()


def environment(url):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HEIMVEG_SECRET_KEY": "bench-only-not-secret",
        "HEIMVEG_ALLOW_SYNTHETIC_IDS": "1",
        "HEIMVEG_REQUIRE_2FA": "0",
        # Required outside the demo (heimveg.E003); the links in messages are never opened here.
        "HEIMVEG_BASE_URL": "https://heimveg.bench.invalid",
        "HEIMVEG_LOG_LEVEL": "WARNING",
        # Production refuses the console SMS backend (heimveg/checks.py); no text is sent here.
        "HEIMVEG_SMS_BACKEND": "portal.senders.MemorySMSBackend",
        "DJANGO_SETTINGS_MODULE": "heimveg.settings",
    }
    env.pop("HEIMVEG_DEBUG", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(url, env, years, scale):
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        exists = subprocess.run(
            ["psql", url.rsplit("/", 1)[0] + "/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(["psql", url.rsplit("/", 1)[0] + "/postgres", "-c", f"CREATE DATABASE {name}"], check=True)
    (ROOT / "var").mkdir(exist_ok=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_directory")
    manage(env, "collectstatic", "--no-input", "-v0")  # served as in production (manifest, whitenoise)
    started = time.monotonic()
    manage(env, "generate_national", "--years", str(years), "--scale", str(scale))
    generated = time.monotonic() - started
    if url.startswith("postgres"):
        # The state a production database is in after autovacuum has passed over a bulk load:
        # visibility maps set (index-only scans) and fresh statistics. Not part of the generator's time.
        subprocess.run(["psql", url, "-qc", "VACUUM (ANALYZE)"], check=True)
    return generated


# --- In-process measurements -------------------------------------------------------------------


class Recorder:
    """Keeps every statement a page runs, with its parameters, to replay them raw."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def audit_seq_index():
    from audit.models import AuditEntry

    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    return [f.name for f in fields].index("seq")


def replay(statements):
    """The page's statements, raw, on Django's connection in a transaction that is rolled back
    (bench/raw_sql.py); the hashing of the audit entry in Python is the page's own."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            raw_sql.execute(cursor, statements, audit_seq_index())
        transaction.set_rollback(True)  # the page's own writes (its audit entries) are not repeated
    return time.perf_counter() - started


def measure_page(client, url, repeat):
    from django.db import connection

    for _ in range(3):  # warm up caches, templates, the connection
        assert client.get(url).status_code == 200, url
    times, floors, counts, statements = [], [], set(), []
    for _ in range(repeat):
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, url
        counts.add(len([s for s in recorder.statements if not raw_sql.SKIP.match(s[0])]))
        floors.append(replay(recorder.statements))
        statements = recorder.statements
    return Page(url, statistics.median(times), statistics.median(floors), counts, statements)


@dataclass
class Page:
    url: str
    server: float  # median seconds through Django's whole stack
    raw_sql: float  # median seconds of its statements replayed raw
    counts: set  # how many statements it ran (one number if constant)
    statements: list  # the statements of its last run, to replay under load


def in_process(repeat, audit=True):
    import django

    django.setup()
    from django.test import Client

    from bench import fixtures

    pages = fixtures.pages()
    rows = []
    frame = fixtures.frame_user()
    for label, user, url in [("the start page, signed in (no work shown)", frame, "/"), *pages]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        rows.append((label, measure_page(client, url, repeat)))
    from bench import audit_chain

    chain = audit_chain.measure(pages[0][1], repeat) if audit else ([], "(the audit chain was not measured)")
    return rows, (fixtures.session_cookie(pages[0][1]), fixtures.session_cookie(frame)), chain


# --- Load --------------------------------------------------------------------------------------


def wrk(url, duration, connections, cookie=None):
    # A long timeout: wrk drops a response slower than its default 2 s and counts no request for it.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(errors.group(1)) if errors else 0) + (sum(map(int, socket.groups())) if socket else 0)
    return rps, p99.group(1) if p99 else "?", failed


def peak_rss_mb(master_pid):
    peaks = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def load(env, cookies, args, heaviest):
    """wrk against gunicorn: /livez, the worklist, the signed-in start page and the heaviest page."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "heimveg.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={**env, "HEIMVEG_DB_CONN_MAX_AGE": "600"},
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                subprocess.run(["curl", "-sf", f"{base}/livez"], check=True, capture_output=True)
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        floor = wrk(f"{base}/livez", args.duration, args.connections)
        result = {"livez": floor}
        clinical, frame = cookies
        for name, path, cookie in (
            ("worklist", "/pathway/worklist/", clinical),
            ("start", "/", frame),
            ("heaviest", heaviest, clinical),
        ):
            # The load must measure the page itself, not a redirect to the sign-in page.
            status = subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-b", f"sessionid={cookie}", base + path],
                capture_output=True,
                text=True,
            ).stdout
            assert status == "200", f"{path} answered {status} to the benchmark's session"
            wrk(base + path, 3, args.connections, cookie)  # warm-up
            result[name] = wrk(base + path, args.duration, args.connections, cookie)
        result["rss"] = peak_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return result


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def print_pages(rows, start):
    print(
        f"Pages: server time ≤ {targets.PAGE_FACTOR:g} × its raw SQL + the signed-in start page's server time "
        f"({ms(start.server)}, measured above)."
    )
    print()
    print("| page | server time | raw SQL | ratio | bound | met | queries |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
    print(
        f"| the start page, signed in (no work shown) | {ms(start.server)} | {ms(start.raw_sql)} "
        f"| | | | {_counts(start)} |"
    )
    for label, page in rows:
        check = targets.PageCheck(page.server, page.raw_sql, start.server)
        print(
            f"| {label} | {ms(page.server)} | {ms(page.raw_sql)} | {page.server / page.raw_sql:.1f}× "
            f"| {ms(check.bound)} | {targets.verdict(check.met)} | {_counts(page)} |"
        )
    worklists = [page.counts for label, page in rows if label.startswith("worklist")]
    same = len(set().union(*worklists)) == 1
    print()
    print(f"Worklist queries, largest and small municipality: the same for both: {targets.verdict(same)}.")
    varying = [label for label, page in rows if len(page.counts) > 1]
    print(f"Queries constant from run to run: {targets.verdict(not varying)} {', '.join(varying)}")


def _counts(page):
    return " / ".join(str(n) for n in sorted(page.counts))


def main():
    args = parse()
    url = args.database_url or (SQLITE_URL if args.sqlite else PG_URL)
    env = environment(url)
    if args.reuse:
        (ROOT / "var").mkdir(exist_ok=True)
        manage(env, "collectstatic", "--no-input", "-v0")  # the checkout's static files, for gunicorn
        generated = None
    else:
        generated = prepare(url, env, args.years, args.scale)
    os.environ.update(env)
    measured, cookies, (chain_rows, verified) = in_process(args.repeat, audit=not args.skip_audit_chain)
    (_, start), *rows = measured
    worklist = rows[0][1]
    heaviest_label, heaviest = max(rows, key=lambda row: row[1].server)
    raw_load = None
    if url.startswith("postgres"):
        raw_load = raw_sql.load(url, worklist.statements, audit_seq_index(), args.connections, args.duration)
    from django.db import connections

    connections.close_all()
    loads = load(env, cookies, args, heaviest.url)

    from bench import fixtures

    database = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print()
    took = f"generate_national took {generated:.0f} s this run" if generated is not None else "an existing database"
    print(f"Heimveg bench on {database}: {fixtures.describe()} ({took})")
    print(
        f"Measured on {fixtures.environment()}. Each time is the median of {args.repeat} runs. "
        "The targets are ratios to floors measured in the same run on the same machine."
    )
    print()
    print_pages(rows, start)
    print()
    wl = loads["worklist"]
    print(
        f"Throughput ({args.workers} gunicorn workers, wrk {args.connections} connections, {args.duration} s; "
        f"the raw SQL by {args.connections} psycopg connections, each its own process):"
    )
    print()
    print("| load | requests/s | p99 | errors |")
    print("| --- | ---: | ---: | ---: |")
    for name, label in (
        ("livez", "/livez (no database work: the framework's floor)"),
        ("start", "the start page, signed in (no work shown)"),
        ("worklist", "worklist of the largest municipality"),
        ("heaviest", f"the heaviest page: {heaviest_label}"),
    ):
        rps, p99, errors = loads[name]
        print(f"| {label} | {rps:.1f} | {p99} | {errors} |")
    if raw_load is not None:
        check = targets.ThroughputCheck(wl[0], raw_load[0], wl[2])
        print(f"| the worklist's SQL replayed raw | {raw_load[0]:.1f} | | {raw_load[1]} |")
        print()
        print(
            f"Worklist throughput {wl[0]:.1f} req/s against its raw SQL's {raw_load[0]:.1f} loads/s: "
            f"{check.ratio:.0%} (target ≥ {targets.THROUGHPUT_SHARE:.0%}): {targets.verdict(check.met)}"
        )
    peak = capacity.NATIONAL.peak_per_second
    print(
        f"Capacity: the heaviest page ({heaviest_label}) at {loads['heaviest'][0]:.1f} req/s on this machine; "
        f"the national peak load (README, Capacity) is {peak:.1f} page views/s: headroom "
        f"{capacity.headroom(loads['heaviest'][0], peak):.1f}×"
    )
    rss = loads["rss"]
    print(
        f"Peak RSS of a web worker after the load: {max(rss):.0f} MB ({', '.join(f'{r:.0f}' for r in rss)}) "
        f"(target < 150 MB): {targets.verdict(max(rss) < 150)}"
    )
    if chain_rows:
        print()
        print("| audit chain | figure | for comparison |")
        print("| --- | ---: | ---: |")
        for label, figure, comparison in chain_rows:
            print(f"| {label} | {figure} | {comparison} |")
    print()
    print(verified)
    print()
    if args.skip_reports:
        return
    print(
        "Oversight reports and public figures (bench/reports.py: the nightly figures computed now, "
        "then each report page and each public figures page):"
    )
    sys.stdout.flush()
    last_year = str(datetime.date.today().year - 1)
    subprocess.run(
        [sys.executable, "bench/reports.py", "--refresh", "--runs", str(args.repeat), "--year", last_year],
        cwd=ROOT,
        env=env,
        check=True,
    )


if __name__ == "__main__":
    main()
