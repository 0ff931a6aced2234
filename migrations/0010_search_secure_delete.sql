-- Custom migration (drizzle-kit does not manage FTS5 tables).
-- Erasure must leave no trace: by default FTS5 deletes a document by adding a delete marker, and the
-- deleted text's tokens stay in the index's segments (contacts_fts_data) until a merge happens to
-- rewrite them. With secure-delete on, a delete removes the document's entries from the segments at
-- once, so an erased contact, or an erased workspace's tenant token, is gone from the index too.
INSERT INTO `contacts_fts` (`contacts_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
-- Once, for what was deleted before this migration: rewrite the index without deleted entries.
INSERT INTO `contacts_fts` (`contacts_fts`) VALUES ('optimize');
