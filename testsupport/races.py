"""Two requests at once, for the race tests: each call runs in its own thread, so on its own
database connection, and the threads are released together by a barrier. What each call read
before the race (a point, an enrolment) is read before `race` is called, as two requests that
loaded the same page would have.

A race test module is transactional (each thread commits for real), and transactional tests end
by flushing every table, the national directory with them; `national_directory` loads it again:

    pytest_plugins = ["testsupport.browser"]  # national_directory
    pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]
"""

import threading
import time

from django.db import connection
from django.utils import translation

TIMEOUT = 60


def race(*calls):
    """Run `calls` at once, one thread each, and return what each returned or raised (the
    exception object), in the order of `calls`. Each thread closes its connection at its end."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    language = translation.get_language()  # as the caller's: a thread starts with the default

    def run(index, call):
        try:
            translation.activate(language)
            barrier.wait(TIMEOUT)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the loser's answer is what the test checks
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a call of the race never finished (a deadlock?)"
    return results


def wait_for(event, seconds):
    """Wait until `event` is set or `seconds` have passed; True if it was set. Short sleeps
    rather than `event.wait(seconds)`: a timed wait that has to time out never does under
    libfaketime (the suite's faketime runs), while sleeping does."""
    deadline = time.monotonic() + seconds
    while not event.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    return event.is_set()


def winner_and_loser(results):
    """The one result that is not an exception and the one that is; fails unless there is
    exactly one of each."""
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, f"expected one winner and one loser, got {results!r}"
    return won[0], lost[0]
