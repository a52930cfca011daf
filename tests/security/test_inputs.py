"""What an attacker tried, each answered: bad input gets a clear refusal, never a 500 or a leak.

Control characters in addresses, an impossible date in the workspace, formulas in
spreadsheets, uploads that are not documents, stored pages answering any host,
TRACE and OPTIONS; and the headers every page carries.
"""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bscb.core.models import Organisation
from bscb.core.roles import BOARD_MEMBERS
from bscb.reports.editions import period_publish
from bscb.reports.search import search_editions
from funding.models import Contribution
from reviews.models import CaseReview, LearningMaterial
from subgroups.models import Action, ActionPlan
from tests.admin_forms import form_data

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(1+1)", "\t=1+1"]


@pytest.fixture
def published(year):
    """A published period with its edition stored: its pages are answered before any view."""
    period_publish(period=year, accept_missing=True)
    return year


# Control characters in the address.


@pytest.mark.parametrize("query", ["q=%00", "q=nul%00byte", "q=%1b%5b31m", "q=%7f", "q%00=x"])
def test_control_characters_in_the_search_are_refused(client, year, query):
    response = client.get(f"/search/?{query}")
    assert response.status_code == 400
    assert b"control characters" in response.content


def test_a_nul_in_the_address_of_a_stored_page_is_refused(client, published):
    assert client.get("/2018-19/%00/").status_code == 400


def test_a_session_cookie_with_a_nul_is_ignored(client, year):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"  # sent as "abcdefgh\000ijklmnop"
    assert client.get("/themes/").status_code == 200


def test_search_itself_ignores_control_characters(published):
    # PostgreSQL refuses NUL in a query: the search drops control characters itself too.
    assert search_editions("\x00") == []
    assert search_editions("2018\x00") == search_editions("2018")


def test_a_plain_search_still_answers(client, published):
    response = client.get("/search/?q=2018")
    assert response.status_code == 200 and b"2018/19" in response.content


# The workspace's dates.


@pytest.fixture
def chair_client(exploitation, django_user_model):
    chair = django_user_model.objects.create_user("cara")
    exploitation.chairs.add(chair)
    client = Client()
    client.force_login(chair)
    return client


@pytest.fixture
def action(exploitation):
    plan = ActionPlan.objects.create(group=exploitation, title="Work plan")
    return Action.objects.create(plan=plan, description="Map hotspots", lead="Police")


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "4", "9" * 20, "Start date: the year must have 4 numbers, like 2020."),
        ("1", "4", "20190", "Start date: the year must have 4 numbers, like 2020."),
        ("9" * 20, "4", "2019", "Start date must be a real date, like 31 3 2020."),
        ("1", "9" * 20, "2019", "Start date must be a real date, like 31 3 2020."),
        ("30", "2", "2019", "Start date must be a real date, like 31 3 2020."),
        ("1", "4", "0000", "Start date must be a real date, like 31 3 2020."),
    ],
)
def test_a_date_that_cannot_exist_gets_a_message_beside_the_field(
    chair_client, action, day, month, year, message
):
    url = reverse("workspace:action_edit", args=[action.pk])
    data = form_data(chair_client.get(url).content.decode())
    data.update({"starts_on_0": day, "starts_on_1": month, "starts_on_2": year})
    response = chair_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    # Beside the field: in the error message of the start date's own group.
    group = re.search(r'<div id="div_id_starts_on".*?</fieldset>', html, re.S).group(0)
    error = re.search(r'class="govuk-error-message">(.*?)</span>\s*<div', group, re.S).group(1)
    assert message in error
    saved = Action.objects.get(pk=action.pk)
    assert saved.starts_on is None and saved.version == action.version


def test_a_real_date_is_saved(chair_client, action):
    url = reverse("workspace:action_edit", args=[action.pk])
    data = form_data(chair_client.get(url).content.decode())
    data.update({"starts_on_0": "1", "starts_on_1": "4", "starts_on_2": "2019"})
    assert chair_client.post(url, data).status_code == 302
    assert Action.objects.get(pk=action.pk).starts_on == datetime.date(2019, 4, 1)


# Formulas in spreadsheets.


