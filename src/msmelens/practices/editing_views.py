"""The editing workflow's pages: sign-in, versions and their differences, restore, edit, propose and review.

Who may do what (the roles of migration ``0002_groups``):

* anyone reads the versions of a published record and compares them;
* contributors (``practices.propose_practice``) propose new records and changes — nothing public changes until
  a curator accepts;
* curators (``practices.publish_practice``) edit, restore and review.

Anonymous visitors who open an editing page are sent to the sign-in page; signed-in users without the role see
a 403 page that says in plain words what they may do instead. The views validate (``forms``), call
``services`` and ``selectors``, and render; the only thing made here is the word-level marking of a
difference, which is presentation. Server-rendered, no JavaScript.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from msmelens.agreements import labels
from msmelens.practices import selectors, services
from msmelens.practices.forms import (
    CompareForm,
    PracticeForm,
    RestoreForm,
    ReviewForm,
    evidence_level_labels,
    initial_from_record,
)
from msmelens.practices.labels import target_group_labels
from msmelens.practices.records import OUTCOME_KEYS, SOURCE_KEYS, RecordInvalid, record_of

CURATOR_PERM = "practices.publish_practice"
CONTRIBUTOR_PERM = "practices.propose_practice"
RECORD_FIELDS = ("title", "summary", "translations", "countries", "scope", "start_year", "end_year",
                 "implementer", "instrument", "obstacles", "target_groups", "outcomes", "evidence_level",
                 "sources", "verified", "original_language")
PROBLEM_FIELD = re.compile(r"^[a-z_]+")
View = Callable[..., HttpResponse]


# --- roles -----------------------------------------------------------------------------------------------------

def is_curator(user: Any) -> bool:
    """A signed-in user who may edit, restore, review and publish."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(CURATOR_PERM))


def is_contributor(user: Any) -> bool:
    """A signed-in user who may propose records and changes (curators may too)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(CONTRIBUTOR_PERM))


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page, in plain words, with what the user may do instead."""
    context = {"message": message, "contributor": is_contributor(request.user), "curator": is_curator(request.user)}
    return render(request, "practices/edit_forbidden.html", context, status=403)


def _requires(check: Callable[[Any], bool], refusal: Callable[[], str]) -> Callable[[View], View]:
    """Anonymous visitors go to the sign-in page; signed-in users without the role get the 403 page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url=reverse("practices:sign_in"))
            if not check(request.user):
                return forbidden(request, refusal())
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


curators_only = _requires(is_curator, lambda: _(
    "Only curators can edit, restore or review records. If you see something to correct, propose a change: a "
    "curator will review it."))
contributors_only = _requires(is_contributor, lambda: _(
    "Only contributors can propose records and changes. Ask the MSME Lens team to add your account to the "
    "contributors."))


# --- sign-in ---------------------------------------------------------------------------------------------------

class SignInView(LoginView):
    """Django's sign-in, on our page; afterwards the page asked for, else the user's own starting point."""

    template_name = "practices/edit_sign_in.html"

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if is_curator(user):
            return reverse("practices:review")
        if is_contributor(user):
            return reverse("practices:propose_new")
        return reverse("overview")


sign_in = SignInView.as_view()
sign_out = LogoutView.as_view(next_page=reverse_lazy("overview"))


# --- presentation helpers -----------------------------------------------------------------------------------

def field_label(field: str) -> str:
    """A record field's name as shown to people."""
    names = {
        "title": gettext_lazy("Title"), "summary": gettext_lazy("Summary"),
        "translations": gettext_lazy("Translations"), "countries": gettext_lazy("Countries"),
        "scope": gettext_lazy("Scope"), "start_year": gettext_lazy("Start year"),
        "end_year": gettext_lazy("End year"), "implementer": gettext_lazy("Implementer"),
        "instrument": gettext_lazy("Instrument"), "obstacles": gettext_lazy("Obstacles addressed"),
        "target_groups": gettext_lazy("Target groups"), "outcomes": gettext_lazy("Outcomes"),
        "evidence_level": gettext_lazy("Evidence level"), "sources": gettext_lazy("Sources"),
        "verified": gettext_lazy("Checked in a source"), "status": gettext_lazy("Status"),
        "original_language": gettext_lazy("Original language"), "slug": gettext_lazy("Identifier"),
    }
    return str(names.get(field, field.replace("_", " ")))


