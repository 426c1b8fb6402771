-- The DuckDB store. One file, read by the dashboard, written only by `python -m etl ingest|reextract`
-- (through etl/store.py, which applies this file to every copy it writes: keep it idempotent).
-- Units and meanings are in the column names; every claim and event row links back to its document and sentence.

CREATE TABLE IF NOT EXISTS documents (
    doc_id            VARCHAR PRIMARY KEY,   -- the given id, or derived from the content hash
    source            VARCHAR,               -- path of the file (and line) it was read from
    url               VARCHAR,
    title             VARCHAR,
    published         DATE,                  -- as given, else inferred from the text
    published_inferred BOOLEAN NOT NULL DEFAULT FALSE,
    outlet_country    VARCHAR,               -- ISO 3166-1 alpha-3
    text              VARCHAR NOT NULL,
    text_chars        INTEGER NOT NULL,
    content_sha256    VARCHAR NOT NULL,      -- of the text and metadata: a changed file replaces its claims
    ingested_at       TIMESTAMP NOT NULL,    -- UTC, when this version of the document was loaded
    extractor_version VARCHAR                -- the extractor that made its claims and events (also for documents with none)
);
-- Files made before extractor_version existed on documents.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS extractor_version VARCHAR;

CREATE TABLE IF NOT EXISTS claims (
    claim_id          VARCHAR PRIMARY KEY,   -- doc_id + ':' + span_start + '-' + span_end + ':' + indicator (+ ':2', ':3'… if repeated)
    doc_id            VARCHAR NOT NULL,
    indicator         VARCHAR NOT NULL,      -- trade_turnover | export | import | investment | agreements | aid
    country_a         VARCHAR NOT NULL,      -- the pair, sorted: country_a < country_b
    country_b         VARCHAR NOT NULL,
    flow_from         VARCHAR,               -- the side goods, money or aid come from
    value             DOUBLE NOT NULL,       -- in base units of `unit` (1,5 млрд -> 1500000000)
    value_max         DOUBLE,                -- upper end of a stated range
    unit              VARCHAR NOT NULL,      -- ISO 4217 currency, 't', '%', 'x', 'count'
    kind              VARCHAR NOT NULL,      -- level | change
    comparator        VARCHAR NOT NULL,      -- eq | gt | lt | approx
    modality          VARCHAR NOT NULL,      -- actual | target | forecast
    period            VARCHAR,               -- YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or START/END
    period_start      DATE,                  -- first day the period covers (for charts and range filters)
    period_end        DATE,                  -- last day the period covers
    figure_text       VARCHAR NOT NULL,      -- the figure as written
    span_start        INTEGER NOT NULL,      -- [start, end) code-point offsets into documents.text
    span_end          INTEGER NOT NULL,
    sentence          VARCHAR NOT NULL,
    sentence_start    INTEGER NOT NULL,
    sentence_end      INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL
);
-- Which named rule decided each field (JSON: field -> rule name, etl/rules.py); files made before it have NULL.
ALTER TABLE claims ADD COLUMN IF NOT EXISTS trace VARCHAR;

-- What the dashboard reads: each claim with its document's provenance.
CREATE OR REPLACE VIEW claims_with_source AS
SELECT
    c.*,
    c.country_a || '–' || c.country_b AS pair,
    d.title        AS doc_title,
    d.published    AS doc_published,
    d.outlet_country,
    d.url          AS doc_url,
    d.source       AS doc_source
FROM claims c
JOIN documents d USING (doc_id);

-- Diplomacy events (../shared/spec/events.md): one row per event per document, made by the same
-- extractor version as the document's claims and written in the same transaction.
CREATE TABLE IF NOT EXISTS events (
    event_id          VARCHAR PRIMARY KEY,   -- doc_id + ':' + span_start + '-' + span_end + ':' + type (+ ':2', ':3'… if repeated)
    doc_id            VARCHAR NOT NULL,
    type              VARCHAR NOT NULL,      -- visit | talks | call | signing | relations
    country_a         VARCHAR NOT NULL,      -- the two sides, sorted: country_a < country_b (ISO alpha-3 or a bloc code)
    country_b         VARCHAR NOT NULL,
    host              VARCHAR,               -- the side on whose territory it happened (always set for a visit)
    level             VARCHAR NOT NULL,      -- head_of_state | head_of_government | minister | other
    date              VARCHAR,               -- YYYY, YYYY-MM, YYYY-MM-DD or START/END; NULL when the text gives no time
    date_start        DATE,                  -- first day `date` covers (for charts and range filters)
    date_end          DATE,                  -- last day `date` covers
    modality          VARCHAR NOT NULL,      -- actual | planned
    count             INTEGER,               -- signing: the number of documents signed, when the text gives it
    event_text        VARCHAR NOT NULL,      -- the words that state the event, as written
    span_start        INTEGER NOT NULL,      -- [start, end) code-point offsets into documents.text
    span_end          INTEGER NOT NULL,
    sentence          VARCHAR NOT NULL,      -- the first sentence of the document that states the event
    sentence_start    INTEGER NOT NULL,
    sentence_end      INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    trace             VARCHAR                -- JSON: field -> the named rule that decided it (etl/event_rules.py)
);

-- Each event with its document's provenance, as claims_with_source.
CREATE OR REPLACE VIEW events_with_source AS
SELECT
    e.*,
    e.country_a || '–' || e.country_b AS pair,
    d.title        AS doc_title,
    d.published    AS doc_published,
    d.outlet_country,
    d.url          AS doc_url,
    d.source       AS doc_source
FROM events e
JOIN documents d USING (doc_id);

-- Which version of this file made the database: etl/store.py re-applies it only when that differs.
CREATE TABLE IF NOT EXISTS store_meta (
    key               VARCHAR PRIMARY KEY,   -- 'schema_sha256', 'events_table'
    value             VARCHAR NOT NULL
);
-- Documents stored before the events table existed have no events: mark their extraction as of an
-- unknown version, so that `reextract` fills in their events (once: the marker below records it).
UPDATE documents SET extractor_version = NULL
WHERE NOT EXISTS (SELECT 1 FROM store_meta WHERE key = 'events_table');
INSERT OR IGNORE INTO store_meta VALUES ('events_table', 'documents extracted with their events since this');
