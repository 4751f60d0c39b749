"""Procedure search: words, typos, everyday phrasing, ranking, freshness and the API.

The engine tests build a ``SearchIndex`` from plain documents (no database); the others go
through the database, the store that keeps the index fresh, and the HTTP API.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from motcua.catalog import services
from motcua.catalog.models import Procedure
from motcua.catalog.search import (
    Document,
    SearchIndex,
    explain_search,
    get_search_index,
    invalidate_search_index,
    search_procedure_ids,
    store,
)
from motcua.catalog.search.engine import within_one_edit
from motcua.catalog.search.query import analyse
from motcua.catalog.search.words import search_words
from motcua.catalog.services import procedure_refresh_search_text
from motcua.catalog.tests.factories import ProcedureFactory, SectorFactory

BIRTH = Document(
    1, "1.001193", "Đăng ký khai sinh", "làm giấy khai sinh, khai sinh cho con", "Hộ tịch", 100
)
BIRTH_ABROAD = Document(2, "1.001695", "Đăng ký khai sinh có yếu tố nước ngoài", "", "Hộ tịch", 10)
MARRIAGE = Document(3, "1.000894", "Đăng ký kết hôn", "", "Hộ tịch", 80)
DEATH = Document(4, "1.000656", "Đăng ký khai tử", "", "Hộ tịch", 30)
PERMIT = Document(5, "1.009994", "Cấp giấy phép xây dựng", "xin phép xây nhà", "Xây dựng", 60)
PERMIT_RENEWAL = Document(6, "1.009995", "Gia hạn giấy phép xây dựng", "", "Xây dựng", 5)
COPY = Document(
    7, "2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "sao y", "Chứng thực", 90
)
RECORD = Document(8, "2.001417", "Cấp phiếu lý lịch tư pháp", "", "Lý lịch tư pháp", 70)
LAND = Document(
    9, "1.004227", "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "", "Đất đai", 40
)
LICENCE = Document(
    10, "1.002809", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "", "Đường bộ", 50
)
BUSINESS = Document(
    11, "2.000720", "Đăng ký thành lập hộ kinh doanh", "mở quán", "Hộ kinh doanh", 45
)

CATALOGUE = [
    BIRTH,
    BIRTH_ABROAD,
    MARRIAGE,
    DEATH,
    PERMIT,
    PERMIT_RENEWAL,
    COPY,
    RECORD,
    LAND,
    LICENCE,
    BUSINESS,
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(CATALOGUE)


def codes(index: SearchIndex, query: str, **kwargs: Any) -> list[str]:
    return [hit.code for hit in index.search(query, **kwargs)]


# --- Words and typos ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("giay", "giay", True),
        ("giay", "giai", True),  # substitution
        ("giay", "gaiy", True),  # neighbours swapped
        ("giay", "giayy", True),  # a letter too many
        ("giay", "gay", True),  # a letter missing
        ("giay", "gyai", False),  # two edits
        ("abcd", "bcda", False),  # shares a deletion, but two edits apart
        ("sinh", "sing", True),
        ("khai", "khoai", True),
        ("khai", "kho", False),
    ],
)
def test_within_one_edit(a: str, b: str, expected: bool) -> None:
    assert within_one_edit(a, b) is expected
    assert within_one_edit(b, a) is expected


def test_search_words_fold_and_write_a_final_y_after_a_consonant_as_i() -> None:
    assert search_words("Đăng ký LÝ LỊCH, bác sỹ, công ty") == [
        "dang",
        "ki",
        "li",
        "lich",
        "bac",
        "si",
        "cong",
        "ti",
    ]
    # Other syllables keep their "y".
    assert search_words("máy bay, thủy sản, y tế") == ["may", "bay", "thuy", "san", "y", "te"]


def test_variants_one_typo_only_from_four_letters(index: SearchIndex) -> None:
    # A word of the catalogue stands for itself: its neighbours ("gia", "giao") are other words.
    assert index.variants("giay") == {"giay": 1.0}
    assert "giay" in index.variants("giya")
    assert "giay" in index.variants("gaiy")
    assert "khai" in index.variants("kkhai")
    # "xat" is one edit from "xay", but three-letter words are too close to each other to guess.
    assert index.variants("xat") == {}


def test_variants_complete_the_last_word_being_typed(index: SearchIndex) -> None:
    assert set(index.variants("kh", prefix=True)) == {"khai"}
    assert index.variants("kh") == {}
    assert index.variants("sinh", prefix=True)["sinh"] == 1.0


def test_a_last_word_that_is_a_word_may_still_be_the_start_of_another() -> None:
    index = SearchIndex(
        [
            Document(
                1, "1", "Đăng ký khai thác nước dưới đất", "đăng ký khai thác nước ngầm", "", 70
            ),
            Document(
                2, "2", "Đăng ký khai sinh", "khai sinh cho con, đăng ký giấy khai sinh", "", 1000
            ),
            Document(3, "3", "Thăm viếng mộ liệt sĩ"),
        ]
    )
    # "si" is a word ("liệt sĩ"), but here the start of "sinh"; so is a lone "s".
    assert codes(index, "dang ky khai si") == ["2", "1"]
    assert codes(index, "dang ky khai s") == ["2", "1"]


def test_curated_wording_is_matched_exactly(index: SearchIndex) -> None:
    assert index.variants("giya", fuzzy=False) == {}


# --- Understanding the query ------------------------------------------------------------------


def test_noise_and_stop_words_become_optional() -> None:
    slots = analyse("Làm giấy khai sinh cho con")
    assert [(s.text, s.optional) for s in slots] == [
        ("lam", True),
        ("giay", True),
        ("khai", False),
        ("sinh", False),
        ("cho", True),
        ("con", True),
    ]


def test_everyday_phrase_keeps_the_own_words_and_adds_official_ones() -> None:
    (slot,) = [s for s in analyse("xin phép xây nhà") if s.text == "xay nha"]
    assert [p.words for p in slot.phrases] == [
        ("xay", "nha"),
        ("xay", "dung", "nha", "o"),
        ("giay", "phep", "xay", "dung"),
    ]
    assert [p.fuzzy for p in slot.phrases] == [True, False, False]


def test_a_query_of_only_asking_words_still_searches() -> None:
    assert [s.optional for s in analyse("thủ tục")] == [False, False]


def test_only_the_last_plain_word_is_a_prefix() -> None:
    assert [s.prefix for s in analyse("giay phep xay d")] == [False, False, False, True]


# --- Matching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("giay phep xay dung", PERMIT),
        ("GIẤY PHÉP XÂY DỰNG", PERMIT),
        ("giấy phép xây dựng", PERMIT),
        ("dang ky khai sinh", BIRTH),
        ("đăng ký kết hôn", MARRIAGE),
        ("dang ky ket hon", MARRIAGE),
        ("chung thuc ban sao", COPY),
        ("ly lich tu phap", RECORD),
        # One typo per word.
        ("giay phep xay dnug", PERMIT),
        ("gaiy phep xay dung", PERMIT),
        ("dang ky khai sinhh", BIRTH),
        ("dang ki ket hon", MARRIAGE),
        # "i" and "y" at the end of a syllable are the same letter.
        ("dang ki khai sinh", BIRTH),
        ("li lich tu phap", RECORD),
        # The last word still being typed.
        ("giay phep xay d", PERMIT),
        ("ly lich tu ph", RECORD),
        ("dang ky ket h", MARRIAGE),
        # Words run together.
        ("khaisinh", BIRTH),
        # Everyday words.
        ("làm giấy khai sinh cho con", BIRTH),
        ("xin phép xây nhà", PERMIT),
        ("cuoi vo", MARRIAGE),
        ("bao tu", DEATH),
        ("so do", LAND),
        ("bang lai xe", LICENCE),
        ("sao y", COPY),
        ("cong chung giay to", COPY),
        ("xin ly lich", RECORD),
        ("mo quan an", BUSINESS),
        ("dang ky kinh doanh", BUSINESS),
    ],
)
def test_finds_the_procedure_first(index: SearchIndex, query: str, expected: Document) -> None:
    assert codes(index, query)[0] == expected.code


def test_procedure_code_typed_in_full_comes_first(index: SearchIndex) -> None:
    assert codes(index, "1.000656")[0] == DEATH.code
    assert codes(index, " 1.000656 ", allowed_ids={BIRTH.id}) == []


def test_unrelated_procedures_are_left_out(index: SearchIndex) -> None:
    assert codes(index, "giay phep xay dung") == [PERMIT.code, PERMIT_RENEWAL.code]
    assert codes(index, "ket hon") == [MARRIAGE.code]


def test_nothing_for_empty_or_unknown_words(index: SearchIndex) -> None:
    assert codes(index, "") == []
    assert codes(index, "  ,;  ") == []
    assert codes(index, "qwzx") == []


def test_an_unknown_word_does_not_hide_the_others(index: SearchIndex) -> None:
    assert codes(index, "ket hon qwzx")[0] == MARRIAGE.code


def test_allowed_ids_and_limit(index: SearchIndex) -> None:
    assert codes(index, "khai sinh", allowed_ids={BIRTH_ABROAD.id, MARRIAGE.id}) == [
        BIRTH_ABROAD.code
    ]
    assert codes(index, "dang ky", limit=2) == codes(index, "dang ky")[:2]


# --- Ranking ------------------------------------------------------------------------------------


def test_name_beats_keywords_beats_sector() -> None:
    index = SearchIndex(
        [
            Document(1, "3", "Thủ tục khác", "", "Nuôi con nuôi"),
            Document(2, "2", "Thủ tục khác nữa", "nuôi con nuôi", ""),
            Document(3, "1", "Đăng ký nuôi con nuôi trong nước", "", ""),
        ]
    )
    assert codes(index, "nuoi con nuoi") == ["1", "2", "3"]


def test_a_catalogue_word_is_not_taken_for_a_typo_of_another() -> None:
    index = SearchIndex([Document(1, "1", "Cấp giấy phép"), Document(2, "2", "Cấp giấy phéo")])
    assert codes(index, "giay phep") == ["1"]
    assert codes(index, "giay pheep") == ["1"]


def test_completing_the_last_word_beats_a_typo() -> None:
    index = SearchIndex(
        [Document(1, "2", "Khai thác than"), Document(2, "1", "Cấp giấy phép thông tin")]
    )
    assert codes(index, "thon") == ["1", "2"]


def test_words_next_to_each_other_in_the_name_rank_higher() -> None:
    index = SearchIndex(
        [
            Document(1, "1", "Xác nhận nhà ở xây dựng trước"),
            Document(2, "2", "Xác nhận xây dựng nhà ở trước"),
        ]
    )
    assert codes(index, "xay dung nha o") == ["2", "1"]


def test_the_name_the_query_accounts_for_best_comes_first(index: SearchIndex) -> None:
    assert codes(index, "dang ky khai sinh")[:2] == [BIRTH.code, BIRTH_ABROAD.code]


def test_popularity_never_beats_matching_more_of_the_query() -> None:
    index = SearchIndex(
        [
            Document(1, "1", "Cấp giấy phép lái xe", popularity=10_000),
            Document(2, "2", "Cấp giấy phép lái xe ô tô", popularity=0),
        ]
    )
    assert codes(index, "giay phep lai xe o to") == ["2", "1"]


def test_among_equal_matches_the_common_procedure_comes_first_then_the_code() -> None:
    index = SearchIndex(
        [
            Document(1, "3", "Cấp giấy phép", popularity=0),
            Document(2, "2", "Cấp giấy phép", popularity=0),
            # A longer name, but what people ask for: "giay phep" means this one.
            Document(3, "1", "Cấp giấy phép xây dựng nhà ở", popularity=10_000),
            Document(4, "4", "Cấp giấy phép", popularity=5),
        ]
    )
    assert codes(index, "giay phep") == ["1", "4", "2", "3"]


def test_same_order_whatever_order_the_documents_come_in() -> None:
    forward = SearchIndex(CATALOGUE)
    backward = SearchIndex(reversed(CATALOGUE))
    for query in ("dang ky", "cap giay", "giay phep xay dung", "khai", "ho tich"):
        assert forward.search(query) == backward.search(query)


# --- Through the database ---------------------------------------------------------------------


@pytest.fixture
def civil(db: None) -> dict[str, Procedure]:
    sector = SectorFactory(code="HT", name="Hộ tịch")
    return {
        "birth": ProcedureFactory(
            code="1.001193", name="Đăng ký khai sinh", sector=sector, popularity=100
        ),
        "marriage": ProcedureFactory(
            code="1.000894", name="Đăng ký kết hôn", sector=sector, popularity=80
        ),
        "death": ProcedureFactory(code="1.000656", name="Đăng ký khai tử", sector=sector),
    }


def test_search_procedure_ids_ranks_active_procedures(civil: dict[str, Procedure]) -> None:
    ProcedureFactory(name="Đăng ký khai sinh lưu động", inactive=True)
    assert search_procedure_ids("dang ky khai sinh") == [civil["birth"].pk]
    assert search_procedure_ids("dang ky", limit=2) == [civil["birth"].pk, civil["marriage"].pk]
    assert search_procedure_ids("dang ky", allowed_ids={civil["death"].pk}) == [civil["death"].pk]
    assert search_procedure_ids("   ") == []


def test_a_renamed_procedure_is_found_by_its_new_name_at_once(civil: dict[str, Procedure]) -> None:
    assert search_procedure_ids("khai tu") == [civil["death"].pk]
    death = civil["death"]
    death.name = "Đăng ký khai tử lưu động"
    death.save()
    assert search_procedure_ids("khai tu luu dong") == [death.pk]
    assert search_procedure_ids("luu dong") == [death.pk]


def test_added_deactivated_and_deleted_procedures_are_seen_at_once(
    civil: dict[str, Procedure],
) -> None:
    assert search_procedure_ids("nuoi con nuoi") == []
    adoption = ProcedureFactory(name="Đăng ký nuôi con nuôi trong nước")
    assert search_procedure_ids("nuoi con nuoi") == [adoption.pk]
    adoption.is_active = False
    adoption.save()
    assert search_procedure_ids("nuoi con nuoi") == []
    civil["marriage"].delete()
    assert search_procedure_ids("ket hon") == []


def test_a_renamed_sector_is_seen_once_search_texts_are_refreshed(
    civil: dict[str, Procedure],
) -> None:
    assert search_procedure_ids("chung thuc") == []
    sector = civil["birth"].sector
    sector.name = "Hộ tịch, chứng thực"
    sector.save()
    for procedure in civil.values():
        procedure.refresh_from_db()
        procedure_refresh_search_text(procedure=procedure)
    assert set(search_procedure_ids("chung thuc")) == {p.pk for p in civil.values()}


def test_a_refreshed_search_text_is_seen_by_other_processes_too(
    civil: dict[str, Procedure], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's index is not invalidated by this one: it must see the change in the
    catalogue fingerprint (here, this process's invalidation is switched off to stand for it)."""
    monkeypatch.setattr(services, "invalidate_search_index", lambda: None)
    assert search_procedure_ids("chung thuc") == []
    sector = civil["birth"].sector
    sector.name = "Hộ tịch, chứng thực"
    sector.save()
    birth = civil["birth"]
    birth.refresh_from_db()
    procedure_refresh_search_text(procedure=birth)
    # The index is rebuilt from the database, sector names and all.
    assert set(search_procedure_ids("chung thuc")) == {p.pk for p in civil.values()}


