"""Date and time formats of motcua's pages, per language (``FORMAT_MODULE_PATH``).

One convention everywhere a person reads a time: the time, then the day, as the slips and the
appointment of the receipt write it ("09:00 26/11/2026"). Templates use
``|date:"SHORT_DATETIME_FORMAT"`` and ``|date:"SHORT_DATE_FORMAT"``, never a literal format.
"""
