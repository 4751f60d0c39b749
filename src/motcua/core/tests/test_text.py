import pytest

from motcua.core.text import fold, words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Cấp giấy phép xây dựng", "cap giay phep xay dung"),
        ("ĐĂNG KÝ KHAI SINH", "dang ky khai sinh"),
        ("đường  bộ,  giao-thông", "duong bo giao thong"),
        ("Nghị định 118/2025/NĐ-CP", "nghi dinh 118 2025 nd cp"),
        ("", ""),
    ],
)
def test_fold_removes_diacritics_case_and_punctuation(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_handles_decomposed_input() -> None:
    decomposed = "Ho\u0302\u0323 ti\u0323ch"  # "Hộ tịch" typed with combining marks
    assert fold(decomposed) == "ho tich"


def test_words_splits_folded_text() -> None:
    assert words("Xin phép xây nhà!") == ["xin", "phep", "xay", "nha"]
