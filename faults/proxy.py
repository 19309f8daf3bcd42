"""HAProxy in front of the gunicorn nodes: health checks on the health path every second, and
retries of idempotent requests (on another node when a node is gone). Its log has one line per
request with the time of the answer in milliseconds, which places each 5xx relative to the fault."""

import re

from faults import config

TEMPLATE = """
global
    log stdout format raw local0 info
    maxconn 512

defaults
    mode http
    log global
    log-format "%Ts.%ms %Ta %ST %HM %b/%s %rc"
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    option redispatch 1
    retries 3
    retry-on conn-failure empty-response response-timeout 502 503 504

frontend heimveg
    bind {host}:{port}
    default_backend nodes

backend nodes
    balance roundrobin
    # Requests that change something are not sent twice by the proxy (only a refused
    # connection, when nothing reached the node, is tried again).
    http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS || { method PUT DELETE }
    option httpchk
    http-check send meth GET uri {health} hdr Host {host}
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
{servers}
"""

LINE = re.compile(r"^(\d+)\.(\d{3}) (-?\d+) (-?\d+) (\w+) (\S+) \+?(\d+)")


def write_config(path, ports):
    servers = "\n".join(f"    server node{i} {config.HOST}:{port} check" for i, port in enumerate(ports, 1))
    path.write_text(
        TEMPLATE.replace("{host}", config.HOST)
        .replace("{port}", str(config.PROXY_PORT))
        .replace("{health}", config.HEALTH_PATH)
        .replace("{servers}", servers)
    )
    return path


def answers(log):
    """(answer time, method, status, retries) of every request in HAProxy's log."""
    result = []
    for line in log.read_text(errors="replace").splitlines():
        match = LINE.match(line)
        if match:
            accepted = int(match.group(1)) + int(match.group(2)) / 1000
            active = max(int(match.group(3)), 0) / 1000
            result.append((accepted + active, match.group(5), int(match.group(4)), int(match.group(7))))
    return result
