"""The English catalogue is complete, keeps every placeholder, and is what English pages show."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from asgiref.local import Local
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from motcua.core.formatting import duration

EN_PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"

# Python %-style named placeholders, as gettext's python-format understands them: %(name)s,
# %(n)d, %(x)-5.2f … ("%%" is a literal percent sign, not a placeholder).
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def _forget_loaded_translations() -> None:
    """What Django does when it sees a .mo change (trans_real.translation_file_changed)."""
    gettext._translations.clear()  # type: ignore[attr-defined]
    # Private module globals of Django, which the type stubs do not declare.
    vars(trans_real).update(_translations={}, _default=None, _active=Local())


@pytest.fixture(scope="module")
def english_catalog() -> Catalog:
    with EN_PO.open("rb") as po_file:
        return read_po(po_file, locale="en")


@pytest.fixture(scope="module")
def compiled() -> Iterator[None]:
    """`make test` compiles the catalogues first; do it here too, so plain `pytest` works."""
    call_command("compile_translations", verbosity=0)
    _forget_loaded_translations()
    yield
    _forget_loaded_translations()


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _pairs(message: Message) -> list[tuple[str, str]]:
    """(source, translation) for every form: plural forms pair msgid_plural with each msgstr[n]
    except msgstr[0], which translates the singular msgid."""
    if isinstance(message.id, str):
        assert isinstance(message.string, str)
        return [(message.id, message.string)]
    singular, plural = message.id
    forms = _forms(message)
    return [(singular if n == 0 else plural, form) for n, form in enumerate(forms)]


def _forms(message: Message) -> tuple[str, ...]:
    assert isinstance(message.string, tuple | list), _where(message)
    return tuple(message.string)


def _where(message: Message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations) or "?"


def test_english_header_is_proper(english_catalog: Catalog) -> None:
    assert english_catalog.fuzzy is False
    assert str(english_catalog.locale) == "en"
    assert english_catalog.num_plurals == 2
    assert english_catalog.plural_expr.replace(" ", "") in {"(n!=1)", "n!=1"}
    assert english_catalog.charset.lower() == "utf-8"


def test_every_english_message_is_translated_and_not_fuzzy(english_catalog: Catalog) -> None:
    messages = _messages(english_catalog)
    assert len(messages) > 300
    untranslated = [_where(m) for m in messages if not all(form.strip() for _, form in _pairs(m))]
    fuzzy = [_where(m) for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_english_plurals_have_both_forms(english_catalog: Catalog) -> None:
    plurals = [m for m in _messages(english_catalog) if m.pluralizable]
    assert plurals
    for message in plurals:
        assert len(_forms(message)) == 2, _where(message)


def test_english_messages_keep_every_placeholder(english_catalog: Catalog) -> None:
    wrong = [
        (_where(m), source, target)
        for m in _messages(english_catalog)
        for source, target in _pairs(m)
        if placeholders(source) != placeholders(target)
    ]
    assert wrong == []


def test_english_messages_keep_surrounding_whitespace(english_catalog: Catalog) -> None:
    wrong = [
        (_where(m), source, target)
        for m in _messages(english_catalog)
        for source, target in _pairs(m)
        if (source[: len(source) - len(source.lstrip())], source[len(source.rstrip()) :])
        != (target[: len(target) - len(target.lstrip())], target[len(target.rstrip()) :])
    ]
    assert wrong == []


def test_compiled_english_catalogue_is_used(compiled: None) -> None:
    with translation.override("en"):
        assert translation.gettext("Bạn cần làm thủ tục gì?") == "Which procedure do you need?"
        assert duration(1, "working_days") == "1 working day"
        assert duration(3, "working_days") == "3 working days"
    with translation.override("vi"):
        assert duration(3, "working_days") == "3 ngày làm việc"


@pytest.mark.django_db
def test_home_page_is_english_after_choosing_english(compiled: None, client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Which procedure do you need?" in html
    assert "Online public services" in html
    assert "Track a dossier" in html
    assert "Bạn cần làm thủ tục gì?" not in html


@pytest.mark.django_db
def test_home_page_is_vietnamese_by_default(compiled: None, client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Bạn cần làm thủ tục gì?" in html
    assert "Which procedure do you need?" not in html
