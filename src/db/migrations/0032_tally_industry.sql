-- 0032: the firms per (industry, region, status) beside 0014's tally per
-- (region, status), and on PostgreSQL the district's id index carries
-- industry and status.
--
-- Why (issue 10.8, docs/performance.md "PostgreSQL directory"): the
-- directory's commonest questions after "all firms" are "this district,
-- this industry section" and "this industry city-wide". Their totals were
-- counted over the firms on every request (2,375 index entries of 31
-- divisions for one district; 10,001 for a city-wide section, counted up
-- to the cap), which on PostgreSQL, with 8 clients on two cores, put their
-- p99 at 40–50 ms and 23 ms at 300,000 firms. With this tally both are a
-- sum over a few of its rows, and exact (no "10,000+"). It is a table of
-- its own so that the totals without an industry (the landing page,
-- a district, a status) still sum 0014's few dozen rows, not some
-- thousands. A firm without an industry is tallied under '' (the key must
-- be NOT NULL); no filter asks for it, but the sums stay whole.
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
CREATE TABLE enterprise_industry_tally (
  industry VARCHAR(8) NOT NULL,
  region   VARCHAR(12) NOT NULL,
  status   VARCHAR(16) NOT NULL,
  n        BIGINT NOT NULL,
  PRIMARY KEY (industry, region, status)
);
INSERT INTO enterprise_industry_tally(industry, region, status, n)
  SELECT COALESCE(industry, ''), region, status, COUNT(*) FROM enterprise GROUP BY COALESCE(industry, ''), region, status;
--@sqlite CREATE TRIGGER enterprise_industry_tally_ai AFTER INSERT ON enterprise BEGIN INSERT INTO enterprise_industry_tally(industry, region, status, n) VALUES (COALESCE(new.industry, ''), new.region, new.status, 1) ON CONFLICT(industry, region, status) DO UPDATE SET n = n + 1; END;
--@sqlite CREATE TRIGGER enterprise_industry_tally_ad AFTER DELETE ON enterprise BEGIN UPDATE enterprise_industry_tally SET n = n - 1 WHERE industry = COALESCE(old.industry, '') AND region = old.region AND status = old.status; END;
--@sqlite CREATE TRIGGER enterprise_industry_tally_au AFTER UPDATE OF region, status, industry ON enterprise WHEN old.region <> new.region OR old.status <> new.status OR old.industry IS NOT new.industry BEGIN UPDATE enterprise_industry_tally SET n = n - 1 WHERE industry = COALESCE(old.industry, '') AND region = old.region AND status = old.status; INSERT INTO enterprise_industry_tally(industry, region, status, n) VALUES (COALESCE(new.industry, ''), new.region, new.status, 1) ON CONFLICT(industry, region, status) DO UPDATE SET n = n + 1; END;
-- PostgreSQL: inserts and deletions once per statement, as 0030 does for
-- 0014's tally; an update moves one firm at a time
--@postgres CREATE FUNCTION enterprise_industry_tally_added() RETURNS trigger LANGUAGE plpgsql AS $$
--@postgres BEGIN
--@postgres   INSERT INTO enterprise_industry_tally(industry, region, status, n)
--@postgres     SELECT COALESCE(industry, ''), region, status, COUNT(*) FROM zq_added GROUP BY COALESCE(industry, ''), region, status
--@postgres     ON CONFLICT (industry, region, status) DO UPDATE SET n = enterprise_industry_tally.n + EXCLUDED.n;
--@postgres   RETURN NULL;
--@postgres END $$;
--@postgres CREATE FUNCTION enterprise_industry_tally_removed() RETURNS trigger LANGUAGE plpgsql AS $$
--@postgres BEGIN
--@postgres   UPDATE enterprise_industry_tally t SET n = t.n - d.c
--@postgres     FROM (SELECT COALESCE(industry, '') AS industry, region, status, COUNT(*) AS c FROM zq_removed
--@postgres           GROUP BY COALESCE(industry, ''), region, status) d
--@postgres     WHERE t.industry = d.industry AND t.region = d.region AND t.status = d.status;
--@postgres   RETURN NULL;
--@postgres END $$;
--@postgres CREATE FUNCTION enterprise_industry_tally_step() RETURNS trigger LANGUAGE plpgsql AS $$
--@postgres BEGIN
--@postgres   UPDATE enterprise_industry_tally SET n = n - 1
--@postgres     WHERE industry = COALESCE(OLD.industry, '') AND region = OLD.region AND status = OLD.status;
--@postgres   INSERT INTO enterprise_industry_tally(industry, region, status, n) VALUES (COALESCE(NEW.industry, ''), NEW.region, NEW.status, 1)
--@postgres     ON CONFLICT (industry, region, status) DO UPDATE SET n = enterprise_industry_tally.n + 1;
--@postgres   RETURN NULL;
--@postgres END $$;
--@postgres CREATE TRIGGER enterprise_industry_tally_ai AFTER INSERT ON enterprise REFERENCING NEW TABLE AS zq_added
--@postgres   FOR EACH STATEMENT EXECUTE FUNCTION enterprise_industry_tally_added();
--@postgres CREATE TRIGGER enterprise_industry_tally_ad AFTER DELETE ON enterprise REFERENCING OLD TABLE AS zq_removed
--@postgres   FOR EACH STATEMENT EXECUTE FUNCTION enterprise_industry_tally_removed();
--@postgres CREATE TRIGGER enterprise_industry_tally_au AFTER UPDATE OF region, status, industry ON enterprise FOR EACH ROW
--@postgres   WHEN (OLD.region <> NEW.region OR OLD.status <> NEW.status OR OLD.industry IS DISTINCT FROM NEW.industry)
--@postgres   EXECUTE FUNCTION enterprise_industry_tally_step();
--@postgres DROP INDEX enterprise_region_id;
--@postgres CREATE INDEX enterprise_region_id ON enterprise(region, id) INCLUDE (industry, status);
SELECT 1;
