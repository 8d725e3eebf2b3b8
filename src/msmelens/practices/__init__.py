"""What works: a curated, versioned library of country experiences and practices that help MSMEs trade,
with their measured outcomes and the strength of their evidence (Maryland scale 1–5).

``models`` (Practice with django-simple-history versions; Proposal for contributors' suggestions),
``services`` (writes: import, create, update with conflict detection, propose, review, restore),
``selectors`` (reads: library filters and search, versions and their differences), ``views``, ``brief``.
"""
