"""CSV and JSONL exports: the answers by question name, never contact details, never the raw payload."""

from __future__ import annotations

import csv
import io
import json

from tests.feedback.conftest import valid_answers

from msmelens.feedback import selectors, services
from msmelens.feedback.exports import LEAD_FIELDS, export_fields, write_export

EMAIL = "founder@small-firm.example"
PHONE = "+51 1 555 0199"


def _submit(survey, instance_id: str, synthetic: bool = False, **changes) -> None:
    answers = valid_answers(**changes)
    outcome = services.submit_response(
        survey=survey,
        instance_id=instance_id,
        answers=answers,
        raw=json.dumps(answers),
        raw_format="json",
        channel="simulate" if synthetic else "api",
        payload_hash=services.canonical_hash(answers),
        synthetic=synthetic,
    )
    assert outcome.status == "created", outcome.problems


def _stored(survey) -> None:
    _submit(survey, "uuid:export-1", consent_followup="yes", contact_email=EMAIL, contact_phone=PHONE,
            comment='=HYPERLINK("http://evil.example","click")')
    _submit(survey, "uuid:export-2", country="KEN", employees=250, markets=["USA"])
    _submit(survey, "uuid:export-3", synthetic=True, country="IND")


def test_csv_export_has_answers_and_never_contact_details(default_survey):
    _stored(default_survey)
    buffer = io.StringIO()
    assert write_export(buffer, default_survey, fmt="csv") == 3
    text = buffer.getvalue()
    assert EMAIL not in text and "555 0199" not in text and "contact_" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[: len(LEAD_FIELDS)] == list(LEAD_FIELDS)
    assert list(rows[0]) == export_fields(default_survey)
    first, second = rows[0], rows[1]
    assert first["instance_id"] == "uuid:export-1" and first["channel"] == "api" and first["synthetic"] == "false"
    assert first["country"] == "PER" and first["employees"] == "12" and first["size_class"] == "small"
    assert first["markets"] == "KOR NPL"  # select_multiple: space-separated, as in XForms
    assert first["consent_followup"] == "yes"
    assert first["comment"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"  # formula-safe
    assert second["country"] == "KEN" and second["size_class"] == "large" and second["markets"] == "USA"
    assert rows[2]["synthetic"] == "true"


def test_jsonl_export_keeps_lists_and_can_leave_synthetic_out(default_survey):
    _stored(default_survey)
    buffer = io.StringIO()
    assert write_export(buffer, default_survey, fmt="jsonl", include_synthetic=False) == 2
    text = buffer.getvalue()
    assert EMAIL not in text and "contact_" not in text and '"raw"' not in text
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["instance_id"] for r in records] == ["uuid:export-1", "uuid:export-2"]
    assert records[0]["markets"] == ["KOR", "NPL"] and records[0]["employees"] == 12
    assert records[0]["synthetic"] is False and records[0]["item_skills_staff"] is None
    assert list(records[0]) == export_fields(default_survey)


def test_export_by_wave(default_survey):
    import datetime as dt

    _stored(default_survey)
    wave = services.add_wave(survey=default_survey, name="future", starts_on=dt.date.today() + dt.timedelta(days=30))
    buffer = io.StringIO()
    assert write_export(buffer, default_survey, fmt="csv", wave=wave) == 0
    assert buffer.getvalue().splitlines() == [",".join(export_fields(default_survey))]


# --- the admin: contact details and raw payloads only for superusers; surveys added by XLSForm upload ----


def _staff(django_user_model, superuser: bool):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("staff-su" if superuser else "staff", password="pw-123456",
                                                 is_staff=True, is_superuser=superuser)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="feedback"))
    return user


def test_admin_shows_contact_details_to_superusers_only(default_survey, client, django_user_model):
    _stored(default_survey)
    response_pk = selectors.find_response(default_survey, "uuid:export-1").pk
    client.force_login(_staff(django_user_model, superuser=False))
    listing = client.get("/admin/feedback/response/")
    assert listing.status_code == 200 and "uuid:export-1" in listing.text and EMAIL not in listing.text
    detail = client.get(f"/admin/feedback/response/{response_pk}/change/")
    assert detail.status_code == 200 and "KOR" in detail.text and EMAIL not in detail.text
    assert client.get("/admin/feedback/contactdetail/").status_code == 403
    client.force_login(_staff(django_user_model, superuser=True))
    assert EMAIL in client.get(f"/admin/feedback/response/{response_pk}/change/").text  # the raw payload
    assert EMAIL in client.get("/admin/feedback/contactdetail/").text


def test_admin_upload_shows_form_problems_and_adds_a_survey(db, client, django_user_model, tmp_path):
    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(_staff(django_user_model, superuser=True))

    def workbook(constraint: str) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "survey"
        sheet.append(["type", "name", "label", "constraint"])
        sheet.append(["integer", "staff", "Staff", constraint])
        book.create_sheet("settings").append(["form_id"])
        book["settings"].append(["admin_form"])
        path = tmp_path / "form.xlsx"
        book.save(path)
        return path.read_bytes()

    bad = client.post("/admin/feedback/survey/add/", {
        "xlsform": SimpleUploadedFile("form.xlsx", workbook(". < ${nope}")), "slug": "", "access": ""})
    assert bad.status_code == 200
    assert "survey sheet, row 2, column &#x27;constraint&#x27;" in bad.text and "${nope}" in bad.text
    assert selectors.get_survey("admin-form") is None
    good = client.post("/admin/feedback/survey/add/", {
        "xlsform": SimpleUploadedFile("form.xlsx", workbook(". >= 0")), "slug": "", "access": "restricted"})
    assert good.status_code == 302
    survey = selectors.get_survey("admin-form")
    assert survey is not None and survey.access == "restricted"
