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

-- ==== BEGIN statement groups (issue 12) ====================================================
-- A statement group: the claims of one pair, indicator, flow_from, unit, kind, modality and period whose
-- values agree within 1 % (sorted by value, each within 1 % of the one before it); a claim without a
-- period is keyed on its document's publication month ('published:YYYY-MM'). A table, refreshed by
-- etl/store.py in the same transaction as every ingest/reextract batch (only the pairs, indicators and periods
-- the batch touched), and rebuilt whole when this file changes.
-- Each claim with its group's key: the columns grouping reads (the outlet is the URL's host without
-- 'www.'; a document without a URL counts as an outlet of its own).
CREATE OR REPLACE VIEW claim_group_keys AS
SELECT
    c.claim_id, c.doc_id, c.country_a, c.country_b, c.indicator, c.flow_from, c.unit, c.kind, c.modality,
    c.period, c.period_start, c.period_end, c.value,
    d.published,
    coalesce(nullif(regexp_extract(lower(d.url), '^[a-z][a-z0-9+.-]*://(www\.)?([^/:?#@]+)', 2), ''),
             'document ' || c.doc_id) AS outlet,
    coalesce(c.period, 'published:' || coalesce(strftime(d.published, '%Y-%m'), 'unknown')) AS period_key
FROM claims c
JOIN documents d USING (doc_id);

CREATE TABLE IF NOT EXISTS statement_groups (
    group_id          VARCHAR NOT NULL,      -- md5 of group_key and the group's smallest claim_id (16 hex; no index: cheaper refreshes)
    series_key        VARCHAR NOT NULL,      -- a|b|indicator|flow_from ('-' if none)|unit|kind|period_key: what
                                             -- conflicts and the consolidated series compare
    group_key         VARCHAR NOT NULL,      -- series_key|modality: the claims one group is cut from
    country_a         VARCHAR NOT NULL,
    country_b         VARCHAR NOT NULL,
    indicator         VARCHAR NOT NULL,
    flow_from         VARCHAR,
    unit              VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    modality          VARCHAR NOT NULL,
    period            VARCHAR,               -- NULL for period-less claims (period_key says the month)
    period_key        VARCHAR NOT NULL,
    period_start      DATE,
    period_end        DATE,
    value             DOUBLE NOT NULL,       -- the median stated value (a value some claim states)
    value_low         DOUBLE NOT NULL,       -- the smallest and largest stated values of the group
    value_high        DOUBLE NOT NULL,
    n_claims          INTEGER NOT NULL,
    n_outlets         INTEGER NOT NULL,
    n_documents       INTEGER NOT NULL,
    first_published   DATE,
    last_published    DATE,
    claim_ids         VARCHAR[] NOT NULL,    -- sorted
    doc_ids           VARCHAR[] NOT NULL,    -- sorted, distinct
    outlets           VARCHAR[] NOT NULL     -- sorted, distinct
);
-- ==== END statement groups ==================================================================

-- ==== BEGIN conflicts and the consolidated series (issue 12) ================================
-- Two groups of one series_key (pair, indicator, flow_from, unit, kind, period), both of modality 'actual'
-- and with a period, whose values differ by more than 2 % of the larger: a conflict, one row per two
-- groups, side a the lower value. Each side names its sources (outlets, documents, claims).
CREATE OR REPLACE VIEW statement_conflicts AS
SELECT
    a.series_key, a.country_a, a.country_b, a.indicator, a.flow_from, a.unit, a.kind, a.period,
    a.group_id AS group_id_a, a.value AS value_a, a.n_claims AS n_claims_a, a.n_outlets AS n_outlets_a,
    a.outlets AS outlets_a, a.doc_ids AS doc_ids_a, a.claim_ids AS claim_ids_a,
    b.group_id AS group_id_b, b.value AS value_b, b.n_claims AS n_claims_b, b.n_outlets AS n_outlets_b,
    b.outlets AS outlets_b, b.doc_ids AS doc_ids_b, b.claim_ids AS claim_ids_b,
    round(100 * (b.value - a.value) / greatest(abs(a.value), abs(b.value)), 2) AS difference_pct
