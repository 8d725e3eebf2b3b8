"""OpenRosa views (to be written)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


def form_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def form_download(request: HttpRequest, form_id: str) -> HttpResponse:
    raise Http404


@csrf_exempt
def submission(request: HttpRequest) -> HttpResponse:
    raise Http404
