"""Formats of motcua's pages (see ``motcua.formats``): Vietnamese conventions in both languages,
since the dates are those of Vietnamese administrative documents."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
