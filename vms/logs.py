"""Logging of every process: secrets never reach a log line, client errors carry no traceback.

`redact()` is also what code uses before showing a URL or a library's error text to a
person (device pages, stream errors, Redis stats): whatever the camera or FFmpeg put in it,
`user:password@` in a URL comes out as `***@`.
"""

from __future__ import annotations

import logging
import re

# scheme://user:password@host or scheme://user@host: the userinfo part of any URL.
_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@\"'<>]*@")
# password=..., passwd=..., pwd=... in query strings and key=value text.
_PASSWORD_FIELD = re.compile(r"(?i)\b(password|passwd|pwd)=[^&\s\"'<>]*")
REDACTED = "***"


def redact(text: str) -> str:
    """`text` with the credentials of every URL in it (and password=... fields) masked."""
    if "@" not in text and "=" not in text:
        return text
    text = _USERINFO.sub(rf"\g<scheme>{REDACTED}@", text)
    return _PASSWORD_FIELD.sub(rf"\1={REDACTED}", text)


class RedactingFormatter(logging.Formatter):
    """The message, its arguments and any traceback, with credentials masked."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (403 for a role that may not, 404, 400) is the user's business, not a
    fault of the server: Django's request logger keeps one line for it, not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
