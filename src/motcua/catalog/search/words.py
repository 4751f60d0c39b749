"""The words search compares: folded (no case, no diacritics, đ → d), with one more spelling
choice made for people: a final "y" after a consonant is written "i".

Vietnamese writes those syllables both ways ("lý"/"lí", "kỹ"/"kĩ", "bác sỹ"/"bác sĩ", "công
ty"/"công ti"), and phones type "dang ki" as often as "dang ky". "ay", "uy" and the like are
different syllables and keep their "y".
"""

from __future__ import annotations

import re

from motcua.core.text import fold

_FINAL_Y_AFTER_CONSONANT = re.compile(r"(?<=[bcdghklmnpqrstvx])y\b")


def search_words(text: str) -> list[str]:
    """``search_words("Đăng ký LÝ LỊCH") == ["dang", "ki", "li", "lich"]``."""
    return _FINAL_Y_AFTER_CONSONANT.sub("i", fold(text)).split()
