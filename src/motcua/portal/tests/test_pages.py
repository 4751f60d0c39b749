"""Portal pages are real pages in Vietnamese (English available), with strict headers."""

import pytest
from django.test import Client

from motcua.catalog.models import Procedure

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_with_search_popular_and_sectors(
    client: Client, birth: Procedure
) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Bạn cần làm thủ tục gì?" in html
    assert "Đăng ký khai sinh" in html
    assert "Hộ tịch" in html
    assert "Tra cứu hồ sơ" in html


def test_procedure_page_shows_what_a_citizen_needs(client: Client, birth: Procedure) -> None:
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "<h1>Đăng ký khai sinh</h1>" in html
    assert "1 ngày làm việc" in html
    assert "8.000 đ" in html
    assert "Tờ khai đăng ký khai sinh" in html
    assert "1 bản chính" in html
    assert "Ủy ban nhân dân xã An Bình" in html
    assert "Luật Hộ tịch 2014" in html
    assert "trực tuyến toàn trình" in html


def test_unknown_procedure_page_is_404(client: Client, birth: Procedure) -> None:
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_search_page_finds_without_diacritics(client: Client, birth: Procedure) -> None:
    html = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Tìm thấy 1 thủ tục." in html
    assert 'href="/thu-tuc/1.001193/"' in html


def test_search_page_with_htmx_returns_only_the_results_fragment(
    client: Client, birth: Procedure
) -> None:
    html = client.get("/thu-tuc/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html


def test_sector_page_lists_its_procedures(client: Client, birth: Procedure) -> None:
    html = client.get("/linh-vuc/HT/").content.decode()
    assert "<h1>Hộ tịch</h1>" in html
    assert "Đăng ký khai sinh" in html


def test_english_is_available(client: Client, birth: Procedure) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(client: Client, birth: Procedure) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"


def test_procedure_page_has_steps_places_and_the_apply_button(client: Client, world) -> None:
    html = client.get(f"/thu-tuc/{world.permit.code}/").content.decode()
    assert "kể từ khi nhận đủ hồ sơ hợp lệ" in html
    assert "15 ngày làm việc" in html
    assert "Thẩm định hồ sơ" in html
    assert "Chuyên viên, sở phụ trách lĩnh vực" in html
    assert world.desk_b.name in html
    assert f'href="/nop-ho-so/{world.permit.code}/"' in html
    assert "Nộp hồ sơ trực tuyến" in html
    assert 'href="/tra-cuu/"' in html


def test_no_apply_button_for_a_procedure_not_offered_online(client: Client, world) -> None:
    Procedure.objects.filter(pk=world.permit.pk).update(online="none")
    html = client.get(f"/thu-tuc/{world.permit.code}/").content.decode()
    assert "/nop-ho-so/" not in html
    assert "chưa nộp được trực tuyến" in html


def test_form_templates_download_under_the_forms_name(
    client: Client, birth: Procedure, settings, tmp_path
) -> None:
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    document = birth.required_documents.get()
    document.form_template.save("to khai.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))

    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert 'href="/thu-tuc/1.001193/mau/0/"' in html
    assert "Tải mẫu: Mẫu tờ khai" in html

    response = client.get("/thu-tuc/1.001193/mau/0/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="mau-to-khai.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert client.get("/thu-tuc/1.001193/mau/1/").status_code == 404


def test_a_document_without_a_template_has_no_download(client: Client, birth: Procedure) -> None:
    assert client.get("/thu-tuc/1.001193/mau/0/").status_code == 404
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Theo mẫu: Mẫu tờ khai" in html


def test_home_puts_the_procedures_people_file_first_and_says_how_to_track(
    client: Client, world
) -> None:
    from django.core.cache import cache

    from motcua.dossiers.services import ApplicantData, dossier_create

    cache.clear()
    Procedure.objects.filter(pk=world.birth.pk).update(popularity=100)
    dossier_create(
        actor=world.user("counter_a"),
        procedure=world.permit,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(type="citizen", full_name="Phan Văn Đức"),
    )
    html = client.get("/").content.decode()
    cache.clear()
    assert html.index("Cấp giấy phép xây dựng") < html.index("Đăng ký khai sinh")
    assert "Cách theo dõi hồ sơ của bạn" in html
    assert 'href="/tra-cuu/"' in html
    assert html.count('type="search"') == 1
