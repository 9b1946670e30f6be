"""Times as the demo generator handles them: plain timestamps, turned into Beijing time."""
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

SHANGHAI = dt_timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991
DAY, HOUR = 86400.0, 3600.0


def dt(ts):
    return None if ts is None else datetime.fromtimestamp(ts, SHANGHAI)
