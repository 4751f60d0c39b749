"""Convert and check every value of a ``CatalogueData`` before anything is written.

All problems are collected (field by field, then across rows: duplicates, references, cycles)
and raised together as one ``CatalogueImportError``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from .data import CatalogueData, CatalogueImportError, Entry, RowError
from .layout import (
    AGENCIES,
    CHILDREN_OF,
    FEES,
    FORMER_CODES,
    LEVELS,
    PROCEDURES,
    REQUIRED_DOCUMENTS,
    SECTIONS_BY_NAME,
    SECTORS,
    Field,
    Section,
    sorted_codes,
)

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "x", "có", "co", "đúng", "dung"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "không", "khong", "sai"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIST_SPLIT = re.compile(r"[;,\n]")
_validate_email = EmailValidator()


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class KnownRows:
    """What the database already holds, for references that point outside the file."""

    levels: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    procedures: frozenset[str] = frozenset()
    agency_parents: dict[str, str | None] = field(default_factory=dict)
    agency_mergers: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Clean:
    """A record whose values are converted: ``values`` holds the keys the file gave (and, for
    fees and required documents, defaults for the others)."""

    entry: Entry
    values: dict[str, Any]
    ok: bool = True

    @property
    def code(self) -> str | None:
        code = self.values.get("code")
        return code if isinstance(code, str) else None


@dataclass
class ValidCatalogue:
    """The checked catalogue. ``fee_lists``/``document_lists`` map a procedure code to its complete
    new list; procedures not in them keep their lists."""

    levels: list[Clean]
    agencies: list[Clean]
    former_codes: list[Clean]
    sectors: list[Clean]
    procedures: list[Clean]
    fee_lists: dict[str, list[Clean]]
    document_lists: dict[str, list[Clean]]


# Values ----------------------------------------------------------------------------------------


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _as_text(raw: object, typed: bool) -> str:
    if isinstance(raw, str):
        return raw
    if not typed and isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    if not typed and isinstance(raw, float):
        raise _Invalid(
            _("Ô này phải nhập dạng văn bản (Text): Excel đã đổi nó thành số %(value)s.")
            % {"value": raw}
        )
    raise _Invalid(_("Phải là chuỗi ký tự."))


def _as_list(raw: object, typed: bool) -> list[str]:
    if typed or isinstance(raw, list):
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise _Invalid(_("Phải là một danh sách chuỗi ký tự."))
        items = [item.strip() for item in raw]
    else:
        items = [item.strip() for item in LIST_SPLIT.split(_as_text(raw, typed))]
    return list(dict.fromkeys(item for item in items if item))


def _as_int(raw: object, typed: bool) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if not typed and isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if not typed and isinstance(raw, str) and raw.strip().isdigit() and raw.strip().isascii():
        return int(raw.strip())
    raise _Invalid(_("Phải là số nguyên không âm, chỉ gồm chữ số (ví dụ 50000)."))


def _as_bool(raw: object, typed: bool) -> bool:
    if isinstance(raw, bool):
        return raw
    if not typed:
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Invalid(_("Phải là true hoặc false."))


def _as_date(raw: object, typed: bool) -> dt.date:
    if not typed and isinstance(raw, dt.datetime):
        return raw.date()
    if not typed and isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and ISO_DATE.match(raw.strip()):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise _Invalid(_("Ngày phải theo dạng YYYY-MM-DD (ví dụ 2025-06-30)."))


def _check_choice(value: str, spec: Field) -> str:
    if value not in spec.choices:
        raise _Invalid(
            _("Giá trị «%(value)s» không hợp lệ; chọn một trong: %(choices)s.")
            % {"value": value, "choices": ", ".join(spec.choices)}
        )
    return value


def _check_length(value: str, spec: Field) -> str:
    if spec.max_length is not None and len(value) > spec.max_length:
        raise _Invalid(
            _("Dài quá %(max)s ký tự (hiện có %(length)s).")
            % {"max": spec.max_length, "length": len(value)}
        )
    return value


def _pattern_message(section: Section, spec: Field) -> str:
    if spec.key == "code" and section in (AGENCIES, FORMER_CODES):
        return _(
            "Mã định danh gồm các nhóm cách nhau bởi dấu chấm, nhóm đầu là một chữ in hoa và hai chữ số (ví dụ H56.12)."
        )
    if section is PROCEDURES:
        return _("Mã thủ tục chỉ gồm chữ không dấu, chữ số và các dấu . - _ (ví dụ 1.001193).")
    if section is LEVELS:
        return _("Mã cấp chỉ gồm chữ không dấu, chữ số, dấu - và _.")
    return _("Mã không được chứa khoảng trắng.")


def convert(section: Section, spec: Field, raw: object, typed: bool) -> Any:
    """The value of ``spec`` from a raw file value; raises ``_Invalid`` with a message for people."""
    if _blank(raw) and not (typed and isinstance(raw, list)):
        if spec.required:
            raise _Invalid(_("Không được để trống."))
        return list(spec.default) if isinstance(spec.default, tuple) else spec.default
    kind = spec.kind
    if kind == "text":
        return _check_length(_as_text(raw, typed), spec)
    if kind in ("code", "ref", "choice", "email"):
        value = _as_text(raw, typed).strip()
        if kind == "choice":
            return _check_choice(value if typed else value.lower(), spec)
        if kind == "email":
            try:
                _validate_email(value)
            except DjangoValidationError:
                raise _Invalid(_("Địa chỉ thư điện tử không hợp lệ.")) from None
        if kind == "code" and spec.regex is not None and not spec.regex.match(value):
            raise _Invalid(_pattern_message(section, spec))
        return _check_length(value, spec)
    if kind == "int":
        number = _as_int(raw, typed)
        maximum = spec.maximum
        if number < spec.minimum or (maximum is not None and number > maximum):
            raise _Invalid(
                _("Phải là số nguyên từ %(min)s đến %(max)s.")
                % {"min": spec.minimum, "max": maximum}
            )
        return number
    if kind == "bool":
        return _as_bool(raw, typed)
    if kind == "date":
        return _as_date(raw, typed)
    if kind == "choices":
        items = _as_list(raw, typed)
        return [_check_choice(item if typed else item.lower(), spec) for item in items]
    if kind == "refs":
        return sorted_codes(_as_list(raw, typed))
    raise AssertionError(kind)  # pragma: no cover


def _clean(
    entry: Entry, section: Section, errors: list[RowError], *, whole: bool, owner: str | None = None
) -> Clean:
    """Convert the entry's values. ``whole`` records take defaults for absent keys (list items);
    other records keep only what the file gives. ``owner`` is the owner's code for nested rows."""
    clean = Clean(entry=entry, values={})
    for spec in section.fields:
        if owner is not None and spec.key == section.owner_key:
            clean.values[spec.key] = owner
            continue
        if spec.key not in entry.values:
            if spec.required:
                errors.append(entry.error(spec.key, _("Thiếu trường bắt buộc.")))
                clean.ok = False
            elif whole:
                clean.values[spec.key] = (
                    list(spec.default) if isinstance(spec.default, tuple) else spec.default
                )
            continue
        try:
            clean.values[spec.key] = convert(section, spec, entry.values[spec.key], entry.typed)
        except _Invalid as exc:
            errors.append(entry.error(spec.key, exc.message))
            clean.ok = False
    return clean


