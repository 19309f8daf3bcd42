"""The three fault scenarios. Each starts what it needs, puts load on it, causes its fault, lets
the outbox drain, and returns its table: (label, value, expected or None) rows, the last ones
being the assertions every scenario shares."""

import json
import queue
import subprocess
import threading
import time

from faults import checks, config, load, processes, proxy

BASE = f"http://{config.HOST}"


class Context:
    """The environment, the seed's points (each scenario takes its own) and the processes started."""

    def __init__(self, env, seed):
        self.env, self.seed = env, seed
        self.pool = queue.Queue()
        for task in seed["tasks"]:
            self.pool.put(task)
        self.started = []

    def take(self, count):
        return [self.pool.get_nowait() for _ in range(min(count, self.pool.qsize()))]

    def node(self, port, name):
        process = processes.node(self.env, port, name)
        self.started.append(process)
        return process

    def worker(self, name):
        process = processes.worker(self.env, name)
        self.started.append(process)
        return process

    def haproxy(self, ports):
        path = proxy.write_config(config.LOGS / "haproxy.cfg", ports)
        process = processes.haproxy(path)
        self.started.append(process)
        return process

    def stop_all(self):
        for process in reversed(self.started):
            process.stop()
        self.started = []


def late_failures(failures, faults):
    """5xx answers (and requests with no answer) not within GRACE_SECONDS after some fault."""
    return [f for f in failures if not any(0 <= f[0] - fault <= config.GRACE_SECONDS for fault in faults)]


def shared_rows(counts, failures, faults, name):
    late = late_failures(failures, faults)
    with open(config.LOGS / f"{name}-failures.txt", "w") as out:
        out.write("# seconds after the first fault, what, status (0: no answer)\n")
        for t, what, status in sorted(failures):
            out.write(f"{t - min(faults):+.3f} {what} {status}\n")
    return [
        (
            "points completed before the scenario began (harness check)",
            counts["points completed before the scenario began"],
            0,
        ),
        ("completions answered 2xx", counts["completions answered 2xx"], None),
        ("points completed", counts["points completed"], None),
        ("messages written", counts["messages written"], counts["messages expected"]),
        (
            "delivered exactly once to the Heimveg inbox",
            counts["delivered exactly once to the inbox"],
            counts["messages expected"],
        ),
        ("lost", counts["lost"], 0),
        ("duplicated", counts["duplicated"], 0),
        ("5xx or no answer within 5 s of the fault", len(failures) - len(late), None),
        (f"5xx or no answer more than {config.GRACE_SECONDS:.0f} s after the fault", len(late), 0),
    ]


