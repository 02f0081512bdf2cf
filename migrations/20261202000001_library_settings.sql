-- Settings a reporter chooses for this library, kept in it so they travel
-- with a backup: one row per setting, typed by its accessor in
-- `src/settings.rs`. First: the RFC 3161 time stamping authority that
-- stamps every WACZ export ('tsa_url').
CREATE TABLE library_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