# The whole file --------------------------------------------------------------------------------


def validate_catalogue(data: CatalogueData, known: KnownRows) -> ValidCatalogue:
    """Check everything; raise ``CatalogueImportError`` with every problem, or return the clean
    catalogue ready to be compared with the database."""
    errors: list[RowError] = list(data.problems)
    levels = [_clean(e, LEVELS, errors, whole=False) for e in data.levels]
    sectors = [_clean(e, SECTORS, errors, whole=False) for e in data.sectors]
    agencies = [_clean(e, AGENCIES, errors, whole=False) for e in data.agencies]
    procedures = [_clean(e, PROCEDURES, errors, whole=False) for e in data.procedures]

    children = _clean_children(data, agencies, procedures, errors)
    former_codes = children["former_codes"]
    fee_lists, document_lists = _lists(children, procedures, data)

    for cleans in (levels, sectors, agencies, procedures):
        _check_duplicates(cleans, errors, key=lambda c: c.code, label="code")
    _check_duplicates(
        former_codes,
        errors,
        key=lambda c: (
            (c.code, c.values.get("valid_to")) if c.code and "valid_to" in c.values else None
        ),
        label="code",
    )

    codes = {
        "levels": known.levels | {c.code for c in levels if c.code},
        "agencies": known.agencies | {c.code for c in agencies if c.code},
        "sectors": known.sectors | {c.code for c in sectors if c.code},
        "procedures": known.procedures | {c.code for c in procedures if c.code},
    }
    for section, cleans in (
        (AGENCIES, agencies),
        (FORMER_CODES, former_codes),
        (PROCEDURES, procedures),
        (FEES, [c for items in fee_lists.values() for c in items]),
        (REQUIRED_DOCUMENTS, [c for items in document_lists.values() for c in items]),
    ):
        _check_references(section, cleans, codes, errors)
    _check_agency_links(agencies, known, errors)
    for former in former_codes:
        start, end = former.values.get("valid_from"), former.values.get("valid_to")
        if start is not None and end is not None and start > end:
            errors.append(former.entry.error("valid_from", _("Phải trước hoặc bằng valid_to.")))

    if errors:
        raise CatalogueImportError(_in_file_order(errors, data))
    return ValidCatalogue(
        levels=levels,
        agencies=agencies,
        former_codes=former_codes,
        sectors=sectors,
        procedures=procedures,
        fee_lists=fee_lists,
        document_lists=document_lists,
    )


