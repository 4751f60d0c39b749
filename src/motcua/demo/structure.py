"""The demo province as data: Vĩnh Long in today's two-tier structure.

Everything here is pure (no database): it describes the agency tree that ``loader`` writes.

Electronic codes (mã định danh điện tử) follow the format of Decision 20/2020/QĐ-TTg — dot-separated
groups, the first a capital letter and two digits — but the values are **illustrative**, not the
codes the province really uses:

- ``H56``              Ủy ban nhân dân tỉnh Vĩnh Long (level ``province``)
- ``H56.1``            Trung tâm Phục vụ hành chính công tỉnh (service center)
- ``H56.2`` … ``H56.16`` provincial departments, the provincial police and social insurance
- ``H56.101`` …        one Ủy ban nhân dân per commune/ward, numbered in the order of the ward
                       codes of ``vietnam-provinces`` (124 of them: ``H56.101`` … ``H56.224``)
- ``H56.101.1`` …      the commune's one-stop desk (Bộ phận Một cửa), a service center
- ``H83``, ``H84``     the former provinces Bến Tre and Trà Vinh, inactive, merged into ``H56``
  on 1 July 2025; former codes of merged units point to the agency that took over their work.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import vietnam_provinces

from motcua.catalog.constants import LEVEL_COMMUNE, LEVEL_DEPARTMENT, LEVEL_PROVINCE

PROVINCE_ADMINISTRATIVE_CODE = 86
PROVINCE_CODE = "H56"
PROVINCE_NAME = "Ủy ban nhân dân tỉnh Vĩnh Long"
SERVICE_CENTER_CODE = "H56.1"
FIRST_COMMUNE_NUMBER = 101
MERGER_EFFECTIVE = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = dt.date(2025, 6, 30)
# Departments were merged (Sở Giao thông vận tải into Sở Xây dựng, …) on 1 March 2025.
LAST_DAY_BEFORE_DEPARTMENT_MERGER = dt.date(2025, 2, 28)


@dataclass(frozen=True)
class FormerCode:
    code: str
    name: str
    valid_to: dt.date
    note: str = ""


@dataclass(frozen=True)
class AgencySpec:
    """One agency of the demo tree; ``parent`` and ``merged_into`` are codes."""

    code: str
    name: str
    level: str
    parent: str | None
    short_name: str = ""
    is_service_center: bool = False
    administrative_code: str = ""
    address: str = ""
    is_active: bool = True
    merged_into: str | None = None
    former_codes: tuple[FormerCode, ...] = field(default=())


@dataclass(frozen=True)
class Department:
    number: int
    name: str
    short_name: str
    sectors: tuple[str, ...] = ()


# Provincial departments of the 2025 structure, plus the provincial police and social insurance
# (vertical agencies, placed under the province so that liên thông chains can reach them).
# ``sectors`` are the sector codes of ``data/catalogue/*.json`` whose state management the
# department holds (after the March 2025 mergers: people with meritorious services, labour and
# rewards went to Sở Nội vụ, social protection to Sở Y tế, business registration to Sở Tài chính,
# roads to Sở Xây dựng; since 2025 the police issue judicial record certificates and driving
# licences). They become ``workflow.SectorDepartment`` rows, which the ``sector_department`` rule
# of ``data/processes.json`` reads.
DEPARTMENTS: tuple[Department, ...] = (
    Department(2, "Văn phòng Ủy ban nhân dân tỉnh Vĩnh Long", "Văn phòng UBND tỉnh"),
    Department(3, "Sở Nội vụ tỉnh Vĩnh Long", "Sở Nội vụ", ("NCC", "LD", "TDKT")),
    Department(4, "Sở Tư pháp tỉnh Vĩnh Long", "Sở Tư pháp", ("HT", "CT", "NCN")),
    Department(5, "Sở Tài chính tỉnh Vĩnh Long", "Sở Tài chính", ("DN", "HKD")),
    Department(6, "Sở Xây dựng tỉnh Vĩnh Long", "Sở Xây dựng", ("XD", "DB")),
    Department(
        7,
        "Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long",
        "Sở Nông nghiệp và Môi trường",
        ("DD", "MT", "TNN"),
    ),
    Department(8, "Sở Công Thương tỉnh Vĩnh Long", "Sở Công Thương", ("CTH",)),
    Department(9, "Sở Y tế tỉnh Vĩnh Long", "Sở Y tế", ("YT", "DUOC", "BTXH")),
    Department(10, "Sở Giáo dục và Đào tạo tỉnh Vĩnh Long", "Sở Giáo dục và Đào tạo", ("GD",)),
    Department(
        11,
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Vĩnh Long",
        "Sở Văn hóa, Thể thao và Du lịch",
        ("VH",),
    ),
    Department(
        12, "Sở Khoa học và Công nghệ tỉnh Vĩnh Long", "Sở Khoa học và Công nghệ", ("KHCN",)
    ),
    Department(13, "Sở Dân tộc và Tôn giáo tỉnh Vĩnh Long", "Sở Dân tộc và Tôn giáo", ("TG",)),
    Department(14, "Thanh tra tỉnh Vĩnh Long", "Thanh tra tỉnh", ("KNTC",)),
    Department(15, "Công an tỉnh Vĩnh Long", "Công an tỉnh", ("LLTP", "CTR", "GPLX")),
    Department(16, "Bảo hiểm xã hội tỉnh Vĩnh Long", "Bảo hiểm xã hội tỉnh", ("BHYT",)),
)

# Where the provincial specialist and leader demo accounts work.
CONSTRUCTION_DEPARTMENT = 6

# Former codes of units merged into today's departments (1 March 2025).
DEPARTMENT_FORMER_CODES: dict[int, tuple[FormerCode, ...]] = {
    3: (
        FormerCode(
            "H56.32",
            "Sở Lao động - Thương binh và Xã hội tỉnh Vĩnh Long",
            LAST_DAY_BEFORE_DEPARTMENT_MERGER,
            "Hợp nhất vào Sở Nội vụ từ ngày 01/3/2025.",
        ),
    ),
    6: (
        FormerCode(
            "H56.30",
            "Sở Giao thông vận tải tỉnh Vĩnh Long",
            LAST_DAY_BEFORE_DEPARTMENT_MERGER,
            "Hợp nhất vào Sở Xây dựng từ ngày 01/3/2025.",
        ),
    ),
    7: (
        FormerCode(
            "H56.31",
            "Sở Tài nguyên và Môi trường tỉnh Vĩnh Long",
            LAST_DAY_BEFORE_DEPARTMENT_MERGER,
            "Hợp nhất với Sở Nông nghiệp và Phát triển nông thôn thành Sở Nông nghiệp và Môi trường từ ngày 01/3/2025.",
        ),
    ),
}

# Former district-level one-stop desks whose old dossiers are now looked up at a commune's desk
# (ward code of that commune → former codes).
COMMUNE_FORMER_CODES: dict[int, tuple[FormerCode, ...]] = {
    28789: (
        FormerCode(
            "H83.20",
            "Bộ phận Một cửa thành phố Bến Tre",
            LAST_DAY_BEFORE_MERGER,
            "Cấp huyện kết thúc hoạt động từ ngày 01/7/2025.",
        ),
    ),
    28870: (
        FormerCode(
            "H83.21",
            "Bộ phận Một cửa huyện Chợ Lách",
            LAST_DAY_BEFORE_MERGER,
            "Cấp huyện kết thúc hoạt động từ ngày 01/7/2025.",
        ),
    ),
    29110: (
        FormerCode(
            "H83.25",
            "Bộ phận Một cửa huyện Ba Tri",
            LAST_DAY_BEFORE_MERGER,
            "Cấp huyện kết thúc hoạt động từ ngày 01/7/2025.",
        ),
    ),
    29242: (
        FormerCode(
            "H84.20",
            "Bộ phận Một cửa thành phố Trà Vinh",
            LAST_DAY_BEFORE_MERGER,
            "Cấp huyện kết thúc hoạt động từ ngày 01/7/2025.",
        ),
    ),
    29551: (
        FormerCode(
            "H56.40",
            "Bộ phận Một cửa thành phố Vĩnh Long",
            LAST_DAY_BEFORE_MERGER,
            "Cấp huyện kết thúc hoạt động từ ngày 01/7/2025.",
        ),
    ),
}

SERVICE_CENTER_FORMER_CODES: tuple[FormerCode, ...] = (
    FormerCode(
        "H83.1",
        "Trung tâm Phục vụ hành chính công tỉnh Bến Tre",
        LAST_DAY_BEFORE_MERGER,
        "Tỉnh Bến Tre hợp nhất vào tỉnh Vĩnh Long từ ngày 01/7/2025.",
    ),
    FormerCode(
        "H84.1",
        "Trung tâm Phục vụ hành chính công tỉnh Trà Vinh",
        LAST_DAY_BEFORE_MERGER,
        "Tỉnh Trà Vinh hợp nhất vào tỉnh Vĩnh Long từ ngày 01/7/2025.",
    ),
)


@dataclass(frozen=True)
class Commune:
    """A commune or ward of the province (from ``vietnam-provinces``) and its two agencies."""

    ward_code: int
    name: str  # "Phường Phú Khương"
    number: int  # 101, 102, …

    @property
    def administrative_code(self) -> str:
        return f"{self.ward_code:05d}"

    @property
    def lower_name(self) -> str:
        """The name as it reads after a noun: "phường Phú Khương" ("Ủy ban nhân dân …")."""
        kind, _, proper = self.name.partition(" ")
        if kind == "Đặc" and proper.startswith("khu "):
            return "đặc khu " + proper.removeprefix("khu ")
        return f"{kind.lower()} {proper}"

    @property
    def agency_code(self) -> str:
        return f"{PROVINCE_CODE}.{self.number}"

    @property
    def service_center_code(self) -> str:
        return f"{self.agency_code}.1"


@functools.cache
def communes() -> tuple[Commune, ...]:
    """The province's communes and wards, sorted by ward code, with their demo numbers."""
    wards = sorted(
        (
            w
            for w in vietnam_provinces.Ward.iter_all()
            if int(w.province_code) == PROVINCE_ADMINISTRATIVE_CODE
        ),
        key=lambda w: int(w.code),
    )
    return tuple(
        Commune(int(w.code), w.name, FIRST_COMMUNE_NUMBER + i) for i, w in enumerate(wards)
    )


