-- dialect: own (PostgreSQL's triggers are written by hand in migrations/postgres).
-- Two more groups of tables in the read cache (app::cache::Domain), each with a version of its
-- own: a week's links, topics, changes and materials, which teachers write all morning, and
-- tasks and hand-ins, written all day. A hand-in then drops only the copies of open tasks, not
-- the school's people and lessons; every write still bumps its group's version, whoever writes.
-- The versions are columns of the one row, not rows of their own: a transaction that writes to
-- two groups then locks one row, as before, and two such transactions cannot deadlock.
ALTER TABLE cache_versions ADD COLUMN week_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cache_versions ADD COLUMN tasks_version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER cache_lesson_occurrences_insert AFTER INSERT ON lesson_occurrences
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_occurrences_update AFTER UPDATE ON lesson_occurrences
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_occurrences_delete AFTER DELETE ON lesson_occurrences
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_changes_insert AFTER INSERT ON lesson_changes
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_changes_update AFTER UPDATE ON lesson_changes
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_changes_delete AFTER DELETE ON lesson_changes
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_materials_insert AFTER INSERT ON lesson_materials
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_materials_update AFTER UPDATE ON lesson_materials
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lesson_materials_delete AFTER DELETE ON lesson_materials
    BEGIN UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_assignments_insert AFTER INSERT ON assignments
    BEGIN UPDATE cache_versions SET tasks_version = tasks_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_assignments_update AFTER UPDATE ON assignments
    BEGIN UPDATE cache_versions SET tasks_version = tasks_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_assignments_delete AFTER DELETE ON assignments
    BEGIN UPDATE cache_versions SET tasks_version = tasks_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_hand_ins_insert AFTER INSERT ON hand_ins
    BEGIN UPDATE cache_versions SET tasks_version = tasks_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_hand_ins_update AFTER UPDATE ON hand_ins
    BEGIN UPDATE cache_versions SET tasks_version = tasks_version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_hand_ins_delete AFTER DELETE ON hand_ins
    BEGIN UPDATE cache_versions SET tasks_version = tasks_version + 1 WHERE name = 'reference'; END;