def _clean_children(
    data: CatalogueData, agencies: list[Clean], procedures: list[Clean], errors: list[RowError]
) -> dict[str, list[Clean]]:
    """Every child row, cleaned; nested rows are tagged ``_owner_index`` with their owner's index
    in the file so complete lists can be built even for an owner whose own code is invalid."""
    result: dict[str, list[Clean]] = {"former_codes": [], "fees": [], "required_documents": []}
    for owners, owner_section in ((agencies, "agencies"), (procedures, "procedures")):
        for owner in owners:
            for child_name in CHILDREN_OF[owner_section]:
                section = SECTIONS_BY_NAME[child_name]
                for child in owner.entry.children.get(child_name, []):
                    clean = _clean(
                        child,
                        section,
                        errors,
                        whole=child_name != "former_codes",
                        owner=owner.code or "",
                    )
                    result[child_name].append(clean)
    for child_name in result:
        section = SECTIONS_BY_NAME[child_name]
        for entry in data.section(child_name):
            result[child_name].append(
                _clean(entry, section, errors, whole=child_name != "former_codes")
            )
    return result


def _lists(
    children: dict[str, list[Clean]], procedures: list[Clean], data: CatalogueData
) -> tuple[dict[str, list[Clean]], dict[str, list[Clean]]]:
    """Complete fee and document lists by procedure code: the nested list of every procedure
    that has one in the file, plus stand-alone rows grouped by the procedure they name."""
    result: list[dict[str, list[Clean]]] = []
    for child_name in ("fees", "required_documents"):
        lists: dict[str, list[Clean]] = {}
        for procedure in procedures:
            if procedure.code and child_name in procedure.entry.children:
                lists.setdefault(procedure.code, [])
        for clean in children[child_name]:
            owner = clean.values.get("procedure")
            if isinstance(owner, str) and owner:
                lists.setdefault(owner, []).append(clean)
        result.append(lists)
    return result[0], result[1]


def _check_duplicates(
    cleans: Iterable[Clean], errors: list[RowError], *, key: Any, label: str
) -> None:
    first: dict[Any, Clean] = {}
    for clean in cleans:
        value = key(clean)
        if value is None:
            continue
        if value in first:
            earlier = first[value].entry
            errors.append(
                clean.entry.error(
                    label,
                    _("Mã «%(code)s» trùng với %(where)s dòng %(row)s.")
                    % {"code": clean.code, "where": earlier.where, "row": earlier.row},
                )
            )
        else:
            first[value] = clean


