"""`make faults`: Heimveg under faults on PostgreSQL, with production settings.

    .venv/bin/python -m faults.run            # all three scenarios
    .venv/bin/python -m faults.run --only b   # one of them

It drops and creates the database heimveg_faults (owned by the role heimveg_owner), migrates it as
that owner, runs every Heimveg process as the application role heimveg_app (docs/operations.md),
loads the national directory and a small data set (faults/seed.py), then runs each scenario of
faults/scenarios.py and prints its table. Everything listens on and connects to 127.0.0.1 only.
Exits non-zero if any row differs from what it must be. Logs of every process are in var/faults/.
"""

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time

from faults import config, processes, scenarios

BUDGET_SECONDS = 8 * 60


def step(label, started):
    print(f"  {label}: {time.monotonic() - started:.0f} s", flush=True)
    return time.monotonic()


def prepare(env, patients):
    if config.LOGS.exists():
        shutil.rmtree(config.LOGS)
    config.LOGS.mkdir(parents=True)
    started = time.monotonic()
    admin = f"{config.SERVER}/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {config.DATABASE} WITH (FORCE)"], check=True)
    subprocess.run(["psql", admin, "-qc", config.CREATE_ROLES], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {config.DATABASE} OWNER {config.OWNER_ROLE}"], check=True)
    log = config.LOGS / "setup.log"
    processes.manage(env, "migrate", "--no-input", "-v0", log=log)
    started = step("migrate", started)
    processes.manage(env, "load_directory", log=log)
    started = step("load_directory", started)
    processes.manage(env, "collectstatic", "--no-input", "-v0", log=log)  # the manifest production serves
    started = step("collectstatic", started)
    seed = config.LOGS / "seed.json"
    subprocess.run([config.PYTHON, "-m", "faults.seed", str(seed), str(patients)], cwd=config.ROOT, env=env, check=True)
    step(f"{patients} patients enrolled", started)
    return json.loads(seed.read_text())


def verdict(value, expected):
    if expected is None:
        return ""
    if expected == ">0":
        return "yes" if isinstance(value, int) and value > 0 else "NO"
    return "yes" if value == expected else "NO"


def table(key, title, rows, seconds):
    print(f"\n({key}) {title} ({seconds:.0f} s)\n")
    print("| measure | value | must be | ok |")
    print("| --- | ---: | ---: | --- |")
    failed = 0
    for label, value, expected in rows:
        ok = verdict(value, expected)
        failed += ok == "NO"
        shown = "" if expected is None else ("> 0" if expected == ">0" else expected)
        print(f"| {label} | {value} | {shown} | {ok} |")
    sys.stdout.flush()
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="abc", help="the scenarios to run (default abc)")
    parser.add_argument("--patients", type=int, default=1100, help="enrolled patients in the data set")
    args = parser.parse_args()

    # A harness stopped from outside still stops what it started (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = config.environment()
    began = time.monotonic()
    print("Setup:", flush=True)
    seed = prepare(env, args.patients)
    timings = [("setup: database, migrations, directory, data", time.monotonic() - began)]
    print(
        f"Fault runs on {config.APP_DATABASE_URL}: worker `manage.py {' '.join(config.WORKER_COMMAND)}`, "
        f"health path {config.HEALTH_PATH}, {len(seed['tasks'])} open points to complete."
    )
    failed, summary = 0, []
    context = scenarios.Context(env, seed)  # one pool of open points: each is completed in one scenario only
    for key in args.only:
        title, scenario = scenarios.SCENARIOS[key]
        started = time.monotonic()
        try:
            rows = scenario(context)
        except Exception as error:  # a scenario that cannot finish is a failure, and the others still run
            rows = [(f"the scenario ran to the end ({type(error).__name__}: {error})", "NO", "yes")]
        finally:
            context.stop_all()
        seconds = time.monotonic() - started
        errors = table(key, title, rows, seconds)
        failed += errors
        timings.append((f"({key}) {title}", seconds))
        summary.append((key, "passed" if not errors else f"FAILED ({errors} rows)"))
    total = time.monotonic() - began
    print("\n| stage | seconds |\n| --- | ---: |")
    for label, seconds in timings:
        print(f"| {label} | {seconds:.0f} |")
    within = total <= BUDGET_SECONDS
    print(f"| total | {total:.0f} (at most {BUDGET_SECONDS}: {'yes' if within else 'NO'}) |")
    print("\nFaults: " + ", ".join(f"({key}) {result}" for key, result in summary))
    return 0 if not failed and within else 1


if __name__ == "__main__":
    sys.exit(main())
