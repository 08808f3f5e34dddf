-- 0032: the firm tally of 0014/0030 is kept per (region, status, industry),
-- and on PostgreSQL the district's id index carries industry and status.
--
-- Why (issue 10.8, docs/performance.md "PostgreSQL directory"): the
-- directory's commonest questions after "all firms" are "this district,
-- this industry section" and "this industry city-wide". Their totals were
-- counted over the firms on every request (2,375 index entries of 31
-- divisions for one district; 10,001 for a city-wide section, counted up
-- to the cap), which on PostgreSQL, with 8 clients on two cores, put their
-- p99 at 40–50 ms and 23 ms at 300,000 firms. With industry in the tally
-- both are a sum over a few tally rows, and exact (no "10,000+").
-- A firm without an industry is tallied under '' (the key must be NOT NULL).
--
-- The page of "this district, this section" walked the primary key down,
-- reading each firm of the city to test its district and industry (3,179
-- heap rows for 20). With (region, id) carrying industry and status, it
-- is an index-only walk of the district's ids (412 entries), and a
-- district + status page likewise. The index replaces 0027's
-- (region, id): the same key, so the merge with a keyword's grams keeps it.
-- SQLite's (region, industry) and (region, status) indexes end in the
-- rowid already; it needs no such index.
--@postgres LOCK TABLE enterprise IN SHARE ROW EXCLUSIVE MODE;
--@sqlite DROP TRIGGER enterprise_tally_ai;
--@sqlite DROP TRIGGER enterprise_tally_ad;
--@postgres DROP TRIGGER enterprise_tally_ai ON enterprise;
--@postgres DROP TRIGGER enterprise_tally_ad ON enterprise;
--@sqlite DROP TRIGGER enterprise_tally_au;
--@postgres DROP TRIGGER enterprise_tally_au ON enterprise;
DROP TABLE enterprise_tally;
CREATE TABLE enterprise_tally (
  region   VARCHAR(12) NOT NULL,
  status   VARCHAR(16) NOT NULL,
  industry VARCHAR(8) NOT NULL,
  n        BIGINT NOT NULL,
  PRIMARY KEY (region, status, industry)
);
-- a city-wide industry's sum reads its rows, not the whole tally
CREATE INDEX enterprise_tally_industry ON enterprise_tally(industry);
INSERT INTO enterprise_tally(region, status, industry, n)
  SELECT region, status, COALESCE(industry, ''), COUNT(*) FROM enterprise GROUP BY region, status, COALESCE(industry, '');
--@sqlite CREATE TRIGGER enterprise_tally_ai AFTER INSERT ON enterprise BEGIN INSERT INTO enterprise_tally(region, status, industry, n) VALUES (new.region, new.status, COALESCE(new.industry, ''), 1) ON CONFLICT(region, status, industry) DO UPDATE SET n = n + 1; END;
--@sqlite CREATE TRIGGER enterprise_tally_ad AFTER DELETE ON enterprise BEGIN UPDATE enterprise_tally SET n = n - 1 WHERE region = old.region AND status = old.status AND industry = COALESCE(old.industry, ''); END;
--@sqlite CREATE TRIGGER enterprise_tally_au AFTER UPDATE OF region, status, industry ON enterprise WHEN old.region <> new.region OR old.status <> new.status OR old.industry IS NOT new.industry BEGIN UPDATE enterprise_tally SET n = n - 1 WHERE region = old.region AND status = old.status AND industry = COALESCE(old.industry, ''); INSERT INTO enterprise_tally(region, status, industry, n) VALUES (new.region, new.status, COALESCE(new.industry, ''), 1) ON CONFLICT(region, status, industry) DO UPDATE SET n = n + 1; END;
--@postgres CREATE OR REPLACE FUNCTION enterprise_tally_added() RETURNS trigger LANGUAGE plpgsql AS $$
--@postgres BEGIN
--@postgres   INSERT INTO enterprise_tally(region, status, industry, n)
--@postgres     SELECT region, status, COALESCE(industry, ''), COUNT(*) FROM zq_added GROUP BY region, status, COALESCE(industry, '')
--@postgres     ON CONFLICT (region, status, industry) DO UPDATE SET n = enterprise_tally.n + EXCLUDED.n;
--@postgres   RETURN NULL;
--@postgres END $$;
--@postgres CREATE OR REPLACE FUNCTION enterprise_tally_removed() RETURNS trigger LANGUAGE plpgsql AS $$
--@postgres BEGIN
--@postgres   UPDATE enterprise_tally t SET n = t.n - d.c
--@postgres     FROM (SELECT region, status, COALESCE(industry, '') AS industry, COUNT(*) AS c FROM zq_removed
--@postgres           GROUP BY region, status, COALESCE(industry, '')) d
--@postgres     WHERE t.region = d.region AND t.status = d.status AND t.industry = d.industry;
--@postgres   RETURN NULL;
--@postgres END $$;
--@postgres CREATE OR REPLACE FUNCTION enterprise_tally_step() RETURNS trigger LANGUAGE plpgsql AS $$
--@postgres BEGIN
--@postgres   UPDATE enterprise_tally SET n = n - 1
--@postgres     WHERE region = OLD.region AND status = OLD.status AND industry = COALESCE(OLD.industry, '');
--@postgres   INSERT INTO enterprise_tally(region, status, industry, n) VALUES (NEW.region, NEW.status, COALESCE(NEW.industry, ''), 1)
--@postgres     ON CONFLICT (region, status, industry) DO UPDATE SET n = enterprise_tally.n + 1;
--@postgres   RETURN NULL;
--@postgres END $$;
--@postgres CREATE TRIGGER enterprise_tally_ai AFTER INSERT ON enterprise REFERENCING NEW TABLE AS zq_added
--@postgres   FOR EACH STATEMENT EXECUTE FUNCTION enterprise_tally_added();
--@postgres CREATE TRIGGER enterprise_tally_ad AFTER DELETE ON enterprise REFERENCING OLD TABLE AS zq_removed
--@postgres   FOR EACH STATEMENT EXECUTE FUNCTION enterprise_tally_removed();
--@postgres CREATE TRIGGER enterprise_tally_au AFTER UPDATE OF region, status, industry ON enterprise FOR EACH ROW
--@postgres   WHEN (OLD.region <> NEW.region OR OLD.status <> NEW.status OR OLD.industry IS DISTINCT FROM NEW.industry)
--@postgres   EXECUTE FUNCTION enterprise_tally_step();
--@postgres DROP INDEX enterprise_region_id;
--@postgres CREATE INDEX enterprise_region_id ON enterprise(region, id) INCLUDE (industry, status);
SELECT 1;