def as_text(field: str, value: Any) -> str:
    """A field's value as readable text (lists joined, outcomes and sources as indented JSON)."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if field == "obstacles":
        return ", ".join(str(labels.CATEGORY_LABELS.get(v, v)) for v in value)
    if field == "target_groups":
        names = target_group_labels()
        return ", ".join(str(names.get(v, v)) for v in value)
    if field == "evidence_level":
        return str(evidence_level_labels().get(value, value))
    if field == "verified":
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if field in ("outcomes", "sources") and isinstance(value, list):
        keys = OUTCOME_KEYS if field == "outcomes" else SOURCE_KEYS
        value = [{k: row.get(k) for k in keys} if isinstance(row, dict) else row for row in value]
        return json.dumps(value, ensure_ascii=False, indent=2)  # the record's key order (PostgreSQL reorders)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return str(value)


def marked(old: str, new: str) -> SafeString:
    """``new`` against ``old`` word by word: deleted words in ``<del>``, inserted ones in ``<ins>`` (escaped)."""
    tags = {"delete": "<del>{}</del>", "insert": "<ins>{}</ins>", "equal": "{}"}
    return SafeString("".join(tags[op].format(escape(text)) for op, text in selectors.word_diff(old, new)))


def field_changes(old: dict[str, Any], new: dict[str, Any], fields: Any = None) -> list[dict[str, Any]]:
    """One row per field that differs: its label, old and new text, and the word-level marking."""
    rows = []
    for field in fields or RECORD_FIELDS:
        before, after = old.get(field), new.get(field)
        if before == after or (not before and not after and before in (None, "", [], {})
                                and after in (None, "", [], {})):
            continue
        old_text, new_text = as_text(field, before), as_text(field, after)
        rows.append({"field": field, "label": field_label(field), "old": old_text, "new": new_text,
                     "marked": marked(old_text, new_text)})
    return rows


def _when(moment: Any) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i") if moment else ""


# --- reading ---------------------------------------------------------------------------------------------------

def _practice_for(request: HttpRequest, slug: str) -> Any:
    """The practice; unpublished ones only for contributors and curators, 404 otherwise."""
    practice = selectors.practice_get(slug, include_unpublished=is_contributor(request.user))
    if practice is None:
        raise Http404
    return practice


def _version_rows(practice: Any) -> list[dict[str, Any]]:
    return [{"v": v, "labels": [field_label(f) for f in v.changed_fields]} for v in selectors.versions(practice)]


def _versions_page(request: HttpRequest, practice: Any, *, restore_form: RestoreForm | None = None,
                   restore_number: int | None = None, status: int = 200) -> HttpResponse:
    rows = _version_rows(practice)
    return render(request, "practices/versions.html", {
        "practice": practice, "rows": rows, "curator": is_curator(request.user),
        "contributor": is_contributor(request.user), "restore_form": restore_form or RestoreForm(),
        "restore_number": restore_number, "newest": rows[0]["v"].number if rows else None,
    }, status=status)


@require_http_methods(["GET", "HEAD"])
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version of a record, newest first, with two radio buttons per row to compare any two."""
    return _versions_page(request, _practice_for(request, slug))


