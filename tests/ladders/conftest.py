import pytest

from tests.factories import PublishedFrameworkFactory, make_document


@pytest.fixture
def framework(db):
    """A public framework, v1 published: 2 roles x 3 levels, 1 sub-role per role."""
    return PublishedFrameworkFactory(
        slug="design", name="Design", content=make_document(roles=2, levels=3, sub_roles=1)
    )
