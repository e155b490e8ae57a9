"""Lighthouse is run again only when it says its own trace failed, never to hide a page that fails."""

from __future__ import annotations

from bench.lighthouse import LighthouseError

NO_NAVSTART = (
    "Runtime error encountered: Something went wrong with recording the trace over your page load. "
    "Please run Lighthouse again. (NO_NAVSTART)"
)


def test_a_failed_trace_is_worth_another_run():
    assert LighthouseError(f"lighthouse failed on http://127.0.0.1/:\n{NO_NAVSTART}").worth_retrying


def test_a_page_that_cannot_be_loaded_is_not():
    assert not LighthouseError(
        "lighthouse could not measure http://127.0.0.1/: {'code': 'ERRORED_DOCUMENT_REQUEST'}"
    ).worth_retrying
