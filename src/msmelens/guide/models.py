"""Saved self-assessments of the firm guide.

A firm gets a private link holding a random token (``secrets.token_urlsafe``, 256 bits); only the token's
SHA-256 hash is stored, so the table alone does not give anyone's link. An assessment holds no contact detail.
When the firm agrees, its answers join the default survey as one response (``survey_instance_id``); each
change of the answers is a new ``revision`` that replaces that response instead of adding one.
No logic in ``save()``: writes go through ``services``.
"""

from __future__ import annotations

from django.db import models


class Assessment(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    country = models.CharField(max_length=3, db_index=True)
    sector = models.CharField(max_length=1, blank=True)
    employees = models.IntegerField(null=True, blank=True)
    markets = models.JSONField(default=list, blank=True)  # ISO3 codes, at most 10
    answers = models.JSONField(default=dict, blank=True)  # by question name (msmelens.guide.assessment)
    language = models.CharField(max_length=8, blank=True)
    revision = models.IntegerField(default=1)
    consent = models.BooleanField(default=False)  # the firm agreed that its answers join the survey
    # the survey response that counts this firm: ours ("guide-..."), or the firm's own web-form response
    survey_instance_id = models.CharField(max_length=200, blank=True)
    survey_status = models.CharField(max_length=16, blank=True)  # "", shared, already_counted, incomplete
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"assessment {self.pk} ({self.country})"
