"""Web form pages (to be written)."""

from django.http import Http404, HttpRequest, HttpResponse


def survey_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def survey_form(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404
