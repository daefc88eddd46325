"""Property-based tests of the paper upload checks: arbitrary bytes never crash them; what
is not an acceptable paper is refused with a message for the author."""

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from participants.papers.checks import CheckedFile, PaperFileError, check_paper_file

PROPERTIES = settings(max_examples=50, deadline=None)


@st.composite
def zips(draw):
    """Archives that look like Word files from far away: random members, some expected."""
    buffer = io.BytesIO()
    names = draw(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "[Content_Types].xml",
                        "word/document.xml",
                        "docProps/app.xml",
                        "word/_rels/document.xml.rels",
                        "../escape.xml",
                    ]
                ),
                st.text(min_size=1, max_size=12),
            ),
            max_size=5,
            unique=True,
        )
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            body = draw(
                st.one_of(
                    st.binary(max_size=200),
                    st.just(b"<?xml version='1.0'?><Properties><Pages>7</Pages></Properties>"),
                    st.just(b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>'),
                )
            )
            archive.writestr(name, body)
    return buffer.getvalue()


@PROPERTIES
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=1000).map(lambda tail: b"%PDF-1.7\n" + tail),
        st.binary(max_size=1000).map(lambda tail: b"\xef\xbb\xbf %PDF-" + tail),
        st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
        zips(),
    )
)
def test_arbitrary_bytes_are_accepted_or_refused_cleanly(data):
    try:
        checked = check_paper_file(io.BytesIO(data), max_bytes=1024 * 1024)
    except PaperFileError as refused:
        assert str(refused)
        assert refused.code
    else:
        assert isinstance(checked, CheckedFile)
        assert checked.size == len(data)


@PROPERTIES
@given(size=st.integers(min_value=1, max_value=4096), limit=st.integers(1, 4096))
def test_a_file_over_the_limit_is_refused_before_it_is_read_as_a_document(size, limit):
    data = b"%PDF-1.7\n" + b"0" * size
    try:
        check_paper_file(io.BytesIO(data), max_bytes=limit)
    except PaperFileError as refused:
        assert (refused.code == "too_large") == (len(data) > limit)
    else:
        raise AssertionError("a PDF of zeros has no pages and is never a paper")
