"""Easy-read content: per page, short sentences each beside a picture (issue: easy read).

Content is data (`pages.py`, `questions.py`, `messages.py`), written with
`lazy_gettext` so Babel extracts it; templates only lay it out.
"""
