-- Schema version 5: an account whose password was set by someone else (a new account, a
-- reset, a re-enabled account) must choose its own at the next login before anything else.

ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));
