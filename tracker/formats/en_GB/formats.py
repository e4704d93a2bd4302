"""Dates as the Court writes them ("16 March 2022"), wherever Django formats a date for display (the admin's lists)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
