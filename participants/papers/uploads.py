"""An upload handler that refuses a paper file as soon as it grows past the meeting's limit.

Django writes a large upload to a temporary file before any view runs, so without this a
500 MB file would be received in full only to be refused by its size. This handler sits
first in the request's chain: once the bytes of the files exceed the limit it skips the
file (the other handlers close and delete what they held) and remembers why, so the page
can say so.
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from .checks import too_large_message


class PaperSizeLimitHandler(FileUploadHandler):
    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0  # across every file of the request
        self.refused_message = ""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.refused_message = too_large_message(max_bytes=self.max_bytes)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler in the chain makes the file
