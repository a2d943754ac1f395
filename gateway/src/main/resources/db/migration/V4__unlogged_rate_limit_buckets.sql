-- Every request takes from its caller's bucket, and all of an OAuth2 client's users from one row: logged, each take
-- held that row's lock until its commit was flushed (and, with a synchronous standby, replicated), which capped the
-- gateway near the disk's flush rate and, under load, queued requests until it ran out of memory (issue 15). A bucket
-- is not worth keeping: unlogged, a take commits without a flush, and after a crash or a fail-over buckets are full.
ALTER TABLE rate_limit_bucket SET UNLOGGED;