def test_writes_that_bypass_save_are_seen_after_invalidation(civil: dict[str, Procedure]) -> None:
    assert search_procedure_ids("ket hon") == [civil["marriage"].pk]
    Procedure.objects.filter(pk=civil["marriage"].pk).update(keywords="cưới vợ, lấy chồng")
    invalidate_search_index()
    assert search_procedure_ids("lay chong") == [civil["marriage"].pk]


def test_the_index_is_reused_while_the_catalogue_is_unchanged(civil: dict[str, Procedure]) -> None:
    first = get_search_index()
    assert get_search_index() is first
    ProcedureFactory(name="Đăng ký giám hộ")
    assert get_search_index() is not first


def test_explain_search_shows_slots_and_score_parts(civil: dict[str, Procedure]) -> None:
    explained = explain_search("lam giay khai sinh")
    assert [s["text"] for s in explained["slots"]] == ["lam", "giay", "khai", "sinh"]
    assert explained["hits"][0]["code"] == "1.001193"
    assert explained["hits"][0]["coverage"] == 1.0


# --- Concurrency (the store without a database) ----------------------------------------------


class FakeCatalogue:
    """The store's database reads replaced by a list, counting the index builds."""

    def __init__(self) -> None:
        self.version = 1
        self.documents = [BIRTH, MARRIAGE]
        self.builds = 0
        # Holds the first build back so that the other threads pile up behind it.
        self.gate = threading.Event()

    def fingerprint(self) -> tuple[object, ...]:
        return (self.version,)

    def load(self) -> list[Document]:
        self.gate.wait(5)
        self.builds += 1
        return list(self.documents)


