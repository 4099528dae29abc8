-- /healthz proves that the writer can still write: each probe replaces
-- the one row here with 32 KiB, more pages than a post changes
-- (store/shared.rs, `probe`).
CREATE TABLE health_probe (
    id     BIGINT PRIMARY KEY,
    filler BYTEA  NOT NULL
);
