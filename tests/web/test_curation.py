"""Curation through the admin (form → service), the analyst/curator groups and their permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from tests.sample import JAPAN_THAILAND, TPP_EN

from msmelens.agreements.models import Agreement, AuditLog, Curation, Provision


def _user(name: str, *, group: str | None = None, superuser: bool = False):  # type: ignore[no-untyped-def]
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(name, f"{name}@example.org", "x-very-long-password-3")
    user = User.objects.create_user(name, password="x-very-long-password-3", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def test_groups_exist_with_their_permissions(sample_db):
    analyst = set(Group.objects.get(name="analyst").permissions.values_list("codename", flat=True))
    curator = set(Group.objects.get(name="curator").permissions.values_list("codename", flat=True))
    assert {"view_agreement", "view_provision", "export_data"} <= analyst
    assert "change_provision" not in analyst
    assert analyst < curator and "change_provision" in curator and "add_curation" in curator


def test_curator_corrects_labels_in_the_admin(sample_db, client):
    curator = _user("cora", group="curator")
    assert curator.has_perm("agreements.change_provision")
    client.force_login(curator)
    provision = Provision.objects.filter(agreement__lens_id=JAPAN_THAILAND, relevance="none").first()
    url = f"/admin/agreements/provision/{provision.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Correct the labels" in page.content.decode()
    response = client.post(
        url,
        {
            "new_relevance": "explicit",
            "new_categories": ["finance", "digital"],
            "new_binding": "soft",
            "note": "SME e-payments",
        },
    )
    assert response.status_code == 302
    provision.refresh_from_db()
    assert (provision.relevance, provision.binding, provision.curated) == ("explicit", "soft", True)
    assert provision.categories == ["finance", "digital"]
    assert provision.lens_labels["relevance"] == "none"
    curation = Curation.objects.get(provision_id=provision.provision_id, active=True)
    assert curation.curator == curator and curation.note == "SME e-payments"
    assert AuditLog.objects.filter(action="provision.curated", actor=curator).count() == 1
    agreement = Agreement.objects.get(lens_id=JAPAN_THAILAND)
    assert agreement.profile["category_counts"]["finance"] >= 1


def test_invalid_labels_show_a_form_error_and_change_nothing(sample_db, client):
    client.force_login(_user("root", superuser=True))
    provision = Provision.objects.filter(agreement__lens_id=TPP_EN).first()
    response = client.post(
        f"/admin/agreements/provision/{provision.pk}/change/",
        {"new_relevance": "none", "new_categories": ["skills"], "new_binding": "binding"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "not relevant" in body
    assert not Curation.objects.filter(provision_id=provision.provision_id).exists()
    assert Provision.objects.get(pk=provision.pk).curated is False


def test_revert_action_restores_the_lens_labels(sample_db, client):
    curator = _user("rita", group="curator")
    client.force_login(curator)
    provision = Provision.objects.filter(agreement__lens_id=TPP_EN, relevance="none").first()
    client.post(
        f"/admin/agreements/provision/{provision.pk}/change/",
        {"new_relevance": "implicit", "new_categories": ["skills"], "new_binding": "soft"},
    )
    assert Provision.objects.get(pk=provision.pk).curated is True
    response = client.post(
        "/admin/agreements/provision/",
        {"action": "revert_to_lens", "_selected_action": [str(provision.pk)]},
    )
    assert response.status_code == 302
    provision.refresh_from_db()
    assert (provision.relevance, provision.categories, provision.curated) == ("none", [], False)
    assert AuditLog.objects.filter(action="provision.reverted", actor=curator).count() == 1


def test_analyst_can_read_but_not_curate(sample_db, client):
    analyst = _user("ana", group="analyst")
    client.force_login(analyst)
    provision = Provision.objects.filter(agreement__lens_id=TPP_EN).first()
    url = f"/admin/agreements/provision/{provision.pk}/change/"
    assert client.get(url).status_code == 200  # view-only page
    response = client.post(
        url, {"new_relevance": "explicit", "new_categories": ["skills"], "new_binding": "soft"}
    )
    assert response.status_code == 403
    assert Provision.objects.get(pk=provision.pk).curated is False
    assert client.get("/admin/agreements/agreement/").status_code == 200


@pytest.mark.parametrize("model", ["agreement", "curation", "auditlog"])
def test_read_only_models_cannot_be_added(sample_db, client, model):
    client.force_login(_user("boss", superuser=True))
    assert client.get(f"/admin/agreements/{model}/").status_code == 200
    assert client.get(f"/admin/agreements/{model}/add/").status_code == 403
