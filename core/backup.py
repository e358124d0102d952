"""Backups of a whole site, its database and its uploads, in one tar file.

``manage.py backup`` (``make backup``) writes ``tribune-<UTC time>.tar`` holding:

- ``database.pgdump`` (``pg_dump``'s custom format) on PostgreSQL, or ``database.sqlite3``
  (a copy made with SQLite's online backup, consistent while the site runs);
- ``media/<name>`` for every file of the default storage, the local folder or the bucket
  alike, since it is read through the storage API;
- ``manifest.json``: when, which database engine, how many files.

``manage.py restore FILE`` (``make restore``) puts both back: the database as it was, and
each file under its own name. Files stored since the backup stay; the cache is emptied,
since the restored counters may repeat versions that cached pages were drawn with.

The database's own tools, not ``dumpdata``/``loaddata``: they copy everything exactly
(sequences, the migrations table, constraints) without going through the models, in a
fraction of the time, and a PostgreSQL dump is consistent while the site runs.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone

from core.cache import cache_call

FORMAT = 1
MEDIA = "media/"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message for the operator."""


@dataclass(frozen=True)
class Restored:
    database: str
    files: int
    cache_cleared: bool


def backup_create(*, directory: Path) -> Path:
    """Write a backup of the database and every stored file into ``directory`` and return
    its path. The file appears under its final name only once it is complete."""
    directory.mkdir(parents=True, exist_ok=True)
    created_at = timezone.now()
    path = directory / f"tribune-{created_at:%Y%m%d-%H%M%S}.tar"
    partial = path.with_suffix(".tar.partial")
    names = []
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(partial, "w") as archive:
        dump = _database_dump(Path(scratch))
        archive.add(dump, arcname=dump.name)
        for name in stored_names(default_storage):
            with default_storage.open(name, "rb") as stored:
                _add_bytes(archive, MEDIA + name, stored.read())
            names.append(name)
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "database": connection.vendor,
            "files": len(names),
        }
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    partial.replace(path)
    return path


def backup_restore(*, path: Path) -> Restored:
    """Put the database and the files of the backup at ``path`` back. Stop the app servers
    and the worker first: the database is replaced under them.

    Refuses (BackupError) a file that is not a Tribune backup, one made on another
    database engine, and a file name that would land outside the storage.
    """
    if not path.is_file() or not tarfile.is_tarfile(path):
        raise BackupError(f"{path} is not a backup file.")
    with tarfile.open(path) as archive:
        manifest = _manifest(archive)
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"This backup holds a {manifest['database']} database; this site runs on "
                f"{connection.vendor}."
            )
        files = [m for m in archive.getmembers() if m.isfile() and m.name.startswith(MEDIA)]
        names = [_storage_name(member.name) for member in files]  # all checked first
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / DUMP_NAMES[connection.vendor]
            dump.write_bytes(_read(archive, dump.name))
            _database_restore(dump)
        for member, name in zip(files, names, strict=True):
            _store_exactly(default_storage, name, _read(archive, member.name))
    cleared = cache_call(_clear_cache, fallback=False, what="emptying it after a restore")
    return Restored(database=connection.vendor, files=len(files), cache_cleared=cleared)


def _clear_cache() -> bool:
    cache.clear()
    return True


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file's name in ``storage`` under ``folder``, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever uploaded
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for name in folders:
        names += stored_names(storage, prefix + name)
    return sorted(names)


# --- The database ------------------------------------------------------------------------


def _database_dump(scratch: Path) -> Path:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {vendor}.")
    dump = scratch / DUMP_NAMES[vendor]
    if vendor == "postgresql":
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}")
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as copy:
            connection.connection.backup(copy)
        copy.close()
    return dump


def _database_restore(dump: Path) -> None:
    connection.close()
    if connection.vendor == "postgresql":
        _run_pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(dump),
        )
        return
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        raise BackupError("An in-memory SQLite database cannot be restored into.")
    Path(name).parent.mkdir(parents=True, exist_ok=True)  # a new machine may lack it
    source = sqlite3.connect(dump)
    target = sqlite3.connect(name)
    try:
        source.backup(target)  # page by page, replacing everything in the target
    finally:
        source.close()
        target.close()


def _run_pg(program: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore against the site's database (connection details in
    libpq's variables, so the password never shows in a process list)."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for variable, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    if program == "pg_restore":
        arguments = (f"--dbname={settings['NAME']}", *arguments)
    result = subprocess.run(  # noqa: S603 (a fixed program, our own arguments)
        [executable, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


# --- Files -------------------------------------------------------------------------------


def _store_exactly(storage: Storage, name: str, data: bytes) -> None:
    """Store ``data`` under ``name`` itself (the database points at it), replacing a file of
    that name, where a plain save would pick a free name beside it."""
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        raise BackupError(f"{name} was stored as {saved}.")


def _storage_name(member: str) -> str:
    name = member[len(MEDIA) :]
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or ".." in parts or "\\" in name:
        raise BackupError(f"{member!r} is not a file name this backup could have written.")
    return name


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        stored = archive.extractfile(name)
    except KeyError:
        stored = None
    if stored is None:
        raise BackupError(f"The backup has no {name}.")
    with stored:
        return stored.read()


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.loads(_read(archive, "manifest.json"))
    except (BackupError, ValueError):
        raise BackupError("This file is not a Tribune backup (no manifest.json).") from None
    if manifest.get("format") != FORMAT or manifest.get("database") not in DUMP_NAMES:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not known here.")
    return manifest
