"""The data dir is private to Portier's user: it holds password hashes, guest data and keys.

The directory is 0700 and the SQLite files 0600. SQLite gives the -wal, -shm and -journal files
it creates the mode of their database file, so creating the database file private (before
SQLite opens it: an empty file is an empty database) keeps them private too. Wider modes left
by an older Portier are narrowed at start; a file owned by someone else is left as it is.
"""

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _narrow(path: Path, allowed: int) -> None:
    # Missing: nothing to narrow. Not ours (a mounted volume, say): its owner decides.
    with contextlib.suppress(FileNotFoundError, PermissionError):
        mode = path.stat().st_mode & 0o777
        if mode & ~allowed:
            path.chmod(mode & allowed)


def private_dir(path: Path) -> Path:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _narrow(path, DIR_MODE)
    return path


def private_sqlite_file(path: Path) -> Path:
    """Create the database file 0600 if missing, before SQLite would create it 0644."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for name in ("", *SQLITE_COMPANIONS):
        _narrow(path.with_name(path.name + name), FILE_MODE)
    return path
