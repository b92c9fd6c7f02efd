-- The same check-and-count under an advisory lock: lock the address, read its row, write it back.
\set k random(1, :keys)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('bench:' || :k));
SELECT full_at FROM TABLE WHERE scope = 'bench' AND key = :k::text;
INSERT INTO TABLE (scope, key, full_at)
  VALUES ('bench', :k::text, GREATEST((SELECT full_at FROM TABLE WHERE scope = 'bench' AND key = :k::text),
                                      (extract(epoch FROM clock_timestamp()) * 1000000000)::bigint) + :interval)
  ON CONFLICT (scope, key) DO UPDATE SET full_at = EXCLUDED.full_at;
COMMIT;
