"""A constant number of queries per list endpoint, whatever the archive's size.

Each list is fetched for a small and a larger archive (built by tests/api_factories.py)
under the same bound; the bound is the measured count (see the final report of issue #6).
"""

import pytest
from rest_framework.test import APIClient

from tests.api_factories import build_archive

# endpoint -> max queries (page count + page rows + prefetches)
BOUNDS = {
    "/api/v1/events/": 2,
    "/api/v1/events/?participant={entity}&kind=meeting": 2,
    "/api/v1/events/?cursor=": 2,
    "/api/v1/claims/": 3,
    "/api/v1/claims/?article={article}": 3,
    "/api/v1/articles/": 2,
    "/api/v1/quotes/": 3,  # + the published translations (#18)
    "/api/v1/entities/": 2,
    "/api/v1/series/": 2,
    "/api/v1/annotations/": 4,  # + the published translations (#18)
    "/api/v1/annotations/?page=1": 4,
    "/api/v1/events/{event}/": 3,
}


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("url", list(BOUNDS))
def test_list_queries_do_not_grow(db, django_assert_max_num_queries, url, size):
    events = build_archive(size)
    event = events[-1]
    claim = event.claims.filter(property="participant").first()
    url_ = url.format(
        entity=claim.value_entity.slug,
        article=claim.citations.first().quote.article.slug,
        event=event.slug,
    )
    client = APIClient()
    with django_assert_max_num_queries(BOUNDS[url]):
        response = client.get(url_)
    assert response.status_code == 200
