-- Every take sets refilled_at, so while it was indexed no take could update its row in place (a HOT update): each
-- added an entry to both indexes, and the row all of an OAuth2 client's users share piled up dead versions and index
-- entries that every take's conflict check walked until vacuum came (issue 15). The sweep, once a minute, reads the
-- whole table instead; free room on each page lets a take write the new version beside the old one.
DROP INDEX rate_limit_bucket_by_refill;
ALTER TABLE rate_limit_bucket SET (fillfactor = 50);
