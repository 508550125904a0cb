-- dialect: own (PostgreSQL's triggers are written by hand in migrations/postgres).
-- The read cache (app::cache): what pages read on every request and admins change rarely (the
-- people and their roles, classes, the calendar, bells, subjects, the weekly lessons) is kept in
-- each server process. Every write to those tables bumps one version number, by trigger, so no
-- code path (an import, the seeder, a hand-written UPDATE) can leave a replica serving a stale
-- copy: each request reads the version first and drops copies taken under an older one.
CREATE TABLE cache_versions (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO cache_versions (name, version) VALUES ('reference', 1);
CREATE TRIGGER cache_schools_insert AFTER INSERT ON schools
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_schools_update AFTER UPDATE ON schools
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_schools_delete AFTER DELETE ON schools
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_users_insert AFTER INSERT ON users
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_users_update AFTER UPDATE ON users
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_users_delete AFTER DELETE ON users
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_role_grants_insert AFTER INSERT ON role_grants
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_role_grants_update AFTER UPDATE ON role_grants
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_role_grants_delete AFTER DELETE ON role_grants
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_classes_insert AFTER INSERT ON classes
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_classes_update AFTER UPDATE ON classes
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_classes_delete AFTER DELETE ON classes
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_enrolments_insert AFTER INSERT ON enrolments
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_enrolments_update AFTER UPDATE ON enrolments
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_enrolments_delete AFTER DELETE ON enrolments
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_parent_links_insert AFTER INSERT ON parent_links
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_parent_links_update AFTER UPDATE ON parent_links
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_parent_links_delete AFTER DELETE ON parent_links
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_subjects_insert AFTER INSERT ON subjects
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_subjects_update AFTER UPDATE ON subjects
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_subjects_delete AFTER DELETE ON subjects
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_school_calendar_insert AFTER INSERT ON school_calendar
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_school_calendar_update AFTER UPDATE ON school_calendar
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_school_calendar_delete AFTER DELETE ON school_calendar
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_academic_terms_insert AFTER INSERT ON academic_terms
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_academic_terms_update AFTER UPDATE ON academic_terms
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_academic_terms_delete AFTER DELETE ON academic_terms
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_bell_periods_insert AFTER INSERT ON bell_periods
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_bell_periods_update AFTER UPDATE ON bell_periods
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_bell_periods_delete AFTER DELETE ON bell_periods
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lessons_insert AFTER INSERT ON lessons
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lessons_update AFTER UPDATE ON lessons
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_lessons_delete AFTER DELETE ON lessons
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
