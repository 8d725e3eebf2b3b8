"""Practices (country experiences and programmes) and contributors' proposals.

Every change to a Practice is a version kept by django-simple-history (who, when, why: ``history_user``,
``history_date``, ``history_change_reason``). ``version`` counts the versions and is what an editor's form
carries, so that two people saving from the same version cannot overwrite each other (services raise a
conflict). List fields are JSON for display plus a delimited key ("|PER|CHL|") so that filters are a plain
``LIKE`` on every database. No logic in ``save()``: writes go through ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Practice(models.Model):
    DRAFT, PROPOSED, PUBLISHED, WITHDRAWN = "draft", "proposed", "published", "withdrawn"
    STATUS_CHOICES = [(DRAFT, "draft"), (PROPOSED, "proposed"), (PUBLISHED, "published"), (WITHDRAWN, "withdrawn")]

    slug = models.SlugField(max_length=120, unique=True)  # the seed file's ``id``
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    original_language = models.CharField(max_length=8, default="en")
    translations = models.JSONField(default=dict, blank=True)  # {"fr": {"title": ..., "summary": ...}, ...}
    countries = models.JSONField(default=list, blank=True)  # ISO3 codes; [] for a global initiative
    countries_key = models.CharField(max_length=2000, blank=True, db_index=True)
    scope = models.CharField(max_length=16)  # national, regional, global
    start_year = models.IntegerField(null=True, blank=True)
    end_year = models.IntegerField(null=True, blank=True)
    implementer = models.CharField(max_length=1000, blank=True)
    instrument = models.CharField(max_length=64, db_index=True)
    obstacles = models.JSONField(default=list, blank=True)  # the lens's category keys
    obstacles_key = models.CharField(max_length=500, blank=True)
    target_groups = models.JSONField(default=list, blank=True)
    target_groups_key = models.CharField(max_length=500, blank=True)
    outcomes = models.JSONField(default=list, blank=True)  # [{indicator, value, unit, baseline, year, design, note}]
    evidence_level = models.IntegerField(null=True, blank=True, db_index=True)  # Maryland scale 1–5
    sources = models.JSONField(default=list, blank=True)  # [{title, publisher, year, url}]
    verified = models.BooleanField(default=False)
    search_text = models.TextField(blank=True)  # lower-cased, accent-free title, summary, implementer (all languages)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    version = models.IntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # the reason is text, not simple-history's 100 characters: a curator's note or the fields an import changed
    history = HistoricalRecords(
        excluded_fields=["countries_key", "obstacles_key", "target_groups_key", "search_text"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["slug"]
        permissions = [
            ("publish_practice", "Can review proposals and publish practices"),
            ("propose_practice", "Can propose practices and outcome updates"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} {self.title}"


class Proposal(models.Model):
    """A contributor's suggestion: a new practice, or a change (e.g. an outcome update) to an existing one.
    Nothing reaches the public record until a curator accepts it."""

    NEW, CHANGE = "new", "change"
    PENDING, ACCEPTED, REJECTED, CONFLICT = "pending", "accepted", "rejected", "conflict"
    STATUS_CHOICES = [(PENDING, "pending"), (ACCEPTED, "accepted"), (REJECTED, "rejected"),
                      (CONFLICT, "conflict")]

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    kind = models.CharField(max_length=8)  # new, change
    data = models.JSONField()  # the proposed record (the seed file's fields)
    base_version = models.IntegerField(null=True, blank=True)  # the version the contributor started from
    reason = models.TextField(blank=True)  # the contributor's note
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="practice_proposals"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
