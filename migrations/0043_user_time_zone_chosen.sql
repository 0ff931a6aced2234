-- Whether a user chose their time zone on the profile: choosing "the workspace's" stores a null time_zone, which
-- alone cannot tell from never having chosen, so a sign-in would put the browser's zone back. Null: never chosen.
ALTER TABLE `users` ADD `time_zone_chosen_at` integer;
