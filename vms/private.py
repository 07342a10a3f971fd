"""Files that only the account running the VMS may read: the SQLite database, generated keys.

They hold password hashes, sessions and the key that decrypts camera passwords, so they are
created 0600 (directories 0700) whatever the umask, and files an older version left readable
to others are tightened at start-up. A file owned by someone else (a mounted secret) is left
as it is.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def _tighten(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):  # not ours, or a read-only mount: nothing to do
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(mode)


def private_directory(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=DIRECTORY_MODE)
    _tighten(path, DIRECTORY_MODE)
    return path


def private_file(path: Path) -> Path:
    """`path` created empty if missing, readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    _tighten(path, FILE_MODE)
    return path


def private_sqlite_database(path: Path) -> None:
    """The database file and its companions (SQLite gives -wal and -shm the database's mode)."""
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion, FILE_MODE)
