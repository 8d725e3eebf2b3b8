"""Which stored agreements are WTO agreements, with what the agreements app does not know about them.

Keyed by the agreement's id string (``Agreement.lens_id``, e.g. the id the WTO reader gives), not by a foreign
key: this app reaches the agreements only through their selectors and services. No logic in ``save()``.
"""

from __future__ import annotations

from django.db import models


class WtoAgreement(models.Model):
    MEMBERS = "members"
    GPA = "gpa"
    PARTIES_CHOICES = [(MEMBERS, "All WTO members"), (GPA, "The parties to the GPA")]

    agreement_id = models.CharField(max_length=64, unique=True)
    source_key = models.CharField(max_length=64, db_index=True)  # msmelens.corpus.wto_sources key: "tfa"
    language = models.CharField(max_length=8, blank=True)
    administering_body = models.CharField(max_length=200)  # the body's English name: "Committee on ..."
    body_key = models.CharField(max_length=64, blank=True)  # its msmelens.lens.taxonomy.COMMITTEES key, if any
    parties = models.CharField(max_length=16, choices=PARTIES_CHOICES, default=MEMBERS)
    title = models.CharField(max_length=500, blank=True)
    short_title = models.CharField(max_length=200, blank=True)
    year = models.IntegerField(null=True, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["source_key", "language"]

    def __str__(self) -> str:
        return f"{self.source_key} ({self.language}) {self.agreement_id}"
