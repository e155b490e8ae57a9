"""The pages whose body is kept in the fragment cache (`{% cache %}`) are, byte for byte, the pages
a full render gives: in every language, in each reading mode, chosen or not.

Two apps share one database and one secret; one keeps no fragments at all (as `flask run --debug`
does). Each page is asked of the caching app twice (the second from the cache) and compared with
the other's, with only the CSP nonce allowed to differ.
"""

from __future__ import annotations

import itertools

import pytest
from flask import Flask
from flask_caching.backends import NullCache

from portal import i18n
from portal.extensions import fragments
from tests.conftest import Page

PAGES = ["/", "/privacy", "/accessibility", "/help"]
MODES = ["", "plain", "easy"]  # "": the reader has not chosen yet


@pytest.fixture
def two_apps(twin_apps: tuple[Flask, Flask]) -> tuple[Flask, Flask]:
    cached, uncached = twin_apps
    uncached.extensions["cache"][fragments] = NullCache()
    return cached, uncached


def test_cached_pages_are_the_pages_a_full_render_gives(two_apps):
    cached_app, uncached_app = two_apps
    languages = i18n.offered_by(cached_app.config["PORTAL_SETTINGS"])
    assert len(languages) > 1
    for mode, language in itertools.product(MODES, languages):  # one cache for all, as in a worker
        cached, uncached = cached_app.test_client(), uncached_app.test_client()
        choice = f"/?lang={language}" + (f"&mode={mode}" if mode else "")
        cached.get(choice)
        uncached.set_cookie("session", cached.get_cookie("session").value)
        for url in PAGES:
            first, again, full = Page(cached.get(url)), Page(cached.get(url)), Page(uncached.get(url))
            assert full.status == 200 and f'lang="{language}"' in full.html, url
            assert first.without_nonce() == again.without_nonce() == full.without_nonce(), (language, mode, url)
    assert any("start-page" in key for key in cached_app.extensions["cache"][fragments]._cache)
