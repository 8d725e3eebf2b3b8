"""/surveys: the feedback app's JSON API (to be written)."""

from ninja import Router

router = Router(tags=["surveys"])
