"""WTForms' own words (its built-in error messages) in the page's language, without rereading them each request."""

from __future__ import annotations

from babel import support
from flask import g, has_request_context
from flask_babel import get_locale
from wtforms.i18n import messages_path


class WTFormsMessages:
    """WTForms' own words in the page's language, each catalogue read once per process.

    Flask-WTF reads and parses the catalogue from disk on every request that builds a
    form (half a millisecond, a tenth of a question page); the file never changes while
    the process runs. Outside a request the words are returned as they are, as Flask-WTF does.
    """

    _catalogues: dict[str, support.Translations] = {}

    def _catalogue(self) -> support.Translations | None:
        if not has_request_context():
            return None
        # The locale Flask-Babel chose is kept on `g`; force_locale() and refresh() replace it there.
        locale = getattr(g.get("_flask_babel"), "babel_locale", None) or get_locale()
        key = str(locale)
        if key not in self._catalogues:
            self._catalogues[key] = support.Translations.load(messages_path(), [locale], domain="wtforms")
        return self._catalogues[key]

    def gettext(self, string: str) -> str:
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()