FROM statement_groups a
JOIN statement_groups b ON a.series_key = b.series_key AND a.value < b.value
WHERE a.modality = 'actual' AND b.modality = 'actual' AND a.period IS NOT NULL
  AND abs(b.value - a.value) > 0.02 * greatest(abs(a.value), abs(b.value));

-- One value per series_key (pair, indicator, flow_from, unit, kind, period) of actual figures with a period,
-- chosen from its groups by this rule, in this order:
--   1. annual over partial-year: a group stated after its period ended (or by a document of unknown date)
--      beats one stated only while the period was still running (a year «с начала года», stored as the year);
--   2. the value reported by the most outlets;
--   3. ties go to the most recent publication;
--   4. then more claims, then the smaller group_id (only so that the choice is repeatable).
-- `rule` names the step that decided against the runner-up ('only group' when there was one group);
-- `overridden` lists the groups in conflict with the chosen one.
CREATE OR REPLACE VIEW consolidated_series AS
WITH ranked AS (
    SELECT *,
        row_number() OVER w AS rank,
        count(*) OVER (PARTITION BY series_key) AS n_groups,
        lead(complete) OVER w AS next_complete,
        lead(n_outlets) OVER w AS next_n_outlets,
        lead(last_published) OVER w AS next_last_published
    FROM (SELECT *, coalesce(last_published > period_end, TRUE) AS complete
          FROM statement_groups WHERE modality = 'actual' AND period IS NOT NULL)
    WINDOW w AS (PARTITION BY series_key
                 ORDER BY complete DESC, n_outlets DESC, last_published DESC NULLS LAST, n_claims DESC, group_id)
), overridden AS (
    SELECT chosen, list({'group_id': other, 'value': other_value, 'outlets': other_outlets,
                         'difference_pct': difference_pct} ORDER BY other) AS overridden
    FROM (SELECT group_id_a AS chosen, group_id_b AS other, value_b AS other_value, outlets_b AS other_outlets,
                 difference_pct FROM statement_conflicts
          UNION ALL
          SELECT group_id_b, group_id_a, value_a, outlets_a, -difference_pct FROM statement_conflicts)
    GROUP BY chosen
)
SELECT
    r.series_key, r.country_a, r.country_b, r.country_a || '–' || r.country_b AS pair, r.indicator, r.flow_from,
    r.unit, r.kind, r.period, r.period_start, r.period_end, r.value,
    r.group_id, r.n_claims, r.n_outlets, r.n_documents, r.first_published, r.last_published,
    r.complete AS period_complete, r.n_groups,
    CASE
        WHEN r.n_groups = 1 THEN 'only group'
        WHEN r.complete AND NOT r.next_complete THEN 'annual over partial-year'
        WHEN r.n_outlets > r.next_n_outlets THEN 'most outlets'
        WHEN r.last_published IS DISTINCT FROM r.next_last_published THEN 'most recent publication'
        ELSE 'tie: more claims, then group id'
    END AS rule,
    r.outlets, r.doc_ids, r.claim_ids,
    coalesce(o.overridden, []) AS overridden
FROM ranked r
LEFT JOIN overridden o ON o.chosen = r.group_id
WHERE r.rank = 1;
-- ==== END conflicts and the consolidated series =============================================

-- ==== BEGIN official statistics (issue 12) ===================================================
-- Bilateral trade as the statistics offices report it, loaded by `python -m etl official import`
-- (etl/official.py): one figure per reporter, partner, flow and year, country totals only (all goods, all
-- customs procedures and modes of transport). Importing a figure again replaces it (the last file wins).
CREATE TABLE IF NOT EXISTS official_trade (
    reporter          VARCHAR NOT NULL,      -- ISO 3166-1 alpha-3: the country whose statistics these are
    partner           VARCHAR NOT NULL,      -- ISO alpha-3
    flow              VARCHAR NOT NULL,      -- 'X' the reporter's exports to the partner, 'M' its imports from it
    year              INTEGER NOT NULL,
    value_usd         DOUBLE NOT NULL,       -- US dollars (Comtrade's primaryValue; WITS' thousands x 1000)
    source_file       VARCHAR NOT NULL,      -- the file it was read from, as given on the command line
    layout            VARCHAR NOT NULL,      -- comtrade | wits | plain
    imported_at       TIMESTAMP NOT NULL,    -- UTC
    PRIMARY KEY (reporter, partner, flow, year)
);

