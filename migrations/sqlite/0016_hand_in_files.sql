-- The files of a hand-in (photos of notebook pages, PDFs, an audio answer) and the audio of a
-- review: stored in the database so every replica serves them; the type is the one the content
-- shows (checked on upload), never the file name's.

CREATE TABLE hand_in_files (
    id INTEGER PRIMARY KEY,
    hand_in_id INTEGER NOT NULL REFERENCES hand_ins(id),
    part TEXT NOT NULL CHECK (part IN ('work', 'review')),
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX hand_in_files_hand_in ON hand_in_files(hand_in_id);
