"""The days the date-dependent rules are tested on, one by one: every day of 2027 (its weekends,
Easter, 17 May, Ascension and Whitsun, Christmas and New Year's Eve) and the leap day 2028-02-29."""

import datetime

from dateutil.easter import easter

YEAR = 2027
LEAP_DAY = datetime.date(2028, 2, 29)


def every_day(year=YEAR):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        yield day
        day += datetime.timedelta(days=1)


EVERY_DAY = [*every_day(), LEAP_DAY]


def norwegian_public_holidays(year):
    """Norway's public holidays (helligdager and 1 and 17 May), worked out here from Easter apart
    from the `holidays` library the code uses. 24 and 31 December are ordinary working days."""
    e = easter(year)
    days = datetime.timedelta
    return {
        datetime.date(year, 1, 1),
        e - days(3),  # Maundy Thursday
        e - days(2),  # Good Friday
        e,  # Easter Sunday
        e + days(1),  # Easter Monday
        datetime.date(year, 5, 1),
        datetime.date(year, 5, 17),
        e + days(39),  # Ascension Day
        e + days(49),  # Whit Sunday
        e + days(50),  # Whit Monday
        datetime.date(year, 12, 25),
        datetime.date(year, 12, 26),
    }
