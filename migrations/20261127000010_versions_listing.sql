-- The library list, its count and its filter menus read five columns of each
-- source's latest version. From the table that meant one page per version (a
-- row carries its blocks and text): 10,329 pages, 45 MB of page cache, for a
-- list of 10,000 sources. This covering index answers them from ~800 pages.
CREATE INDEX versions_listing ON versions (source_id, seq, title, site_name, lang, dir, published_at);
