-- Crash recovery of provisioning runs: the worker applying a request names itself, records the step it is at,
-- and refreshes heartbeat_at while it runs. A 'running' row whose heartbeat is older than the lease belongs
-- to a worker that died (or to a finished run whose rollback could not reach the device); a live worker takes
-- it over (worker, heartbeat_at) and rolls it back (StaleRuns).
ALTER TABLE provisioning_runs
    ADD COLUMN worker       varchar(128),
    ADD COLUMN step         varchar(64) NOT NULL DEFAULT 'claim',
    ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();

CREATE INDEX provisioning_runs_running ON provisioning_runs (heartbeat_at) WHERE state = 'running';
