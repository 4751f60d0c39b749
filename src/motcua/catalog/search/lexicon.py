"""Everyday Vietnamese for procedure search: stop words, noise phrases and synonyms, as data.

People do not type the official names of procedures. They type what they want ("làm giấy khai
sinh cho con", "xin phép xây nhà", "sổ đỏ"), usually without diacritics. This module is the one
place that maps such wording to the words of the official names. Entries are written with
diacritics for the people who maintain them and folded once, at import.

- ``STOP_WORDS``: function words that carry no meaning of their own. They never decide whether a
  procedure matches, but still count when they sit next to matched words of a name.
- ``NOISE_PHRASES``: phrases of asking ("làm giấy", "thủ tục", "cho con") that say nothing about
  which procedure is wanted; treated like stop words.
- ``SYNONYMS``: an everyday phrase and the official wordings it stands for. The person's own words
  stay an alternative, so a synonym can only add matches, never hide one.
"""

from __future__ import annotations

from .words import search_words

# Folded words only: a word whose folded form is also a content word ("từ"/"tử", "sao" in "bản
# sao", "đang"/"đăng", "cái"/"cải", "thế"/"thẻ", "được"/"dược") must not be listed here.
STOP_WORDS_TEXT = """
    à ạ ai anh bé các cho có của cũng đã để em gì hay hỏi không là làm mà muốn nào này nhé như
    nhưng những ở ơi phải rồi tôi và vào với xin
"""

NOISE_PHRASES_TEXT = (
    "làm giấy",
    "làm thủ tục",
    "thủ tục",
    "hồ sơ",
    "cho con",
    "cho bé",
    "cho cháu",
    "ở đâu",
    "như thế nào",
    "thế nào",
    "làm sao",
    "bao nhiêu",
    "mất bao lâu",
    "cần gì",
    "cần những gì",
    "giấy tờ gì",
    "ở phường",
    "ở xã",
    "online",
    "trực tuyến",
)