-- The official figures in the claims' terms: per pair (sorted), statistic and year, the figure each side
-- reports. statistic 'flow' (an export or import: flow_from is the side the goods come from; the sender's
-- figure is its export, the receiver's its import: the mirror), 'turnover' (export + import as one
-- reporter states both; missing when it published only one of them).
CREATE OR REPLACE VIEW official_figures AS
WITH flows AS (
    SELECT least(reporter, partner) AS country_a, greatest(reporter, partner) AS country_b,
           'flow' AS statistic, CASE flow WHEN 'X' THEN reporter ELSE partner END AS flow_from,
           year, reporter, value_usd, source_file
    FROM official_trade
)
SELECT country_a, country_b, statistic, flow_from, year, reporter, value_usd, source_file FROM flows
UNION ALL
SELECT country_a, country_b, 'turnover', NULL, year, reporter, sum(value_usd),
       string_agg(DISTINCT source_file, '; ' ORDER BY source_file)
FROM flows
GROUP BY country_a, country_b, year, reporter
HAVING count(*) = 2;

-- Every claim with an annual period, in USD, a level, of trade (turnover, or an export / import with its
-- direction) beside the official figure of its year from each side: gap_*_pct = claim / official - 1.
CREATE OR REPLACE VIEW claim_gaps AS
WITH c AS (
    SELECT claim_id, country_a, country_b, flow_from, value, CAST(period AS INTEGER) AS year,
           CASE WHEN indicator = 'trade_turnover' THEN 'turnover' ELSE 'flow' END AS statistic
    FROM claims
    WHERE unit = 'USD' AND kind = 'level' AND regexp_full_match(coalesce(period, ''), '[0-9]{4}')
      AND (indicator = 'trade_turnover' OR (indicator IN ('export', 'import') AND flow_from IS NOT NULL))
), g AS (
    SELECT c.claim_id, c.year AS official_year, c.country_a, c.country_b,
           oa.value_usd AS official_a_usd, ob.value_usd AS official_b_usd,
           round(100 * (c.value / oa.value_usd - 1), 1) AS gap_a_pct,
           round(100 * (c.value / ob.value_usd - 1), 1) AS gap_b_pct
    FROM c
    LEFT JOIN official_figures oa
      ON oa.country_a = c.country_a AND oa.country_b = c.country_b AND oa.statistic = c.statistic
     AND oa.flow_from IS NOT DISTINCT FROM c.flow_from AND oa.year = c.year AND oa.reporter = c.country_a
    LEFT JOIN official_figures ob
      ON ob.country_a = c.country_a AND ob.country_b = c.country_b AND ob.statistic = c.statistic
     AND ob.flow_from IS NOT DISTINCT FROM c.flow_from AND ob.year = c.year AND ob.reporter = c.country_b
    WHERE oa.value_usd IS NOT NULL OR ob.value_usd IS NOT NULL
)
SELECT claim_id, official_year, official_a_usd, gap_a_pct, official_b_usd, gap_b_pct,
       -- 'vs KAZ's report: +8 %; vs CHN's: −3 %' (U+2212 minus; a side that published nothing is left out)
       concat_ws('; ',
           CASE WHEN gap_a_pct IS NOT NULL THEN 'vs ' || country_a || '''s report: ' ||
                replace(printf('%+d %%', CAST(round(gap_a_pct) AS BIGINT)), '-', '−') END,
           CASE WHEN gap_b_pct IS NOT NULL THEN 'vs ' || country_b ||
                CASE WHEN gap_a_pct IS NOT NULL THEN '''s: ' ELSE '''s report: ' END ||
                replace(printf('%+d %%', CAST(round(gap_b_pct) AS BIGINT)), '-', '−') END) AS gap_note
FROM g;

-- What `export` writes for claims: each claim with its sources and its gaps to the official figures.
CREATE OR REPLACE VIEW claims_export AS
SELECT s.*, g.official_year, g.official_a_usd, g.gap_a_pct, g.official_b_usd, g.gap_b_pct, g.gap_note
FROM claims_with_source s
LEFT JOIN claim_gaps g USING (claim_id);
-- ==== END official statistics ================================================================
