"""bench/profile_page.py --stages: the stages' own times add up to the whole, a nested stage is
taken out of the one around it, and outside the view everything counts as the middleware's."""

import importlib
import os


def load(monkeypatch):
    monkeypatch.setattr(os, "environ", os.environ.copy())  # the module sets defaults for its runs
    return importlib.import_module("bench.profile_page")


def test_stages_are_exclusive_and_add_up(monkeypatch):
    profile_page = load(monkeypatch)
    ticks = [0.0]
    monkeypatch.setattr(profile_page.time, "perf_counter", lambda: ticks[0])
    database, orm, templates, middleware, rest = profile_page.STAGES
    clock = profile_page.StageClock()

    class Request:
        """A request as Django's handler makes it, each step moving the clock by its own time."""

        def get_response(self):
            ticks[0] += 1  # the middleware's own work
            self.query(3)  # the session's query: before the view, so the middleware's
            self.view()
            ticks[0] += 1

        def view(self):
            ticks[0] += 2  # the view's own code
            self.render()

        def render(self):
            ticks[0] += 4  # the template's own time
            self.query(5)  # a query the template causes

        def query(self, building):
            ticks[0] += building  # building and compiling it
            clock.enter(database)
            ticks[0] += 6  # the database
            clock.leave()

    clock.wrap(Request, "get_response", middleware)
    clock.wrap(Request, "view", rest, view=True)
    clock.wrap(Request, "render", templates)
    clock.wrap(Request, "query", orm)

    Request().get_response()

    assert clock.totals == {database: 6, orm: 5, templates: 4, middleware: 1 + (3 + 6) + 1, rest: 2}
    assert sum(clock.totals.values()) == ticks[0]
