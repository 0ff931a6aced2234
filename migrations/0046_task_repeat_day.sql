-- A monthly series' day of the month, so one on the 31st that falls on the 30th or the 28th comes back to the 31st
-- (and a yearly one from 29 February to the 29th in leap years), however many months it repeats by. Left null for
-- existing tasks: completing one reads the day from its due date and the task it was made from, as before, and
-- writes it on the next one.
ALTER TABLE `tasks` ADD `repeat_day` integer;
