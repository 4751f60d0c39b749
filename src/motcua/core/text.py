"""Vietnamese text folding shared by search, lookups and codes.

``fold("Giấy phép Xây dựng") == "giay phep xay dung"``. ``đ``/``Đ`` have no Unicode
decomposition, so they are mapped explicitly.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Lower-case, remove diacritics and collapse everything but letters and digits to spaces."""
    return _NON_WORD.sub(" ", strip_diacritics(text).lower()).strip()


def words(text: str) -> list[str]:
    return fold(text).split()
