"""The day loop: one seeded generator drives humans then bots, one day at a time.

Everything is driven by one :class:`random.Random`, so a given
:class:`~footfall.demo.spec.DemoSpec` always produces the same events; the
order in which the parts below draw from it is part of the output, so it must
not change.  Memory holds one day of events at a time, whatever the period.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Iterator
from operator import itemgetter

from footfall.demo.bots import BotTraffic
from footfall.demo.clients import ClientAddresses
from footfall.demo.day_log import DAY, DayLog, Event
from footfall.demo.humans import HumanTraffic
from footfall.demo.spec import DemoSpec

_by_second = itemgetter(0)


def iter_days(spec: DemoSpec) -> Iterator[tuple[dt.date, list[Event]]]:
    """Each day with its events sorted by second (all within the day).

    Sessions that run past midnight are carried into the next day's batch; whatever
    would spill past the last day is dropped (like a log rotated at midnight).
    """
    rng = random.Random(spec.seed)
    addresses = ClientAddresses(rng)
    humans = HumanTraffic(spec, rng, addresses)
    bots = BotTraffic(spec, rng, addresses)
    carry: list[Event] = []
    one_day = dt.timedelta(days=1)
    day = spec.start
    for index in range(spec.days):
        log = DayLog(day, spec)
        humans.simulate_day(index, day, log)
        bots.simulate_day(log)
        events = log.events
        events.extend(carry)
        events.sort(key=_by_second)
        cut = bisect(events, DAY - 1, key=_by_second)
        carry = [(t - DAY, k, line) for t, k, line in events[cut:]]
        del events[cut:]
        yield day, events
        day += one_day