@pytest.fixture
def formula_partners(year):
    for i, name in enumerate(FORMULAS):
        organisation = Organisation.objects.create(name=name)
        Contribution.objects.create(period=year, organisation=organisation, amount=Decimal(i + 1))
    Contribution.objects.create(
        period=year, organisation=Organisation.objects.create(name="Police"), amount=Decimal("5")
    )


def cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


def test_open_data_csv_never_starts_a_cell_with_a_formula(client, formula_partners):
    response = client.get(reverse("dataset_csv", args=["2018-19", "funding"]))
    assert response.status_code == 200
    written = cells(response.content)
    for name in FORMULAS:
        assert name not in written
        assert f"'{name}" in written or f"'{name.replace('|', chr(92) + '|')}" in written
    assert "Police" in written


def admin_export(client, model_admin_url: str, format_title: str) -> bytes:
    page = client.get(model_admin_url)
    data = form_data(page.content.decode())
    choices = {
        label.strip().lower(): value
        for value, label in re.findall(
            r'<option value="(\d+)"[^>]*>([^<]+)</option>', page.content.decode()
        )
    }
    data["format"] = choices[format_title]
    response = client.post(model_admin_url, data)
    assert response.status_code == 200, response.status_code
    return b"".join(response) if response.streaming else response.content


def test_the_back_office_csv_export_never_starts_a_cell_with_a_formula(
    client, support_officer, formula_partners
):
    client.force_login(support_officer)
    written = cells(admin_export(client, reverse("admin:funding_contribution_export"), "csv"))
    for name in FORMULAS:
        assert name not in written
    assert {"'+1+2", "'-2+3", "'@SUM(1+1)"} <= set(written)
    assert {"Police", "5.00"} <= set(written)  # plain cells are written as they are


