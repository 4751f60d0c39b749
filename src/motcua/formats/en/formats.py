"""Formats of motcua's pages in English: the Vietnamese ones (see ``motcua.formats``), since the
dates are those of Vietnamese administrative documents."""

from motcua.formats.vi.formats import SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT

__all__ = ["SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT"]