def kill_worker_mid_batch(context, batch_size=200):
    """(a) SIGKILL of the worker in the middle of a batch of deliveries, then a restart."""
    base = f"{BASE}:{config.NODE_PORTS[0]}"
    context.node(config.NODE_PORTS[0], "a-node")
    worker = context.worker("a-worker")
    answers = load.Answers()
    reader = load.Reader(base, context.seed, answers).start()
    time.sleep(3)  # the worker is up and idle

    since = checks.now()
    tasks = context.take(batch_size)
    path = config.LOGS / "a-batch.json"
    path.write_text(json.dumps(tasks))
    before, total_before = checks.delivered_deliveries(), checks.all_deliveries()
    killed = []
    watcher = threading.Thread(target=_kill_at_first_delivery, args=(worker, before, killed), daemon=True)
    watcher.start()
    subprocess.run(
        [config.PYTHON, "-m", "faults.batch", str(path)],
        cwd=config.ROOT,
        env={**context.env, "HEIMVEG_TASK_BACKEND": "django_tasks.backends.dummy.DummyBackend"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    batch = checks.all_deliveries() - total_before
    watcher.join(timeout=3)
    if watcher.is_alive():
        # The worker does not look at the outbox by itself: one outbox run is queued, as the last
        # completion's commit would have, so that the batch starts.
        processes.manage(
            context.env, "shell", "-c", "import handover.tasks as t; getattr(t, 'enqueue_delivery', lambda: None)()"
        )
        watcher.join(timeout=30)
    fault = killed[0] if killed else time.time()
    at_kill = checks.delivered_deliveries() - before, checks.pending_deliveries()
    queued = checks.queued_outbox_runs()
    time.sleep(2)
    left_behind = checks.pending_deliveries()
    restarted = time.monotonic()
    context.worker("a-worker-restarted")
    drained = checks.wait_for_outbox()
    drained = "timeout" if drained is None else round(time.monotonic() - restarted, 1)
    reader.stop()
    counts = checks.outcome(tasks, tasks, since)
    context.stop_all()
    return [
        ("deliveries in the batch (one transaction)", batch, None),
        ("delivered when the worker was killed", at_kill[0], None),
        ("waiting when the worker was killed (> 0: the kill was mid-batch)", at_kill[1], ">0"),
        ("outbox runs queued after the kill (0: nothing but the worker itself wakes it)", queued, 0),
        ("waiting 2 s after the kill, before the restart", left_behind, None),
        ("seconds from the restart to an empty outbox (the worker starts in a few)", drained, None),
        *shared_rows(counts, answers.failures(), [fault], "a"),
    ]


def _kill_at_first_delivery(worker, before, killed, timeout=60):
    """SIGKILL the worker as soon as the first delivery of the batch is in (polled every 10 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and checks.delivered_deliveries() == before:
        time.sleep(0.01)
    killed.append(time.time())
    worker.kill()


def terminate_connections(context, duration=20, terminations=(6, 12), quiet_requests_seconds=4):
    """(b) pg_terminate_backend of every application connection while web requests and the worker
    run; then once more with the web idle, and requests only after the grace period, so that each
    web process's first use of its terminated connection falls outside it."""
    base = f"{BASE}:{config.NODE_PORTS[0]}"
    context.node(config.NODE_PORTS[0], "b-node")
    worker = context.worker("b-worker")
    answers = load.Answers()
    since, started = checks.now(), time.monotonic()
    completers = [load.Completer(base, context.seed, context.pool, answers).start()]
    reader = load.Reader(base, context.seed, answers, threads=2).start()
    faults, terminated = [], []
    for at in terminations:
        time.sleep(max(0, started + at - time.monotonic()))
        faults.append(time.time())
        terminated.append(checks.terminate_application_connections())
    time.sleep(max(0, started + duration - time.monotonic()))
    completers[0].stop()
    reader.stop()
    # Quiet: every connection terminated while no request runs; the next requests come after the grace.
    time.sleep(1)
    faults.append(time.time())
    terminated.append(checks.terminate_application_connections())
    time.sleep(config.GRACE_SECONDS + 1)
    completers.append(load.Completer(base, context.seed, context.pool, answers).start())
    reader = load.Reader(base, context.seed, answers, threads=2).start()
    time.sleep(quiet_requests_seconds)
    completers[1].stop()
    reader.stop()
    survived = worker.alive
    drained = checks.wait_for_outbox()
    attempted = [task for c in completers for task in c.attempted]
    counts = checks.outcome(attempted, [task for c in completers for task in c.completed], since)
    context.stop_all()
    return [
        ("connections terminated (under load, under load, idle)", " + ".join(map(str, terminated)), None),
        ("requests answered", len(answers.items), None),
        ("completions refused (4xx)", sum(len(c.refused) for c in completers), 0),
        ("the worker still running after the faults", "yes" if survived else "NO", "yes"),
        (
            "seconds from the end of the load to an empty outbox",
            "timeout" if drained is None else round(drained, 1),
            None,
        ),
        *shared_rows(counts, answers.failures(), faults, "b"),
    ]


def kill_node_and_worker(context, duration=30, kill_at=10):
    """(c) two nodes behind HAProxy and two workers, wrk and completions through the proxy; one node
    and one worker killed mid-run."""
    ports = config.NODE_PORTS
    nodes = [context.node(port, f"c-node{i}") for i, port in enumerate(ports, 1)]
    workers = [context.worker(f"c-worker{i}") for i in (1, 2)]
    haproxy = context.haproxy(ports)
    base = f"{BASE}:{config.PROXY_PORT}"
    answers = load.Answers()
    bearer = load.token(base, context.seed)
    since, started = checks.now(), time.monotonic()
    wrk = load.Wrk(base, bearer, context.seed["tasks"], duration)
    completer = load.Completer(base, context.seed, context.pool, answers).start()
    time.sleep(kill_at)
    fault = time.time()  # the fault begins with the first SIGKILL
    nodes[0].kill()
    workers[0].kill()
    time.sleep(max(0, started + duration - time.monotonic()))
    completer.stop()
    result = wrk.result()
    survived = workers[1].alive
    drained = checks.wait_for_outbox()
    counts = checks.outcome(completer.attempted, completer.completed, since)
    context.stop_all()
    del haproxy
    logged = proxy.answers(config.LOGS / "haproxy.log")
    proxy_failures = [(t, method, status) for t, method, status, _ in logged if status >= 500 or status <= 0]
    no_answer = [a for a in answers.failures() if a[2] == 0]
    return [
        ("requests through HAProxy (wrk reads and completions)", len(logged), None),
        ("wrk requests / non-2xx", f"{result['requests']} / {result['non_2xx']}", None),
        ("requests HAProxy retried", sum(1 for *_, retries in logged if retries), None),
        ("completions refused (4xx)", len(completer.refused), 0),
        ("the other worker still running", "yes" if survived else "NO", "yes"),
        (
            "seconds from the end of the load to an empty outbox",
            "timeout" if drained is None else round(drained, 1),
            None,
        ),
        *shared_rows(counts, proxy_failures + no_answer, [fault], "c"),
    ]


SCENARIOS = {
    "a": ("SIGKILL of the worker mid-batch, then restart", kill_worker_mid_batch),
    "b": ("pg_terminate_backend of every application connection under load", terminate_connections),
    "c": ("two nodes behind HAProxy and two workers; one node and one worker killed under wrk", kill_node_and_worker),
}
