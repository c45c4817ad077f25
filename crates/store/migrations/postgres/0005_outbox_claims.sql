-- Relay claims on the outbox. Every worker process runs a relay; a relay takes unsent rows by writing its id and a
-- lease end into them, so concurrent relays publish disjoint rows instead of each publishing every row. A relay
-- that dies leaves its claim behind, and once claimed_until has passed another relay takes the rows over: a lease,
-- not a lock, so nothing is lost. claimed_until is UTC RFC 3339 text with milliseconds (it sorts as time).
-- Kept in step with the other flavour of this file.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
