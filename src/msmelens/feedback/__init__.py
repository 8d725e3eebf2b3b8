"""The feedback loop's collection side: survey instruments (XLSForm), waves, and MSME obstacle reports from
the web form, the JSON API, OpenRosa clients (ODK Collect, KoboCollect, Enketo) and Kobo/ODK Central exports.

Layout: ``xlsform`` (XLSForm → XForm with pyxform), ``formspec`` (the plain-data form), ``expressions`` (the
ODK XPath subset for ``relevant``/``constraint``/``required``), ``answers`` (normalise and check a response),
``services`` (writes), ``selectors`` (reads), ``imports``/``exports``/``simulate``, ``openrosa`` and ``views``.
"""
