# One format per kind, everywhere (pages, e-mails, sync log, sandbox): see portier/lib/dates.py.
# "Mo, 30. Nov 2026", "09:00", "Mo, 30. Nov 2026, 09:00"; the short forms are the same.
DATE_FORMAT = SHORT_DATE_FORMAT = "D, j. M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "D, j. M Y, H:i"
MONTH_DAY_FORMAT = "D, j. M"
