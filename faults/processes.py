"""The processes a fault run starts: gunicorn nodes, background workers and HAProxy. Each runs in a
session of its own, so that a kill reaches the whole process (a gunicorn master and its workers)."""

import os
import signal
import subprocess
import time
import urllib.request

from faults import config


class Process:
    def __init__(self, name, command, env, log):
        self.name = name
        self.log = log
        self._file = open(log, "ab")
        self.popen = subprocess.Popen(
            command, cwd=config.ROOT, env=env, stdout=self._file, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def alive(self):
        return self.popen.poll() is None

    def kill(self):
        """SIGKILL to the whole process group: no handler runs, no transaction is finished."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait()

    def stop(self, timeout=15):
        """SIGTERM (a graceful stop), SIGKILL if it does not stop in time."""
        if self.alive:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
            except ProcessLookupError:
                pass
        self._file.close()


def manage(env, *args, log=None):
    with open(log or os.devnull, "ab") as out:
        subprocess.run(
            [config.PYTHON, "manage.py", *args], cwd=config.ROOT, env=env, check=True, stdout=out, stderr=out
        )


def node(env, port, name):
    command = [
        config.GUNICORN,
        "heimveg.wsgi",
        "--workers",
        str(config.WEB_WORKERS),
        "--bind",
        f"{config.HOST}:{port}",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(h)s "%(r)s" %(s)s %(M)sms',
    ]
    process = Process(name, command, env, config.LOGS / f"{name}.log")
    wait_until_up(f"http://{config.HOST}:{port}{config.HEALTH_PATH}", process)
    return process


def worker(env, name):
    return Process(name, [config.PYTHON, "manage.py", *config.WORKER_COMMAND], env, config.LOGS / f"{name}.log")


def haproxy(config_file, name="haproxy"):
    process = Process(name, ["haproxy", "-db", "-f", str(config_file)], os.environ.copy(), config.LOGS / f"{name}.log")
    wait_until_up(f"http://{config.HOST}:{config.PROXY_PORT}{config.HEALTH_PATH}", process)
    return process


def wait_until_up(url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive:
            raise RuntimeError(f"{process.name} exited; see {process.log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not answer {url} within {timeout} s; see {process.log}")