@pytest.fixture
def fake_catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCatalogue]:
    fake = FakeCatalogue()
    monkeypatch.setattr(store, "catalogue_fingerprint", fake.fingerprint)
    monkeypatch.setattr(store, "load_documents", fake.load)
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())
    invalidate_search_index()
    yield fake
    invalidate_search_index()


def test_concurrent_searches_share_one_rebuild(fake_catalogue: FakeCatalogue) -> None:
    results: list[list[int]] = []

    def search() -> None:
        results.append(search_procedure_ids("ket hon"))

    threads = [threading.Thread(target=search) for _ in range(8)]
    for thread in threads:
        thread.start()
    fake_catalogue.gate.set()
    for thread in threads:
        thread.join(10)
    assert results == [[MARRIAGE.id]] * 8
    assert fake_catalogue.builds == 1

    fake_catalogue.documents = [BIRTH, DEATH]
    fake_catalogue.version = 2
    assert search_procedure_ids("ket hon") == []
    assert search_procedure_ids("khai tu") == [DEATH.id]
    assert fake_catalogue.builds == 2


# --- Through the HTTP API -----------------------------------------------------------------------


@pytest.fixture
def building(db: None) -> dict[str, Procedure]:
    sector = SectorFactory(code="XD", name="Xây dựng")
    other = SectorFactory(code="HT", name="Hộ tịch")
    names = {
        "new": "Cấp giấy phép xây dựng",
        "renew": "Gia hạn giấy phép xây dựng",
        "adjust": "Điều chỉnh giấy phép xây dựng",
        "relocate": "Cấp giấy phép di dời công trình",
    }
    made = {key: ProcedureFactory(name=name, sector=sector) for key, name in names.items()}
    made["birth"] = ProcedureFactory(name="Đăng ký khai sinh", sector=other)
    return made


