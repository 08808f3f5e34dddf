-- The directory under 20 ms at 300,000 firms (issue 10.8, docs/performance.md).
--
-- 1. Firm counts per (region, status), kept by triggers: the directory's
--    total for a filter made only of district scope, region and status
--    (its landing page above all) is a sum over a few rows instead of a
--    COUNT over every firm on each request (82 ms at 300,000 on SQLite).
CREATE TABLE enterprise_tally (
  region VARCHAR(12) NOT NULL,
  status VARCHAR(16) NOT NULL,
  n      BIGINT NOT NULL,
  PRIMARY KEY (region, status)
);
-- PostgreSQL: no firm may be written between the count and the triggers
-- (SQLite's migration holds the write lock already)
--@postgres LOCK TABLE enterprise IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO enterprise_tally(region, status, n) SELECT region, status, COUNT(*) FROM enterprise GROUP BY region, status;
--@sqlite CREATE TRIGGER enterprise_tally_ai AFTER INSERT ON enterprise BEGIN INSERT INTO enterprise_tally(region, status, n) VALUES (new.region, new.status, 1) ON CONFLICT(region, status) DO UPDATE SET n = n + 1; END;
--@sqlite CREATE TRIGGER enterprise_tally_ad AFTER DELETE ON enterprise BEGIN UPDATE enterprise_tally SET n = n - 1 WHERE region = old.region AND status = old.status; END;
--@sqlite CREATE TRIGGER enterprise_tally_au AFTER UPDATE OF region, status ON enterprise WHEN old.region <> new.region OR old.status <> new.status BEGIN UPDATE enterprise_tally SET n = n - 1 WHERE region = old.region AND status = old.status; INSERT INTO enterprise_tally(region, status, n) VALUES (new.region, new.status, 1) ON CONFLICT(region, status) DO UPDATE SET n = n + 1; END;
--@postgres CREATE FUNCTION enterprise_tally_step() RETURNS trigger LANGUAGE plpgsql AS $$
--@postgres BEGIN
--@postgres   IF TG_OP IN ('UPDATE', 'DELETE') THEN
--@postgres     UPDATE enterprise_tally SET n = n - 1 WHERE region = OLD.region AND status = OLD.status;
--@postgres   END IF;
--@postgres   IF TG_OP IN ('UPDATE', 'INSERT') THEN
--@postgres     INSERT INTO enterprise_tally(region, status, n) VALUES (NEW.region, NEW.status, 1)
--@postgres       ON CONFLICT (region, status) DO UPDATE SET n = enterprise_tally.n + 1;
--@postgres   END IF;
--@postgres   RETURN NULL;
--@postgres END $$;
--@postgres CREATE TRIGGER enterprise_tally_aid AFTER INSERT OR DELETE ON enterprise FOR EACH ROW EXECUTE FUNCTION enterprise_tally_step();
--@postgres CREATE TRIGGER enterprise_tally_au AFTER UPDATE OF region, status ON enterprise FOR EACH ROW
--@postgres   WHEN (OLD.region <> NEW.region OR OLD.status <> NEW.status) EXECUTE FUNCTION enterprise_tally_step();
--
-- 2. Keywords of one or two characters. SQLite: an FTS5 table whose
--    tokenizer (zq_gram, src/db/sqlite_gram.c) makes every character and
--    every pair of characters a token, so "闽" or "华兴" is one posting list
--    read in id order; detail=none keeps it small (only ids are stored).
--    PostgreSQL: the same grams of the name as an array with a GIN index,
--    plus the USCC's first one and two characters marked with '^' (the
--    keyword is a USCC prefix too). The array is a stored column: computed
--    per row as a filter it cost 0.25 ms a firm, and the planner walks the
--    ids down with it as the filter when the gram is common. Neither
--    engine needs an extension for this.
--@sqlite CREATE VIRTUAL TABLE enterprise_gram USING fts5(name, uscc, content='enterprise', content_rowid='id', tokenize='zq_gram', detail=none);
--@sqlite CREATE TRIGGER enterprise_gram_ai AFTER INSERT ON enterprise BEGIN INSERT INTO enterprise_gram(rowid, name, uscc) VALUES (new.id, new.name, new.uscc); END;
--@sqlite CREATE TRIGGER enterprise_gram_ad AFTER DELETE ON enterprise BEGIN INSERT INTO enterprise_gram(enterprise_gram, rowid, name, uscc) VALUES ('delete', old.id, old.name, old.uscc); END;
--@sqlite CREATE TRIGGER enterprise_gram_au AFTER UPDATE OF name, uscc ON enterprise BEGIN INSERT INTO enterprise_gram(enterprise_gram, rowid, name, uscc) VALUES ('delete', old.id, old.name, old.uscc); INSERT INTO enterprise_gram(rowid, name, uscc) VALUES (new.id, new.name, new.uscc); END;
--@sqlite INSERT INTO enterprise_gram(enterprise_gram) VALUES ('rebuild');
--@postgres CREATE FUNCTION zq_search_grams(n text, u text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
--@postgres   SELECT ARRAY(SELECT DISTINCT g FROM (
--@postgres     SELECT substr(n, i, 1) AS g FROM generate_series(1, char_length(n)) AS i
--@postgres     UNION ALL SELECT substr(n, i, 2) FROM generate_series(1, char_length(n) - 1) AS i
--@postgres     UNION ALL SELECT '^' || left(u, 1) UNION ALL SELECT '^' || left(u, 2)) AS grams)
--@postgres $$;
--@postgres ALTER TABLE enterprise ADD COLUMN search_grams TEXT[] GENERATED ALWAYS AS (zq_search_grams(name, uscc)) STORED;
--@postgres CREATE INDEX enterprise_grams ON enterprise USING gin (search_grams);
--
-- 3. Keywords of three characters or more on PostgreSQL: pg_trgm's GIN
--    indexes on the name and the USCC, where the extension can be created
--    (Debian ships it with the server; since PostgreSQL 13 it is "trusted",
--    so the database owner may create it). Where it cannot be created the
--    error is swallowed here and those keywords keep the scan; the server
--    looks for the index, not for this migration's outcome, so an
--    administrator may add both later (GET /api/v1/health tells staff which
--    path is active).
--@postgres DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm unavailable (%), the directory keyword search scans', SQLERRM; END $$;
--@postgres DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
--@postgres   EXECUTE 'CREATE INDEX enterprise_name_trgm ON enterprise USING gin (name gin_trgm_ops)';
--@postgres   EXECUTE 'CREATE INDEX enterprise_uscc_trgm ON enterprise USING gin (uscc gin_trgm_ops)';
--@postgres END IF; END $$;
SELECT 1;
