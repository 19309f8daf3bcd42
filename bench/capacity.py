"""The national peak load Heimveg must carry, estimated from stated assumptions (the README's
"Capacity" section states and explains them; change them there and here together).

Every organisation that works on the pathway (each municipality and each health trust) has some
users, each opens some pages a working day, and the busiest hour carries a multiple of an average
working hour's share. The load is counted in page views (requests for HTML pages; static files are
served by whitenoise or the proxy and are not counted)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Assumptions:
    municipalities: int = 356
    health_trusts: int = 20
    users_per_organisation: int = 8
    pages_per_user_per_day: int = 100
    working_hours_per_day: float = 8.0
    peak_hour_factor: float = 3.0

    @property
    def organisations(self):
        return self.municipalities + self.health_trusts

    @property
    def pages_per_day(self):
        return self.organisations * self.users_per_organisation * self.pages_per_user_per_day

    @property
    def average_per_second(self):
        """Page views per second over the working day."""
        return self.pages_per_day / (self.working_hours_per_day * 3600)

    @property
    def peak_per_second(self):
        """Page views per second in the busiest hour."""
        return self.average_per_second * self.peak_hour_factor


NATIONAL = Assumptions()


def headroom(measured_per_second, peak_per_second):
    """How many times the national peak the measured rate carries (above 1: enough)."""
    return measured_per_second / peak_per_second if peak_per_second else float("inf")