def test_api_ranks_by_relevance(
    client: Client, building: dict[str, Procedure], django_assert_max_num_queries: Any
) -> None:
    get_search_index()  # built outside the counted requests, like in a warm process
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/procedures/?q=giay%20phep%20xay%20dung").json()
    assert [p["name"] for p in body["results"]] == [
        "Cấp giấy phép xây dựng",
        "Gia hạn giấy phép xây dựng",
        "Điều chỉnh giấy phép xây dựng",
        # "xây dựng" only as its sector: found, but last.
        "Cấp giấy phép di dời công trình",
    ]
    assert body["count"] == 4


def test_api_paginates_ranked_results(client: Client, building: dict[str, Procedure]) -> None:
    first = client.get("/api/v1/procedures/", {"q": "giay phep", "page_size": 2}).json()
    second = client.get("/api/v1/procedures/", {"q": "giay phep", "page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] == 4
    names = [p["name"] for p in first["results"] + second["results"]]
    assert names[0] == "Cấp giấy phép xây dựng"
    assert sorted(names) == sorted(p.name for k, p in building.items() if k != "birth")


def test_api_search_respects_filters(client: Client, building: dict[str, Procedure]) -> None:
    body = client.get("/api/v1/procedures/", {"q": "dang ky khai sinh", "sector": "XD"}).json()
    assert body["results"] == []
    body = client.get("/api/v1/procedures/", {"q": "dang ky khai sinh", "sector": "HT"}).json()
    assert [p["name"] for p in body["results"]] == ["Đăng ký khai sinh"]
