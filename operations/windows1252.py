"""Windows-1252 (and Latin-1) CSV files read by DuckDB as UTF-8: a dbt-duckdb plugin.

DuckDB decodes UTF-8, UTF-16 and Latin-1 itself, but its Latin-1 refuses the bytes 0x80-0x9F,
which Windows-1252 (Excel on Windows) uses for ’ “ ” – — € and more, and its `encodings`
extension is a download. The profile (profiles.yml, `plugins:`) registers this file system on
every connection dbt-duckdb opens, and staging reads `windows-1252://<path>`: the file is
decoded once, on its first opening (the header's describe at compile time), into a UTF-8 copy
in a temporary directory that DuckDB then reads as any local file. The copy has the same lines
in the same order, so the line numbers DuckDB reports are the file's.

Latin-1 is decoded as Windows-1252, as browsers do (the WHATWG Encoding Standard): the two
differ only in 0x80-0x9F, which are control characters in Latin-1 and never text.
"""

from __future__ import annotations

import atexit
import codecs
import gzip
import os
import shutil
import tempfile
import threading

from dbt.adapters.duckdb.plugins import BasePlugin
from fsspec.implementations.local import LocalFileSystem

PROTOCOL = "windows-1252"
# Windows-1252 as the WHATWG standard decodes it: the five bytes Python's cp1252 leaves
# undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are their Latin-1 control characters, so every file
# decodes.
DECODING_TABLE = "".join(
    bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(256)
)
CHUNK_BYTES = 1 << 22


class Windows1252FileSystem(LocalFileSystem):
    """The local files, each opened as its UTF-8 decoding (`windows-1252:///abs/path.csv` or
    `windows-1252://relative/path.csv`, globs too)."""

    protocol = (PROTOCOL,)
    _utf8_copies: dict[tuple[str, int, int], str] = {}
    _directory: str | None = None
    # DuckDB's threads may open the files of a glob at the same time
    _lock = threading.Lock()

    @classmethod
    def _strip_protocol(cls, path):
        path = str(path)
        if path.startswith(PROTOCOL + "://"):
            path = path[len(PROTOCOL) + 3 :]
        return super()._strip_protocol(path)

    def unstrip_protocol(self, name: str) -> str:
        return f"{PROTOCOL}://{self._strip_protocol(name)}"

    def _open(self, path, mode="rb", **kwargs):
        return super()._open(self.utf8_copy(path), mode, **kwargs)

    def size(self, path) -> int:
        return os.path.getsize(self.utf8_copy(path))

    @classmethod
    def utf8_copy(cls, path: str) -> str:
        """The path of the file's UTF-8 copy, made on first use (again when the file changes)."""
        source = cls._strip_protocol(path)
        status = os.stat(source)
        key = (source, status.st_size, status.st_mtime_ns)
        with cls._lock:
            if key not in cls._utf8_copies:
                cls._utf8_copies[key] = cls._decoded_copy(source)
        return cls._utf8_copies[key]

    @classmethod
    def _decoded_copy(cls, source: str) -> str:
        if cls._directory is None:
            cls._directory = tempfile.mkdtemp(prefix="segments-windows-1252-")
            atexit.register(shutil.rmtree, cls._directory, ignore_errors=True)
        copy = os.path.join(cls._directory, f"{len(cls._utf8_copies)}.csv")
        # DuckDB decompresses a .gz file itself, after this file system: the copy is gzipped too
        gzipped = source.endswith(".gz")
        with (
            gzip.open(source, "rb") if gzipped else open(source, "rb") as raw,
            gzip.open(copy, "wb", compresslevel=1) if gzipped else open(copy, "wb") as utf8,
        ):
            while chunk := raw.read(CHUNK_BYTES):
                utf8.write(codecs.charmap_decode(chunk, "strict", DECODING_TABLE)[0].encode())
        return copy


class Plugin(BasePlugin):
    """dbt-duckdb's hook on every new connection: registers the file system."""

    def configure_connection(self, conn) -> None:
        conn.register_filesystem(Windows1252FileSystem())
