-- 0023: one revision number for the trade module's data, bumped in the
-- transaction of every change a bureau view of the trade data shows (a
-- report's version, an actuals import, a task created, edited or
-- deleted). The task summary and the 24-month analysis are rendered once
-- per revision and served from memory until the next one
-- (src/trade/view_cache.c); firms' names and industries come from
-- enterprise, whose latest updated_at is the other half of the key, hence
-- the index.
CREATE TABLE trade_rev (
  id   INTEGER PRIMARY KEY,
  rev  BIGINT NOT NULL
);
INSERT INTO trade_rev(id, rev) VALUES (1, 1);
CREATE INDEX enterprise_updated ON enterprise(updated_at);
-- the analysis's totals by district count distinct firms over two years of
-- reports: with the firm in the index it reads no table rows (390 → 77 ms
-- over 240,000 reports)
CREATE INDEX trade_report_region ON trade_report(direction, region, enterprise_id, year, month, status, month_amt);
