"""Fixtures of the logistics tests: an empty cache around each test; the Accra meeting with
an embassy (a module may define its own ``meeting``)."""

import pytest
from django.core.cache import cache

from .support import accra_meeting, embassy_for


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meeting():
    meeting = accra_meeting()
    embassy_for(meeting)
    return meeting
