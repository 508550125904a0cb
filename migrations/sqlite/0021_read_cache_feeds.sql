-- dialect: own (PostgreSQL's trigger is written by hand in migrations/postgres).
-- Calendar feed addresses join the read cache (app::cache): the timetable page shows the viewer's
-- address, and feeds change only when someone makes or turns off theirs.
CREATE TRIGGER cache_calendar_feeds_insert AFTER INSERT ON calendar_feeds
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_calendar_feeds_update AFTER UPDATE ON calendar_feeds
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
CREATE TRIGGER cache_calendar_feeds_delete AFTER DELETE ON calendar_feeds
    BEGIN UPDATE cache_versions SET version = version + 1 WHERE name = 'reference'; END;
