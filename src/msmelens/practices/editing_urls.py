"""/practices/...: sign-in, contributors' proposals, curators' review and edit, every record's versions.

Literal paths (``sign-in/``, ``propose/``, ``review/``) come before the ``<slug:slug>/...`` ones, and
``practices/urls.py`` puts these patterns before the library's ``<slug:slug>/``, so none is taken for a slug.
"""

from django.urls import path

from msmelens.practices import editing_views as views

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("propose/", views.propose_new, name="propose_new"),
    path("propose/sent/", views.proposal_sent, name="proposal_sent"),
    path("review/", views.review, name="review"),
    path("<slug:slug>/versions/", views.versions, name="versions"),
    path("<slug:slug>/versions/diff/", views.diff, name="diff"),
    path("<slug:slug>/versions/<int:number>/restore/", views.restore, name="restore"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/propose/", views.propose_change, name="propose_change"),
]