@require_http_methods(["GET", "HEAD"])
def diff(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed between versions ``a`` and ``b``: each field old and new, words marked."""
    practice = _practice_for(request, slug)
    form = CompareForm(request.GET)
    if not form.is_valid():
        return render(request, "practices/diff.html", {"practice": practice, "form": form}, status=400)
    a, b = sorted((form.cleaned_data["a"], form.cleaned_data["b"]))
    try:
        result = selectors.version_diff(practice, a, b)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    by_number = {v.number: v for v in selectors.versions(practice)}
    rows = []
    for change in result.fields:
        old, new = as_text(change.field, change.old), as_text(change.field, change.new)
        rows.append({"field": change.field, "label": field_label(change.field), "old": old, "new": new,
                     "marked": marked(old, new)})
    return render(request, "practices/diff.html", {
        "practice": practice, "form": form, "a": by_number.get(a), "b": by_number.get(b), "rows": rows,
        "curator": is_curator(request.user),
    })


# --- curators: restore, edit, review ----------------------------------------------------------------------------

@require_POST
@curators_only
def restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Bring back version ``number`` as a new version (nothing is deleted)."""
    practice = _practice_for(request, slug)
    version = next((v for v in selectors.versions(practice) if v.number == number), None)
    if version is None:
        raise Http404
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return _versions_page(request, practice, restore_form=form, restore_number=number, status=400)
    try:
        services.restore_version(practice=practice, history_id=version.history_id, user=request.user,
                                 reason=form.cleaned_data["reason"])
    except services.PermissionDenied:
        return forbidden(request, _("Only curators can restore a version."))
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Version %(number)s was restored as a new version.") % {"number": number})
    return HttpResponseRedirect(reverse("practices:versions", args=[slug]))


def _conflict_context(conflict: services.EditConflict) -> dict[str, Any]:
    """What the conflict page says: who saved, when, and the fields that changed meanwhile with the saved
    values next to the editor's own."""
    saved = record_of(conflict.practice)
    fields = conflict.changed_since or conflict.differing
    rows = [{"field": f, "label": field_label(f), "theirs": as_text(f, saved.get(f)),
             "mine": as_text(f, conflict.yours.get(f))} for f in fields]
    return {
        "who": conflict.changed_by or _("someone else"), "when": _when(conflict.changed_at),
        "version": conflict.current_version, "fields": ", ".join(row["label"] for row in rows), "rows": rows,
    }


def _add_errors(form: PracticeForm, exc: Exception) -> None:
    """A service's refusal on the form: each problem on the field it names when the form has it, else on top."""
    for problem in getattr(exc, "problems", None) or []:
        match = PROBLEM_FIELD.match(problem.field)
        name = {"id": "slug"}.get(match.group(0), match.group(0)) if match else ""
        form.add_error(name if name in form.fields else None, str(problem))
    if not getattr(exc, "problems", None):
        form.add_error(None, str(exc))


@require_http_methods(["GET", "HEAD", "POST"])
@curators_only
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the current version; a save from an older version shows a conflict and keeps the editor's text."""
    practice = _practice_for(request, slug)
    if request.method != "POST":
        form = PracticeForm(initial=initial_from_record(record_of(practice), version=practice.version))
        return render(request, "practices/edit.html", {"practice": practice, "form": form})
    form = PracticeForm(request.POST)
    conflict = None
    if form.is_valid() and not form.cleaned_data.get("expected_version"):
        form.add_error(None, _("This form does not say which version you started from, so it cannot be checked "
                               "against newer saves. Copy your text, open the edit page again and paste it."))
    if form.is_valid():
        expected = form.cleaned_data["expected_version"]
        data = form.to_record(slug=practice.slug, original_language=practice.original_language or "en")
        try:
            saved = services.update_practice(practice=practice, data=data, expected_version=expected,
                                             user=request.user, reason=form.cleaned_data["reason"])
        except services.EditConflict as exc:
            kept = request.POST.copy()  # their text, now carrying the version they have just been shown
            kept["expected_version"] = str(exc.current_version)
            form = PracticeForm(kept)
            form.is_valid()
            conflict = _conflict_context(exc)
            practice = exc.practice
        except services.PermissionDenied:
            return forbidden(request, _("Only curators can edit records."))
        except (RecordInvalid, services.PracticeError) as exc:
            _add_errors(form, exc)
        else:
            if saved.version == practice.version:
                messages.info(request, _("Nothing was changed, so no new version was made."))
            else:
                messages.success(request, _("Saved as version %(number)s.") % {"number": saved.version})
            return HttpResponseRedirect(reverse("practices:versions", args=[slug]))
    return render(request, "practices/edit.html", {"practice": practice, "form": form, "conflict": conflict},
                  status=409 if conflict else 400)


@require_http_methods(["GET", "HEAD", "POST"])
@curators_only
def review(request: HttpRequest) -> HttpResponse:
    """Pending proposals, each with its difference from the current record; accept or reject with a note."""
    errors: dict[int, Any] = {}
    if request.method == "POST":
        form = ReviewForm(request.POST)
        proposal = selectors.proposal_get(form.cleaned_data["proposal"]) if form.is_valid() else None
        if form.is_valid() and proposal is None:
            raise Http404
        if proposal is not None:
            accept = form.cleaned_data["decision"] == "accept"
            try:
                result = services.review_proposal(proposal=proposal, user=request.user, accept=accept,
                                                  note=form.cleaned_data["note"])
            except services.PermissionDenied:
                return forbidden(request, _("Only curators can review proposals."))
            except (RecordInvalid, services.PracticeError) as exc:
                messages.error(request, str(exc))
            else:
                messages.add_message(request, *_review_message(result.status))
            return HttpResponseRedirect(reverse("practices:review"))
        errors[form.data.get("proposal", "")] = form.errors
    items = []
    for proposal in selectors.pending_proposals():
        current = _full_record(proposal.practice) if proposal.practice is not None else {}
        stale = proposal.practice is not None and proposal.base_version != proposal.practice.version
        items.append({"proposal": proposal, "changes": field_changes(current, proposal.data), "stale": stale,
                      "errors": errors.get(str(proposal.pk))})
    return render(request, "practices/review.html", {"items": items}, status=400 if errors else 200)


def _full_record(practice: Any) -> dict[str, Any]:
    """The practice's record with its language and translations always present (as a proposal's are)."""
    return {"original_language": "en", "translations": {}, **record_of(practice)}


def _review_message(status: str) -> tuple[int, str]:
    if status == "accepted":
        return messages.SUCCESS, _("Proposal accepted: it is published as a new version.")
    if status == "rejected":
        return messages.SUCCESS, _("Proposal rejected; your note is kept with it.")
    return messages.WARNING, _(
        "The record changed after this proposal was made, so it was not applied. It is marked as a conflict: "
        "edit the record by hand with what you want to keep from it.")


# --- contributors: propose -------------------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
@contributors_only
def propose_new(request: HttpRequest) -> HttpResponse:
    """A contributor's new record: it waits for a curator's review."""
    if request.method != "POST":
        form = PracticeForm(new=True, initial={"scope": "national"})
        return render(request, "practices/propose.html", {"form": form, "practice": None})
    form = PracticeForm(request.POST, new=True)
    if form.is_valid():
        try:
            services.propose_new(data=form.to_record(), user=request.user, reason=form.cleaned_data["reason"])
        except (RecordInvalid, services.PracticeError) as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("practices:proposal_sent"))
    return render(request, "practices/propose.html", {"form": form, "practice": None}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@contributors_only
def propose_change(request: HttpRequest, slug: str) -> HttpResponse:
    """A contributor's change to a record (an outcome update, a correction) from the version they read."""
    practice = _practice_for(request, slug)
    if request.method != "POST":
        form = PracticeForm(initial=initial_from_record(record_of(practice), version=practice.version))
        return render(request, "practices/propose.html", {"form": form, "practice": practice})
    form = PracticeForm(request.POST)
    if form.is_valid():
        base = form.cleaned_data.get("expected_version") or practice.version
        data = form.to_record(slug=practice.slug, original_language=practice.original_language or "en")
        try:
            services.propose_change(practice=practice, data=data, base_version=base, user=request.user,
                                    reason=form.cleaned_data["reason"])
        except (RecordInvalid, services.PracticeError) as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("practices:proposal_sent"))
    return render(request, "practices/propose.html", {"form": form, "practice": practice}, status=400)


@require_http_methods(["GET", "HEAD"])
@contributors_only
def proposal_sent(request: HttpRequest) -> HttpResponse:
    """The page after a proposal: it waits for review."""
    return render(request, "practices/propose_sent.html", {})
