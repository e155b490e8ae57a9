"""Easy-read content: per page, short sentences each beside a picture (issue: easy read).

Content is data, written with `lazy_gettext` so Babel extracts it; templates only
lay it out. `pages.py` holds the referral pages, `questions.py` the words above
each question, `info_pages.py` the privacy notice, help, accessibility statement
and error pages, `consent_pages.py` the consent-by-link, come-off and save pages,
`messages.py` the error messages, and `pictures.py` the one picture for each idea.
"""
