-- Rate-limit buckets, shared by every gateway instance so that a limit holds across them (issue 17): one row per
-- limit and caller, refilled lazily by the statement that takes from it (RateLimiter).
CREATE TABLE rate_limit_bucket (
    limit_name  text             NOT NULL,
    caller      text             NOT NULL,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL,
    -- Whether the last take found a token; read back by the statement that took it.
    taken       boolean          NOT NULL,
    PRIMARY KEY (limit_name, caller)
);

CREATE INDEX rate_limit_bucket_by_refill ON rate_limit_bucket (refilled_at);
