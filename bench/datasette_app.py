"""Datasette over the same SQLite file, read-only, as the bench's reference point.

Canned queries return the rows of the archive's ``/api/v1/claims/`` — the public claims of
``Claim.objects.public()``: published claims of published events, naming no unpublished
event and no merged entity, with at least one citation of a published article; event,
value entity/event and citations (quote + article + outlet) nested as JSON — 100 per
page (bench/run.py checks, before measuring, that both return the same ids):

- ``/<db>/claims.json?_shape=array&offset=N`` — ``limit 100 offset :offset``;
- ``/<db>/claims_after.json?_shape=array&after=ID`` — the keyset (cursor) equivalent.

Add ``&_json=event&_json=value_entity&_json=value_event&_json=citations`` to get nested
JSON rather than JSON strings (bench/run.py does). Serve with

    BENCH_DB=/path/bench.sqlite3 uvicorn datasette_app:app --app-dir bench --workers 2
"""

import os
from pathlib import Path

from datasette.app import Datasette

CLAIM_COLUMNS = """
  c.id,
  json_object('slug', e.slug, 'title', e.title) as event,
  c.property,
  coalesce(ve.name, c.value_date, vev.title, c.value_text) as value,
  c.value_date,
  c.value_date_precision,
  case when ve.id is null then null
       else json_object('slug', ve.slug, 'name', ve.name, 'kind', ve.kind) end as value_entity,
  case when vev.id is null then null
       else json_object('slug', vev.slug, 'title', vev.title) end as value_event,
  c.rank,
  c.rank_reason,
  c.updated_at,
  (select json_group_array(json_object(
      'quote', json_object('id', q.id, 'exact', q.exact, 'start', q.start, 'end', q."end"),
      'article', json_object('slug', a.slug, 'title', a.title, 'url', a.url,
                             'outlet', o.name, 'published_on', a.published_on)))
     from events_citation ci
     join sources_quote q on q.id = ci.quote_id
     join sources_article a on a.id = q.article_id
     left join sources_outlet o on o.id = a.outlet_id
    where ci.claim_id = c.id and a.status = 'published') as citations
from events_claim c
join events_event e on e.id = c.event_id
left join events_entity ve on ve.id = c.value_entity_id
left join events_event vev on vev.id = c.value_event_id
where c.status = 'published' and e.status = 'published'
  and (c.value_event_id is null or vev.status = 'published')
  and (c.value_entity_id is null or ve.merged_into_id is null)
  and exists (select 1 from events_citation pc
                join sources_quote pq on pq.id = pc.quote_id
                join sources_article pa on pa.id = pq.article_id
               where pc.claim_id = c.id and pa.status = 'published')
"""

CLAIMS_SQL = f"select {CLAIM_COLUMNS} order by c.id limit 100 offset :offset"
CLAIMS_AFTER_SQL = f"select {CLAIM_COLUMNS} and c.id > :after order by c.id limit 100"


def metadata(name):
    return {
        "databases": {
            name: {
                "queries": {
                    "claims": {"sql": CLAIMS_SQL, "title": "Published claims, 100 a page"},
                    "claims_after": {"sql": CLAIMS_AFTER_SQL, "title": "Claims after an id"},
                }
            }
        }
    }


def build(path):
    path = str(Path(path).resolve())
    name = Path(path).stem
    datasette = Datasette(
        immutables=[path],
        metadata=metadata(name),
        settings={"sql_time_limit_ms": 20_000, "num_sql_threads": 2},
    )
    return datasette


app = build(os.environ["BENCH_DB"]).app() if os.environ.get("BENCH_DB") else None
