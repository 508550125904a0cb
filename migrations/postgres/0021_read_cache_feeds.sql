-- Calendar feed addresses join the read cache; see migrations/sqlite/0021_read_cache_feeds.sql.
CREATE TRIGGER cache_calendar_feeds AFTER INSERT OR UPDATE OR DELETE ON calendar_feeds
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