def test_the_back_office_excel_export_holds_no_formula(client, support_officer, formula_partners):
    from openpyxl import load_workbook

    client.force_login(support_officer)
    content = admin_export(client, reverse("admin:funding_contribution_export"), "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    kinds = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in kinds.values()
    assert not any(str(value).startswith("=") for value in kinds)


# Uploaded learning files.


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    stream = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Learning"
    book.save(stream)
    return stream.getvalue()


def odt_bytes() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored first and uncompressed, as the OpenDocument standard asks
        archive.writestr("content.xml", "<office:document-content/>")
    return stream.getvalue()


def upload(client, name: str, content: bytes, **fields):
    url = reverse("admin:reviews_learningmaterial_add")
    data = form_data(client.get(url).content.decode())
    data.update({"title": "Night-time handover", "kind": "briefing", **fields})
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(url, data)


@pytest.mark.parametrize(
    ("name", "content"),
    [("briefing.pdf", pdf_bytes()), ("figures.xlsx", xlsx_bytes()), ("pack.odt", odt_bytes())],
)
def test_a_document_is_stored_outside_the_web_root(
    client, support_officer, settings, name, content
):
    client.force_login(support_officer)
    assert upload(client, name, content).status_code == 302
    material = LearningMaterial.objects.get()
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / material.file.name
    assert stored.read_bytes() == content
    assert not any(Path(settings.MEDIA_ROOT).rglob(name.split(".")[0] + "*"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("briefing.pdf", b"<html><script>alert(1)</script></html>", "this file is none of these"),
        ("briefing.html", b"<html><script>alert(1)</script></html>", "this file is none of these"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "none of these"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "this file is none of these"),
        ("tool.exe", b"MZ" + b"\x00" * 64, "this file is none of these"),
        ("briefing.pdf", xlsx_bytes(), "The file&#x27;s name ends .pdf but it holds a .xlsx file"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_an_upload_that_is_not_a_document_is_refused(
    client, support_officer, name, content, message
):
    client.force_login(support_officer)
    response = upload(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LearningMaterial.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, support_officer, settings):
    settings.LEARNING_FILE_MAX_BYTES = 1024
    client.force_login(support_officer)
    response = upload(client, "big.pdf", pdf_bytes() + b"%" * 2000)
    assert response.status_code == 200
    assert "upload a file of 1.0\xa0KB at most" in response.content.decode()
    assert not LearningMaterial.objects.exists()


@pytest.fixture
def review_with_file(year):
    review = CaseReview.objects.create(
        pseudonym="Family T",
        kind=CaseReview.Kind.PRACTICE_REVIEW,
        panel_notified_on=datetime.date(2018, 6, 1),
        signed_off_on=datetime.date(2018, 12, 1),
    )
    material = LearningMaterial(
        title="Learning brief",
        kind=LearningMaterial.Kind.BRIEFING,
        review=review,
        published_on=datetime.date(2019, 1, 10),
    )
    material.file.save("brief.pdf", SimpleUploadedFile("brief.pdf", pdf_bytes()))
    return review, material


def test_the_report_links_a_published_file_to_its_download(client, review_with_file):
    _review, material = review_with_file
    page = client.get(reverse("section", args=["2018-19", "case-reviews"])).content.decode()
    download = reverse("learning_file", args=[material.pk])
    assert f'href="{download}"' in page and "/media/" not in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_a_file_of_a_review_held_back_later_is_gone_even_from_an_old_page(client, review_with_file):
    review, material = review_with_file
    old_page = client.get(reverse("section", args=["2018-19", "case-reviews"])).content.decode()
    download = reverse("learning_file", args=[material.pk])
    assert download in old_page
    CaseReview.objects.filter(pk=review.pk).update(is_embargoed=True, embargo_reason="a trial")
    assert client.get(download).status_code == 404


def test_an_unpublished_file_is_for_staff_only(client, review_with_file, support_officer):
    _review, material = review_with_file
    LearningMaterial.objects.filter(pk=material.pk).update(published_on=None)
    download = reverse("learning_file", args=[material.pk])
    assert client.get(download).status_code == 404
    chair = get_user_model().objects.create_user("cara")
    client.force_login(chair)
    assert client.get(download).status_code == 404
    member = get_user_model().objects.create_user("bea", is_staff=True)
    member.groups.add(AuthGroup.objects.get(name=BOARD_MEMBERS))
    client.force_login(member)
    assert client.get(download).status_code == 200
    client.force_login(support_officer)
    assert client.get(download).status_code == 200


def test_nothing_is_served_under_media(client, review_with_file):
    _review, material = review_with_file
    assert client.get(f"/media/{material.file.name}").status_code == 404


# Hosts and methods, stored pages included.


def test_a_stored_page_refuses_an_unknown_host(client, published):
    assert client.get("/2018-19/").status_code == 200
    assert client.get("/2018-19/", HTTP_HOST="evil.example").status_code == 400


def test_a_live_page_refuses_an_unknown_host(client, year):
    assert client.get("/themes/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND"])
@pytest.mark.parametrize("path", ["/2018-19/", "/themes/", "/search/?q=x"])
def test_methods_the_site_does_not_offer_get_405_without_the_page(client, published, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert b"<html" not in response.content.lower()


# Headers.


def test_every_page_denies_the_browser_features_it_does_not_use(client, published):
    for path in ("/", "/2018-19/", "/themes/", "/accounts/login/"):
        policy = client.get(path)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy, (path, policy)


def test_public_pages_may_be_cached_briefly(client, published, settings):
    for path in ("/", "/2018-19/", "/2018-19/data/funding.csv", "/themes/", "/search/?q=x"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == f"public, max-age={settings.PUBLIC_CACHE_SECONDS}", path


def test_nothing_for_someone_signed_in_is_cached(client, published, support_officer):
    assert client.get("/accounts/login/")["Cache-Control"] == "private, no-store"
    client.force_login(support_officer)
    for path in ("/", "/2018-19/", "/themes/", "/admin/", "/workspace/", "/accounts/security/"):
        response = client.get(path)
        assert response["Cache-Control"] == "private, no-store", path


@pytest.mark.parametrize("role", ["support_officer", "board_reader"])
def test_the_back_office_shows_a_stored_learning_file_by_its_download_link(
    client, role, request, review_with_file
):
    review, material = review_with_file
    client.force_login(request.getfixturevalue(role))
    download = reverse("learning_file", args=[material.pk])
    for url in (
        reverse("admin:reviews_casereview_change", args=[review.pk]),
        reverse("admin:reviews_learningmaterial_change", args=[material.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert download in response.content.decode()