def department_code(number: int) -> str:
    return f"{PROVINCE_CODE}.{number}"


def first_commune() -> Commune:
    """The commune with the lowest ward code: where the commune demo accounts work."""
    return communes()[0]


def sector_departments() -> dict[str, str]:
    """Sector code → code of the provincial department that manages it."""
    return {sector: department_code(d.number) for d in DEPARTMENTS for sector in d.sectors}


def agency_specs() -> list[AgencySpec]:
    """Every demo agency, parents before children, in a stable order."""
    specs = [
        AgencySpec(
            PROVINCE_CODE,
            PROVINCE_NAME,
            LEVEL_PROVINCE,
            None,
            short_name="UBND tỉnh Vĩnh Long",
            administrative_code=str(PROVINCE_ADMINISTRATIVE_CODE),
        ),
        AgencySpec(
            SERVICE_CENTER_CODE,
            "Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long",
            LEVEL_DEPARTMENT,
            PROVINCE_CODE,
            short_name="Trung tâm Phục vụ hành chính công",
            is_service_center=True,
            former_codes=SERVICE_CENTER_FORMER_CODES,
        ),
    ]
    specs += [
        AgencySpec(
            department_code(d.number),
            d.name,
            LEVEL_DEPARTMENT,
            PROVINCE_CODE,
            short_name=d.short_name,
            former_codes=DEPARTMENT_FORMER_CODES.get(d.number, ()),
        )
        for d in DEPARTMENTS
    ]
    for commune in communes():
        address = f"{commune.name}, tỉnh Vĩnh Long"
        specs.append(
            AgencySpec(
                commune.agency_code,
                f"Ủy ban nhân dân {commune.lower_name}",
                LEVEL_COMMUNE,
                PROVINCE_CODE,
                short_name=f"UBND {commune.lower_name}",
                administrative_code=commune.administrative_code,
                address=address,
            )
        )
        specs.append(
            AgencySpec(
                commune.service_center_code,
                f"Bộ phận Một cửa {commune.lower_name}",
                LEVEL_COMMUNE,
                commune.agency_code,
                short_name=f"Một cửa {commune.lower_name}",
                is_service_center=True,
                administrative_code=commune.administrative_code,
                address=address,
                former_codes=COMMUNE_FORMER_CODES.get(commune.ward_code, ()),
            )
        )
    # The provinces merged into Vĩnh Long on 1 July 2025: kept, inactive, so that dossiers filed
    # under their codes stay findable and lead to the agency that carries the work today.
    specs += [
        AgencySpec(
            "H83",
            "Ủy ban nhân dân tỉnh Bến Tre",
            LEVEL_PROVINCE,
            None,
            short_name="UBND tỉnh Bến Tre (cũ)",
            administrative_code="83",
            is_active=False,
            merged_into=PROVINCE_CODE,
        ),
        AgencySpec(
            "H84",
            "Ủy ban nhân dân tỉnh Trà Vinh",
            LEVEL_PROVINCE,
            None,
            short_name="UBND tỉnh Trà Vinh (cũ)",
            administrative_code="84",
            is_active=False,
            merged_into=PROVINCE_CODE,
        ),
    ]
    return specs
