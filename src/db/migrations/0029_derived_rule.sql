-- 0029: which version of its rule each stored derived value was computed
-- by. enterprise.completeness is stored so the bureau's directory can
-- filter on it (0007), but firms registered before the score was kept
-- current in every change (issue 10, item 10) still hold 0 until they
-- change something. The program knows its rule's version
-- (src/profile/completeness.c); when a database holds an older one, the
-- server and `zhengqi migrate` recompute every firm's score with the
-- program's own computation and stamp the new version, so no operator step
-- and no second (SQL) copy of the rule is needed.
CREATE TABLE derived_rule (
  name     VARCHAR(32) PRIMARY KEY,
  version  INTEGER NOT NULL
);
INSERT INTO derived_rule(name, version) VALUES ('completeness', 0);
