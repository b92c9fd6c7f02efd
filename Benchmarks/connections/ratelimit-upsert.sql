-- One check-and-count as SharedRateLimits does it: a single upsert under the row's lock.
\set k random(1, :keys)
WITH t AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000000000)::bigint AS now)
INSERT INTO TABLE (scope, key, full_at) SELECT 'bench', :k::text, now + :interval FROM t
ON CONFLICT (scope, key) DO UPDATE SET full_at = GREATEST(TABLE.full_at, (SELECT now FROM t)) + :interval
WHERE GREATEST(TABLE.full_at, (SELECT now FROM t)) + :interval <= (SELECT now FROM t) + :window
RETURNING full_at;
