-- 0025: questionnaire results without reading every answer (docs/survey.md).
-- survey_tally gains one all-groups row per counted key (region, industry
-- and scale '*'), kept on submit beside the respondent's group's row: an
-- unfiltered results page reads one row per option instead of summing up
-- to options × regions × industries × scales rows. Backfilled here.
INSERT INTO survey_tally(survey_id, qkey, sub, value, region, industry, scale, n)
  SELECT survey_id, qkey, sub, value, '*', '*', '*', SUM(n) FROM survey_tally
  WHERE scale <> '*' GROUP BY survey_id, qkey, sub, value;
-- The numbers' distribution and median walk a number question's answers in
-- order of value, and the text lists take the newest fifty and count them,
-- each from an index of its own kind's rows only (partial: the choice rows,
-- nine in ten, pay nothing on submit).
CREATE INDEX survey_answer_num ON survey_answer(survey_id, qkey, num, region, industry) WHERE kind = 'n';
CREATE INDEX survey_answer_text ON survey_answer(survey_id, qkey, response_id, region, industry) WHERE kind = 't';
-- On SQLite the tally is a WITHOUT ROWID table: its rows live in the
-- primary key's b-tree, so each of a submit's upserts touches one b-tree,
-- not a key index and then the row (PostgreSQL keeps heap + key index).
--@sqlite CREATE TABLE survey_tally_keyed (survey_id BIGINT NOT NULL REFERENCES survey(id) ON DELETE CASCADE, qkey VARCHAR(32) NOT NULL, sub VARCHAR(32) NOT NULL, value VARCHAR(64) NOT NULL, region VARCHAR(12) NOT NULL, industry VARCHAR(8) NOT NULL, scale VARCHAR(32) NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (survey_id, qkey, sub, value, region, industry, scale)) WITHOUT ROWID;
--@sqlite INSERT INTO survey_tally_keyed SELECT survey_id, qkey, sub, value, region, industry, scale, n FROM survey_tally;
--@sqlite DROP TABLE survey_tally;
--@sqlite ALTER TABLE survey_tally_keyed RENAME TO survey_tally;
