"""Load during a fault: completions posted through the FHIR API, read requests beside them, and
wrk. Every answer our own clients get is kept with the time it came (status 0: no answer at all),
so that 5xx answers can be placed relative to the fault."""

import queue
import re
import subprocess
import threading
import time

import requests

from faults import config

FHIR_JSON = "application/fhir+json"
COMPLETE = [{"op": "replace", "path": "/status", "value": "completed"}]


class Answers:
    """(time, what, status) of every answer, from any thread."""

    def __init__(self):
        self.items = []
        self._lock = threading.Lock()

    def add(self, what, status):
        with self._lock:
            self.items.append((time.time(), what, status))

    def failures(self):
        return [(t, what, status) for t, what, status in self.items if status == 0 or status >= 500]


def token(base, seed, answers=None, attempts=50):
    """A client-credentials token from /oauth/token/ (retried: the token endpoint is under test too)."""
    for _ in range(attempts):
        try:
            response = requests.post(
                f"{base}/oauth/token/",
                data={"grant_type": "client_credentials"},
                auth=(seed["client_id"], seed["client_secret"]),
                timeout=10,
            )
            status = response.status_code
        except requests.RequestException:
            status = 0
        if answers is not None:
            answers.add("token", status)
        if status == 200:
            return response.json()["access_token"]
        time.sleep(0.3)
    raise RuntimeError("no token from /oauth/token/")


class _Threads:
    """Worker threads running `_run` until stopped."""

    def __init__(self, threads):
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def start(self):
        for thread in self._threads:
            thread.start()
        return self

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self):
        raise NotImplementedError


class Completer(_Threads):
    """Threads that complete collaboration points (taken from the queue `todo`) with
    PATCH /fhir/Task/<id> until stopped or out of points. A completion that gets no answer or a 5xx
    is sent again (the same PATCH: if the first one did complete the point, the repeat changes
    nothing), so every point taken is completed in the end or reported as not completed."""

    def __init__(self, base, seed, todo, answers, threads=2, pause=0.1):
        self.base, self.seed, self.todo, self.answers, self.pause = base, seed, todo, answers, pause
        self.attempted, self.completed, self.unfinished, self.refused = [], [], [], []
        super().__init__(threads)

    def _run(self):
        session = requests.Session()
        bearer = token(self.base, self.seed, self.answers)
        while not self._stop.is_set():
            try:
                task = self.todo.get_nowait()
            except queue.Empty:
                return
            self.attempted.append(task)
            status = self._complete(session, bearer, task)
            if status == 401:  # the token went with a lost connection's transaction: get another
                bearer = token(self.base, self.seed, self.answers)
                status = self._complete(session, bearer, task)
            if 200 <= status < 300:
                self.completed.append(task)
            elif status in (0,) or status >= 500:
                self.unfinished.append(task)
            else:
                self.refused.append((task, status))
            if self.pause:
                time.sleep(self.pause)

    def _complete(self, session, bearer, task):
        deadline = time.monotonic() + 30
        sent_before = False  # an earlier attempt got no answer or a 5xx: it may have completed it
        while True:
            try:
                response = session.patch(
                    f"{self.base}/fhir/Task/{task}",
                    json=COMPLETE,
                    headers={
                        "Authorization": f"Bearer {bearer}",
                        "Accept": FHIR_JSON,
                        "Content-Type": "application/json-patch+json",
                    },
                    timeout=20,
                )
                status = response.status_code
            except requests.RequestException:
                status = 0
                session = requests.Session()
            self.answers.add("complete", status)
            if status == 409 and sent_before:
                # "Already completed": the earlier attempt did it and its answer was lost with the
                # fault. The database counts below say whether it was completed exactly once.
                return 200
            if (status and status < 500) or time.monotonic() > deadline or self._stop.is_set():
                return status
            sent_before = True
            time.sleep(0.2)


class Reader(_Threads):
    """Threads that read what a record system and a load balancer read, in turn: the health path,
    the capability statement, a Task, and a new token now and then."""

    def __init__(self, base, seed, answers, threads=2, pause=0.02):
        self.base, self.seed, self.answers, self.pause = base, seed, answers, pause
        super().__init__(threads)

    def _run(self):
        session = requests.Session()
        bearer = token(self.base, self.seed, self.answers)
        tasks = self.seed["tasks"][:50]
        i = 0
        while not self._stop.is_set():
            i += 1
            if i % 20 == 0:
                self._get(
                    session,
                    "token",
                    "POST",
                    "/oauth/token/",
                    data={"grant_type": "client_credentials"},
                    auth=(self.seed["client_id"], self.seed["client_secret"]),
                )
            path = [config.HEALTH_PATH, "/fhir/metadata", f"/fhir/Task/{tasks[i % len(tasks)]}"][i % 3]
            status = self._get(
                session,
                path.split("/")[1] or "root",
                "GET",
                path,
                headers={"Authorization": f"Bearer {bearer}", "Accept": FHIR_JSON},
            )
            if status == 401:
                bearer = token(self.base, self.seed, self.answers)
            time.sleep(self.pause)

    def _get(self, session, what, method, path, **kwargs):
        try:
            status = session.request(method, f"{self.base}{path}", timeout=20, **kwargs).status_code
        except requests.RequestException:
            status = 0
        self.answers.add(what, status)
        return status


WRK_SCRIPT = """
-- Reads a record system makes, in turn: Tasks, the capability statement, the health path.
local paths = {PATHS}
local i = 0
request = function()
  i = i + 1
  local headers = {["Authorization"] = "Bearer TOKEN", ["Accept"] = "application/fhir+json"}
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end
"""


class Wrk:
    """wrk in the background for `duration` seconds; its summary is parsed when it ends."""

    def __init__(self, base, bearer, tasks, duration, connections=8):
        paths = [f"/fhir/Task/{t}" for t in tasks[:20]] + ["/fhir/metadata", config.HEALTH_PATH]
        script = config.LOGS / "wrk.lua"
        script.write_text(
            WRK_SCRIPT.replace("{PATHS}", "{" + ", ".join(f'"{p}"' for p in paths) + "}").replace("TOKEN", bearer)
        )
        self.popen = subprocess.Popen(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), base],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def result(self):
        out, _ = self.popen.communicate(timeout=120)
        requests_ = re.search(r"(\d+) requests in", out)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return {
            "requests": int(requests_.group(1)) if requests_ else 0,
            "non_2xx": int(errors.group(1)) if errors else 0,
            "output": out,
        }
