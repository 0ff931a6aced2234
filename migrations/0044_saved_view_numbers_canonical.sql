-- Whether a saved view's numbers are plain decimals ("1234.5"), which each reader's links write in their format.
-- Views saved before keep numbers as their saver typed them ("1.234", 1234 in de): read as plain decimals, a de
-- reader's link would say "1,234", a thousandth. They keep 0 and pass through as typed; saving one again sets 1.
ALTER TABLE `saved_views` ADD `numbers_canonical` integer DEFAULT false NOT NULL;
