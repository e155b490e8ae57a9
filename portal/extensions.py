"""Flask extensions, created once and bound to an app in `create_app`."""

from flask import request
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_wtf import CSRFProtect


def _client_address() -> str:
    return request.remote_addr or "unknown"


babel = Babel()
# Page fragments that are the same for everyone in a language and reading mode (`{% cache %}` in templates).
fragments = Cache()
csrf = CSRFProtect()
limiter = Limiter(key_func=_client_address, default_limits=[])
