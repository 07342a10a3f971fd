"""What a camera's RTSP server asks for before it streams: nothing, Digest or Basic.

FFmpeg answers whatever challenge comes with the password it was given, Basic included: the
password in clear on the wire. So before a URL with credentials goes to FFmpeg, one DESCRIBE
without credentials (its own short connection, with a timeout) learns the camera's scheme;
a camera that offers only Basic gets the password only when the device allows plain-text
passwords. The URLs kept, logged and shown never carry credentials: `with_credentials()`
builds the one FFmpeg opens, right before it opens it.
"""

from __future__ import annotations

import enum
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from vms.logs import redact

PLAINTEXT_REFUSED = (
    "The camera asks for the password in plain text (RTSP Basic); allow plain-text passwords "
    "in the device's credentials, or enable Digest on the camera."
)
REDIRECTED = (
    "The camera sends its stream to another address (RTSP redirect); the VMS does not follow "
    "it with the camera's password. Check the camera's stream settings."
)
UNKNOWN_SCHEME = (
    "The camera asks for an RTSP authentication the VMS does not speak (neither Digest nor "
    "Basic); enable Digest authentication on the camera."
)
MAX_HEAD = 16 * 1024  # bytes of an RTSP answer's status line and headers read at most
DEFAULT_PORT = 554
_SCHEME = re.compile(r"(?:^|,)\s*([A-Za-z][\w-]*)(?=\s+[\w-]+=|\s*$|\s*,)")


class Scheme(enum.StrEnum):
    NONE = "none"  # the camera streams without credentials
    DIGEST = "digest"
    BASIC = "basic"


class StreamRefused(Exception):
    """The stream will not be pulled as things stand; the message says what the admin can do."""


class ProbeFailed(OSError):
    """The camera did not answer the DESCRIBE as an RTSP server should (try again later)."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)
    allow_plaintext: bool = False


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """`url` without its userinfo, and the credentials that were in it (plain text not
    allowed)."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    credentials = Credentials(unquote(parts.username), unquote(parts.password or ""))
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])), credentials


def with_credentials(url: str, credentials: Credentials | None) -> str:
    """`url` with the credentials as its userinfo (for FFmpeg only: never log or show it)."""
    if credentials is None or not credentials.username:
        return url
    parts = urlsplit(url)
    userinfo = f"{quote(credentials.username, safe='')}:{quote(credentials.password, safe='')}"
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{parts.netloc.rpartition('@')[2]}"))


def offered(challenges: list[str]) -> set[str]:
    """The schemes (lower case) in WWW-Authenticate values; one value may hold several."""
    schemes: set[str] = set()
    for value in challenges:
        unquoted = re.sub(r'"[^"]*"', '""', value)  # a realm may hold commas and words
        schemes |= {m.group(1).lower() for m in _SCHEME.finditer(unquoted)}
    return schemes


def choose(schemes: set[str], credentials: Credentials) -> Scheme:
    """The scheme to answer a 401 with; StreamRefused when there is none we may use."""
    if "digest" in schemes:
        return Scheme.DIGEST
    if "basic" in schemes:
        if credentials.allow_plaintext:
            return Scheme.BASIC
        raise StreamRefused(PLAINTEXT_REFUSED)
    raise StreamRefused(UNKNOWN_SCHEME)


def describe(url: str, timeout: float) -> tuple[int, list[str]]:
    """DESCRIBE `url` without credentials: the RTSP status and the WWW-Authenticate values.

    Blocking (a socket with `timeout` on every step): call it from a thread."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or DEFAULT_PORT
    request = (
        f"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n"
        "User-Agent: VMS gateway\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(request)
        head = b""
        while b"\r\n\r\n" not in head:
            if len(head) > MAX_HEAD:
                raise ProbeFailed("The camera's RTSP answer has more than 16 KiB of headers.")
            data = sock.recv(4096)
            if not data:
                raise ProbeFailed("The camera closed its RTSP connection without an answer.")
            head += data
    lines = head.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace").split("\r\n")
    status = lines[0].split(" ", 2)
    if len(status) < 2 or not status[0].startswith("RTSP/") or not status[1].isdigit():
        raise ProbeFailed(f"The camera's RTSP port answered {redact(lines[0][:80])!r}, not RTSP.")
    challenges = [
        value.strip()
        for name, sep, value in (line.partition(":") for line in lines[1:])
        if sep and name.strip().lower() == "www-authenticate"
    ]
    return int(status[1]), challenges


def learn(url: str, credentials: Credentials | None, timeout: float) -> Scheme:
    """The scheme the camera wants for `url` (blocking: from a thread). StreamRefused when it
    may not have the password; ProbeFailed or OSError when it did not answer properly."""
    status, challenges = describe(url, timeout)
    if 300 <= status < 400:
        raise StreamRefused(REDIRECTED)
    if status == 401:
        if credentials is None or not credentials.username:
            raise StreamRefused(
                "The camera asks for a username and password for its stream: enter them in "
                "the device's credentials."
            )
        return choose(offered(challenges), credentials)
    if status >= 400:
        hint = ": sync the camera if its streams changed" if status == 404 else ""
        raise ProbeFailed(f"The camera answered RTSP {status} for this stream{hint}.")
    return Scheme.NONE
