"""The performance targets of `make bench`, as ratios measured in the same run (issue 18, item 7).

An absolute figure (requests per second) says as much about the machine as about Heimveg; a ratio
to a floor measured on the same machine, in the same run, says how much Heimveg adds:

- a page's server time is at most PAGE_FACTOR × the page's own SQL replayed raw, plus the server
  time of the signed-in start page (what every page behind sign-in pays: session, user,
  memberships, the frame);
- the worklist's throughput under load is at least THROUGHPUT_SHARE of the throughput of its own
  SQL replayed raw by as many concurrent database clients as the load has connections.

One bound is absolute, because issue 20 sets it so: the public delivery figures' national page
(/info/figures/, no sign-in) within PUBLIC_PAGE_SECONDS on the ten-year data set.
"""

from dataclasses import dataclass

PAGE_FACTOR = 2.0
THROUGHPUT_SHARE = 0.5
PUBLIC_PAGE_SECONDS = 0.3


@dataclass(frozen=True)
class PageCheck:
    server: float  # seconds, median
    raw_sql: float  # seconds, median
    start_page: float  # seconds, median: the signed-in start page's server time

    @property
    def bound(self):
        return PAGE_FACTOR * self.raw_sql + self.start_page

    @property
    def met(self):
        return self.server <= self.bound


@dataclass(frozen=True)
class ThroughputCheck:
    page: float  # requests per second through gunicorn (wrk)
    raw_sql: float  # page loads per second of the page's SQL replayed raw
    errors: int = 0  # non-2xx answers under load

    @property
    def ratio(self):
        return self.page / self.raw_sql if self.raw_sql else 0.0

    @property
    def met(self):
        return self.ratio >= THROUGHPUT_SHARE and not self.errors


def public_page_met(server: float) -> bool:
    """The public figures' page: its median server time within PUBLIC_PAGE_SECONDS."""
    return server <= PUBLIC_PAGE_SECONDS


def verdict(met):
    return "pass" if met else "MISS"
