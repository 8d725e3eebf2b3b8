"""Surveys, their form versions and waves, and the responses collected on every channel.

Portable across SQLite and PostgreSQL (JSON fields, no PostgreSQL-only types). No logic in ``save()``:
writes go through ``msmelens.feedback.services``. Contact details live in their own table, apart from the
answers, so that exports and results can never reach them and they can be erased on request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Survey(models.Model):
    OPEN = "open"
    RESTRICTED = "restricted"
    ACCESS_CHOICES = [(OPEN, "open to anonymous respondents"), (RESTRICTED, "collector accounts only")]

    slug = models.SlugField(max_length=100, unique=True)  # "msme-trade-obstacles"
    form_id = models.CharField(max_length=100, unique=True)  # the XForm id: "msme_trade_obstacles"
    title = models.CharField(max_length=300)
    access = models.CharField(max_length=16, choices=ACCESS_CHOICES, default=OPEN)
    is_active = models.BooleanField(default=True)
    collectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="collector_surveys")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["slug"]
        permissions = [("export_responses", "Can export survey responses (never contact details)")]

    def __str__(self) -> str:
        return self.slug


class FormVersion(models.Model):
    """One uploaded XLSForm and the XForm pyxform made of it. The newest is the survey's current form."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="form_versions")
    version = models.CharField(max_length=100)  # the XLSForm settings ``version``
    xlsform = models.BinaryField()  # the file as uploaded
    xlsform_name = models.CharField(max_length=300)
    xform = models.TextField()  # XForm XML
    definition = models.JSONField()  # msmelens.feedback.formspec.FormSpec.to_dict()
    xform_md5 = models.CharField(max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["survey", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["survey", "version"], name="uniq_form_version")]

    def __str__(self) -> str:
        return f"{self.survey.slug} v{self.version}"


class Wave(models.Model):
    """A round of collection: responses received between ``starts_on`` and ``ends_on`` (open-ended when
    empty) belong to it. ``design`` optionally holds the sampling design part 2 weights with."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    design = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["survey", "starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="uniq_wave_name")]

    def __str__(self) -> str:
        return f"{self.survey.slug} {self.name}"


class Response(models.Model):
    """One submission. ``answers`` holds the normalised answers by question name; ``raw`` what arrived."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="responses")
    wave = models.ForeignKey(Wave, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses")
    instance_id = models.CharField(max_length=200)
    channel = models.CharField(max_length=16)  # web, api, openrosa, import, simulate
    answers = models.JSONField()
    raw = models.TextField()  # the payload as received (JSON, XML or the CSV row as JSON)
    raw_format = models.CharField(max_length=16)  # json, xml, csv
    payload_hash = models.CharField(max_length=64)  # what "the same submission" means for idempotency
    language = models.CharField(max_length=8, blank=True)
    synthetic = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    is_current = models.BooleanField(default=True)  # False once a later submission replaced it
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "instance_id"], name="uniq_response_instance")
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} {self.instance_id}"


class ContactDetail(models.Model):
    """Contact details given with consent to follow up, stored apart from the answers."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="contact")
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)


class CollectorToken(models.Model):
    """An API token for a collector account; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collector_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class SubmissionCounter(models.Model):
    """Fixed-window submission counts per client address (``MSMELENS_SUBMISSION_RATE``), shared by every
    worker process through the database."""

    address = models.CharField(max_length=64)
    window = models.BigIntegerField()  # window start, in whole seconds since the epoch
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "window"], name="uniq_submission_window")
        ]


class PolicyAction(models.Model):
    """What was done about an obstacle firms reported ("you said, we did"): recorded by curators against a
    survey, a country and one or more obstacle categories. Written only by ``msmelens.feedback.actions``;
    ``history`` keeps who changed what and when."""

    PLANNED, IN_PROGRESS, DONE, DROPPED = "planned", "in_progress", "done", "dropped"
    STATUS_CHOICES = [(PLANNED, "planned"), (IN_PROGRESS, "in progress"), (DONE, "done"), (DROPPED, "dropped")]

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="actions")
    country = models.CharField(max_length=3, db_index=True)  # ISO 3166-1 alpha-3
    categories = models.JSONField(default=list)  # obstacle category keys (msmelens.lens.taxonomy.CATEGORIES)
    categories_key = models.CharField(max_length=300, blank=True)  # "|border_procedures|finance|", to filter
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    responsible = models.CharField(max_length=300)  # who: the body responsible
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PLANNED, db_index=True)
    practice_refs = models.JSONField(default=list, blank=True)  # ids or URLs (the practice library comes later)
    provision_ids = models.JSONField(default=list, blank=True)  # agreement provision ids ("tota-449:...")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = models.JSONField(default=list, blank=True)  # [{"at", "by", "what", "fields"}]
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["survey", "country", "-started_on", "id"]
        indexes = [models.Index(fields=["survey", "country"], name="feedback_action_country")]

    def __str__(self) -> str:
        return f"{self.country}: {self.title}"
