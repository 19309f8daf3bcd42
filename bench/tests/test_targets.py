"""The arithmetic of `make bench`'s targets and of the national peak load (bench/targets.py,
bench/capacity.py), checked against figures worked out by hand."""

import pytest

from bench import capacity, targets


def test_page_bound_is_twice_the_raw_sql_plus_the_start_page():
    check = targets.PageCheck(server=0.0929, raw_sql=0.0143, start_page=0.010)
    assert check.bound == pytest.approx(0.0386)
    assert not check.met
    assert targets.verdict(check.met) == "MISS"


def test_a_page_at_its_bound_meets_it():
    assert targets.PageCheck(server=0.05, raw_sql=0.02, start_page=0.01).met
    assert not targets.PageCheck(server=0.0501, raw_sql=0.02, start_page=0.01).met


def test_throughput_ratio_and_share():
    assert targets.ThroughputCheck(page=32, raw_sql=64).ratio == pytest.approx(0.5)
    assert targets.ThroughputCheck(page=32, raw_sql=64).met
    assert not targets.ThroughputCheck(page=31.9, raw_sql=64).met
    assert targets.verdict(targets.ThroughputCheck(page=40, raw_sql=64).met) == "pass"


def test_errors_under_load_miss_the_throughput_target():
    assert not targets.ThroughputCheck(page=60, raw_sql=64, errors=1).met


def test_no_raw_throughput_is_no_ratio():
    assert targets.ThroughputCheck(page=10, raw_sql=0).ratio == 0


def test_national_peak_load_from_the_readme_assumptions():
    national = capacity.NATIONAL
    assert national.organisations == 376
    # 376 organisations × 8 users × 100 pages = 300,800 page views a working day of 8 hours:
    # 10.44 a second on average, 31.3 in the peak hour (× 3).
    assert national.pages_per_day == 300_800
    assert national.average_per_second == pytest.approx(10.444, abs=0.001)
    assert national.peak_per_second == pytest.approx(31.333, abs=0.001)


def test_other_assumptions_change_the_peak():
    small = capacity.Assumptions(
        municipalities=4,
        health_trusts=0,
        users_per_organisation=3,
        pages_per_user_per_day=1200,
        working_hours_per_day=1,
        peak_hour_factor=2,
    )
    assert small.peak_per_second == pytest.approx(4 * 3 * 1200 / 3600 * 2)


def test_headroom():
    assert capacity.headroom(62.6, 31.3) == pytest.approx(2.0)
    assert capacity.headroom(15, 31.3) < 1


def test_the_public_figures_page_has_an_absolute_bound_of_300_ms():
    assert targets.public_page_met(0.3)
    assert not targets.public_page_met(0.301)
