-- Class teachers' notices to parents (class-wide or about chosen children), one row per parent
-- and child with that child's participation summary and the parent's read confirmation, and the
-- e-mail outbox: a notice and its mail rows are written in one transaction, so nothing is lost
-- on a restart; a worker on any replica sends what is due, leasing rows so two never send one.

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    created_at INTEGER NOT NULL
);
CREATE INDEX notices_class ON notices(class_id, created_at);

CREATE TABLE notice_recipients (
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    parent_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- the part about this child (the participation summary as the teacher left it), may be empty
    personal TEXT NOT NULL DEFAULT '',
    read_at INTEGER,
    nudges INTEGER NOT NULL DEFAULT 0,
    nudged_at INTEGER,
    PRIMARY KEY (notice_id, parent_id, student_id)
);
CREATE INDEX notice_recipients_parent ON notice_recipients(parent_id, notice_id);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    notice_id INTEGER REFERENCES notices(id) ON DELETE SET NULL,
    address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    -- not before this instant (quiet hours, backoff)
    due_at INTEGER NOT NULL,
    -- a worker that took the row; another may take it once this has passed (a crashed sender)
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox(state, due_at);
CREATE INDEX mail_outbox_notice ON mail_outbox(notice_id);
