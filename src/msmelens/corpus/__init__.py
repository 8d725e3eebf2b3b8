"""Corpus readers: any agreement file (ToTA XML, XML, HTML, text, PDF, DOCX) to one ``Document`` model.

Pure Python, no Django. Entry points: ``read_path``, ``read_bytes``, ``read_many``, ``iter_input_files``
(``msmelens.corpus.readers``); errors: ``ReadError`` (``msmelens.corpus.errors``).
"""