# Everyday phrase -> official wordings. Keep the official side as it appears in procedure names.
SYNONYMS_TEXT: dict[str, tuple[str, ...]] = {
    # Hộ tịch (civil status)
    "giấy khai sinh": ("khai sinh",),
    "làm khai sinh": ("đăng ký khai sinh",),
    "giấy chứng tử": ("khai tử",),
    "báo tử": ("khai tử",),
    "chết": ("khai tử",),
    "mất": ("khai tử", "cấp lại"),
    "qua đời": ("khai tử",),
    "cưới": ("kết hôn",),
    "cưới vợ": ("kết hôn",),
    "lấy vợ": ("kết hôn",),
    "lấy chồng": ("kết hôn",),
    "đăng ký cưới": ("đăng ký kết hôn",),
    "giấy đăng ký kết hôn": ("đăng ký kết hôn",),
    "độc thân": ("xác nhận tình trạng hôn nhân",),
    "giấy độc thân": ("xác nhận tình trạng hôn nhân",),
    "xác nhận độc thân": ("xác nhận tình trạng hôn nhân",),
    "nhận con": ("nhận cha, mẹ, con",),
    "nhận cha": ("nhận cha, mẹ, con",),
    "con nuôi": ("nuôi con nuôi",),
    "giám hộ": ("đăng ký giám hộ",),
    "đổi tên": ("thay đổi, cải chính",),
    "sửa tên": ("thay đổi, cải chính",),
    "sửa khai sinh": ("thay đổi, cải chính",),
    "sai tên": ("thay đổi, cải chính",),
    "bản sao khai sinh": ("trích lục khai sinh", "bản sao trích lục hộ tịch"),
    # Tư pháp, chứng thực (justice, certification)
    "lý lịch": ("lý lịch tư pháp",),
    "công chứng": ("chứng thực",),
    "sao y": ("chứng thực bản sao",),
    "sao y bản chính": ("chứng thực bản sao từ bản chính",),
    "photo công chứng": ("chứng thực bản sao từ bản chính",),
    "hợp đồng mua bán": ("chứng thực hợp đồng",),
    # Xây dựng, đất đai (construction, land)
    "xây nhà": ("xây dựng nhà ở", "giấy phép xây dựng"),
    "sửa nhà": ("sửa chữa, cải tạo", "giấy phép xây dựng"),
    "giấy phép xây nhà": ("giấy phép xây dựng",),
    "sổ đỏ": ("giấy chứng nhận quyền sử dụng đất",),
    "sổ hồng": ("giấy chứng nhận quyền sử dụng đất", "quyền sở hữu nhà ở"),
    "bìa đỏ": ("giấy chứng nhận quyền sử dụng đất",),
    "sang tên": ("chuyển nhượng quyền sử dụng đất", "đăng ký biến động"),
    "sang tên sổ đỏ": ("chuyển nhượng quyền sử dụng đất", "đăng ký biến động"),
    "mua đất": ("đăng ký biến động", "chuyển nhượng"),
    "bán đất": ("đăng ký biến động", "chuyển nhượng"),
    "tách sổ": ("tách thửa",),
    "chuyển mục đích": ("chuyển mục đích sử dụng đất",),
    "lên thổ cư": ("chuyển mục đích sử dụng đất",),
    # Giao thông (transport)
    "bằng lái": ("giấy phép lái xe",),
    "bằng lái xe": ("giấy phép lái xe",),
    "đổi bằng lái": ("đổi giấy phép lái xe",),
    "gplx": ("giấy phép lái xe",),
    "bằng lái quốc tế": ("giấy phép lái xe quốc tế",),
    "biển số": ("đăng ký, biển số",),
    "đăng kiểm": ("kiểm định",),
    # Kinh doanh (business)
    "đăng ký kinh doanh": ("hộ kinh doanh", "thành lập công ty", "thành lập doanh nghiệp"),
    "giấy phép kinh doanh": ("hộ kinh doanh", "thành lập công ty", "thành lập doanh nghiệp"),
    "mở quán": ("hộ kinh doanh",),
    "mở cửa hàng": ("hộ kinh doanh",),
    "buôn bán": ("kinh doanh",),
    "mở công ty": ("thành lập công ty", "thành lập doanh nghiệp"),
    "công ty": ("doanh nghiệp",),
    "bán rượu": ("kinh doanh rượu", "bán lẻ rượu"),
    "bán thuốc lá": ("bán lẻ sản phẩm thuốc lá",),
    "vệ sinh an toàn thực phẩm": ("an toàn thực phẩm",),
    # Lao động, xã hội (labour, social)
    "thất nghiệp": ("trợ cấp thất nghiệp",),
    "tiền thất nghiệp": ("trợ cấp thất nghiệp",),
    "người khuyết tật": ("khuyết tật",),
    "mai táng": ("hỗ trợ chi phí mai táng", "trợ cấp mai táng"),
    "thẻ bảo hiểm": ("bảo hiểm y tế",),
    "bhyt": ("bảo hiểm y tế",),
    "bhxh": ("bảo hiểm xã hội",),
    "hộ khẩu": ("thường trú",),
    "cccd": ("căn cước",),
    # Giáo dục (education)
    "bằng tốt nghiệp": ("văn bằng", "bằng tốt nghiệp"),
    "bản sao bằng": ("bản sao văn bằng",),
    # Requests for a new copy
    "làm lại": ("cấp lại",),
    "xin lại": ("cấp lại",),
    "bị mất": ("cấp lại",),
    "đổi lại": ("cấp đổi",),
}


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(search_words(text))


STOP_WORDS: frozenset[str] = frozenset(search_words(STOP_WORDS_TEXT))
NOISE_PHRASES: frozenset[tuple[str, ...]] = frozenset(_phrase(p) for p in NOISE_PHRASES_TEXT)


def _folded_synonyms() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    table: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for everyday, official in SYNONYMS_TEXT.items():
        key = _phrase(everyday)
        # Folding merges words ("lý"/"lí", "sổ"/"số"), so entries may meet: keep every wording.
        merged = list(table.get(key, ()))
        for wording in official:
            phrase = _phrase(wording)
            if phrase != key and phrase not in merged:
                merged.append(phrase)
        table[key] = tuple(merged)
    return table


SYNONYMS: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = _folded_synonyms()
LONGEST_PHRASE: int = max(len(p) for p in (*NOISE_PHRASES, *SYNONYMS))
