"""Stored agreements and their provisions with the lens's labels (and curators' corrections).

Portable across SQLite and PostgreSQL: no PostgreSQL-only field types. Categories and committees are kept
both as JSON lists (for display) and as a delimited key ("|skills|finance|") so that filters are a plain
``LIKE`` on every database. No logic in ``save()``: writes go through ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Agreement(models.Model):
    lens_id = models.CharField(max_length=64, unique=True)  # "tota-449" or "doc-<hash12>"
    name = models.CharField(max_length=500)
    agreement_type = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=100, blank=True, db_index=True)
    date_signed = models.DateField(null=True, blank=True)
    year_signed = models.IntegerField(null=True, blank=True, db_index=True)
    date_into_force = models.DateField(null=True, blank=True)
    region = models.CharField(max_length=200, blank=True, db_index=True)
    composition = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=8, blank=True)
    wto_rta_id = models.CharField(max_length=32, blank=True)
    parties_key = models.CharField(max_length=2000, blank=True)  # "|JPN|THA|"
    source_format = models.CharField(max_length=16)
    source_name = models.CharField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    lens_version = models.CharField(max_length=32)
    text = models.TextField(blank=True)
    profile = models.JSONField(default=dict)  # msmelens.lens.profile.AgreementProfile.to_dict()
    coverage = models.FloatField(default=0.0, db_index=True)  # overall MSME coverage, 0..1, for sorting
    n_provisions = models.IntegerField(default=0)
    n_explicit = models.IntegerField(default=0)
    n_implicit = models.IntegerField(default=0)
    has_sme_chapter = models.BooleanField(default=False)
    imported_at = models.DateTimeField()
    # language versions (msmelens.agreements.versions): the id of the version that stands for the agreement
    # in lists, counts and figures ("" until grouped), and whether this text is that version
    group_key = models.CharField(max_length=64, blank=True, db_index=True)
    is_primary = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["lens_id"]
        permissions = [("export_data", "Can export agreements and provisions")]

    def __str__(self) -> str:
        return f"{self.lens_id} {self.name}"


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    iso3 = models.CharField(max_length=3, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "iso3"], name="uniq_agreement_party")]


class Provision(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="provisions")
    provision_id = models.CharField(max_length=200, unique=True)
    ordinal = models.IntegerField()  # reading order inside the agreement
    source_ref = models.CharField(max_length=500, blank=True)
    path = models.JSONField(default=list)
    chapter = models.CharField(max_length=500, blank=True)
    unit = models.CharField(max_length=16, default="article")
    language = models.CharField(max_length=8, blank=True)
    text = models.TextField(blank=True)
    # labels in force (the lens's, or a curator's correction when curated=True)
    relevance = models.CharField(max_length=16, db_index=True)
    categories = models.JSONField(default=list)
    categories_key = models.CharField(max_length=300, blank=True)  # "|skills|finance|"
    binding = models.CharField(max_length=16, null=True, blank=True)
    committees = models.JSONField(default=list)
    committees_key = models.CharField(max_length=500, blank=True)
    score = models.FloatField(default=0.0)
    evidence = models.JSONField(default=list)
    # what the lens said, kept when a curator corrects the labels
    lens_labels = models.JSONField(default=dict)
    curated = models.BooleanField(default=False)

    class Meta:
        ordering = ["agreement_id", "ordinal"]
        indexes = [models.Index(fields=["agreement", "ordinal"])]

    def __str__(self) -> str:
        return self.provision_id


class Curation(models.Model):
    """A curator's correction of one provision's labels. Keyed by provision_id so it survives re-imports."""

    provision_id = models.CharField(max_length=200, db_index=True)
    relevance = models.CharField(max_length=16)
    categories = models.JSONField(default=list)
    binding = models.CharField(max_length=16, null=True, blank=True)
    note = models.TextField(blank=True)
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="curations")
    created_at = models.DateTimeField()
    active = models.BooleanField(default=True)  # False once superseded or reverted

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provision_id", "active"])]


class AuditLog(models.Model):
    """One row per state change made through a service (Zulip's RealmAuditLog pattern)."""

    action = models.CharField(max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    object_ref = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
