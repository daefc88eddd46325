"""The ZIP of all current papers, written as a stream: one file at a time, in small chunks.

``zipfile`` writes into a sink that hands its bytes to a generator, so a response can
send the archive while it is being built and memory holds one chunk, not all the papers.
"""

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from .checks import ascii_slug

CHUNK = 64 * 1024
SHORT_TITLE_LENGTH = 40


@dataclass(frozen=True)
class ArchiveEntry:
    name: str
    open: Callable[[], IO[bytes]]
    modified: dt.datetime
    size: int


class _Sink(io.RawIOBase):
    """A write-only, unseekable file: zipfile then writes data descriptors, no seeking back."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self._chunks.append(data)
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def archive_names(authors_and_titles: Iterable[tuple[str, str, str]]) -> list[str]:
    """'Familyname_Short-title.pdf' for each (family name, title, extension), made unique.

    ASCII only, so every unzip tool shows the same names; a second identical name gets
    '-2' before its extension.
    """
    names: list[str] = []
    seen: set[str] = set()
    for family_name, title, extension in authors_and_titles:
        author = ascii_slug(family_name, max_length=40) or "Author"
        short = ascii_slug(title, max_length=SHORT_TITLE_LENGTH) or "Paper"
        stem = f"{author}_{short}"
        name = f"{stem}.{extension}"
        counter = 2
        while name.lower() in seen:
            name = f"{stem}-{counter}.{extension}"
            counter += 1
        seen.add(name.lower())
        names.append(name)
    return names


def stream_zip(entries: Iterable[ArchiveEntry]) -> Iterator[bytes]:
    """Yield the bytes of a ZIP holding ``entries``, reading each file in chunks."""
    sink = _Sink()
    with zipfile.ZipFile(
        sink, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
    ) as archive:
        for entry in entries:
            local = entry.modified.astimezone(dt.UTC)
            info = zipfile.ZipInfo(entry.name, date_time=local.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.file_size = entry.size
            with entry.open() as source, archive.open(info, mode="w") as target:
                for chunk in iter(lambda s=source: s.read(CHUNK), b""):
                    target.write(chunk)
                    data = sink.drain()
                    if data:
                        yield data
            data = sink.drain()
            if data:
                yield data
    data = sink.drain()
    if data:
        yield data
