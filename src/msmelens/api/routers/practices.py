"""/practices: the practice library's JSON API (to be written)."""

from ninja import Router

router = Router(tags=["practices"])
