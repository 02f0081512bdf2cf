-- How each version's text was derived from its capture (issue 9.4, 9.5).
--
-- `extractor`: the id of the extractor that produced the text
-- (`extract::EXTRACTOR`). Versions stored before this column existed get
-- NULL, read as "unknown": we cannot tell which build of the extractor made
-- them, so `redline reextract` treats them as older than any current one.
--
-- `low_confidence`: why the extraction may have missed the article
-- ('empty', 'shortOfPage', 'mostlyLinks'), NULL when it looked sound. The
-- reader shows a mark and offers the page as captured.
ALTER TABLE versions ADD COLUMN extractor TEXT;
ALTER TABLE versions ADD COLUMN low_confidence TEXT
    CHECK (low_confidence IN ('empty', 'shortOfPage', 'mostlyLinks'));