def _unknown_message(target: str, codes: list[str]) -> str:
    templates = {
        "levels": _("Không có cấp «%(codes)s» trong tệp hay trong cơ sở dữ liệu."),
        "agencies": _("Không có cơ quan «%(codes)s» trong tệp hay trong cơ sở dữ liệu."),
        "sectors": _("Không có lĩnh vực «%(codes)s» trong tệp hay trong cơ sở dữ liệu."),
        "procedures": _("Không có thủ tục «%(codes)s» trong tệp hay trong cơ sở dữ liệu."),
    }
    return templates[target] % {"codes": ", ".join(codes)}


def _check_references(
    section: Section, cleans: list[Clean], codes: dict[str, frozenset[str]], errors: list[RowError]
) -> None:
    for spec in section.fields:
        if spec.kind not in ("ref", "refs") or spec.target is None:
            continue
        for clean in cleans:
            value = clean.values.get(spec.key)
            wanted = (
                value
                if isinstance(value, list)
                else [value]
                if isinstance(value, str) and value
                else []
            )
            missing = [code for code in wanted if code not in codes[spec.target]]
            if missing:
                errors.append(clean.entry.error(spec.key, _unknown_message(spec.target, missing)))


def _check_agency_links(agencies: list[Clean], known: KnownRows, errors: list[RowError]) -> None:
    """An agency is not its own parent or merger target, and the final tree has no cycle."""
    for key, known_links, self_message, cycle_message in (
        (
            "parent",
            known.agency_parents,
            _("Cơ quan không thể là cấp trên của chính nó."),
            _("Quan hệ cấp trên tạo thành vòng lặp: %(chain)s."),
        ),
        (
            "merged_into",
            known.agency_mergers,
            _("Cơ quan không thể sáp nhập vào chính nó."),
            _("Quan hệ sáp nhập tạo thành vòng lặp: %(chain)s."),
        ),
    ):
        links = dict(known_links)
        rows: dict[str, Clean] = {}
        for clean in agencies:
            if clean.code and key in clean.values and clean.code not in rows:
                rows[clean.code] = clean
                links[clean.code] = clean.values[key]
        reported: set[str] = set()
        for code, clean in rows.items():
            if links.get(code) == code:
                errors.append(clean.entry.error(key, self_message))
                reported.add(code)
                continue
            chain = [code]
            current = links.get(code)
            while current is not None and current not in chain and current not in reported:
                chain.append(current)
                current = links.get(current)
            if current is None or current in reported:
                continue
            cycle = [*chain[chain.index(current) :], current]
            for member in cycle[:-1]:
                if member in rows and member not in reported:
                    reported.add(member)
                    errors.append(
                        rows[member].entry.error(key, cycle_message % {"chain": " → ".join(cycle)})
                    )


def _in_file_order(errors: list[RowError], data: CatalogueData) -> list[RowError]:
    """Errors of the file as a whole first, then by section or sheet in the file's order, then by
    row; errors of one row keep the order of the fields."""
    order = {place: index for index, place in enumerate([data.source, *data.places])}
    return sorted(
        errors, key=lambda e: (order.get(e.section, len(order)), e.row, *_field_rank(e.field))
    )


_FIELD_ORDER = {
    key: index
    for index, key in enumerate(dict.fromkeys(k for s in SECTIONS_BY_NAME.values() for k in s.keys))
}
_NESTED = re.compile(r"^[a-z_]+\[(\d+)\]\.")


def _field_rank(label: str) -> tuple[int, int]:
    """Own fields in the format's order, then nested list items in their order."""
    nested = _NESTED.match(label)
    key = label[nested.end() :] if nested else label
    key = key.replace("processing_time.", "processing_time_")
    return (int(nested.group(1)) if nested else 0, _FIELD_ORDER.get(key, len(_FIELD_ORDER)))
