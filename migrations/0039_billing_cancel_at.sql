-- A cancellation the owner scheduled for a date of their own (Stripe's cancel_at) ends the subscription then, not at
-- the period's end: the billing page shows that date. Nullable: no scheduled date, or none known yet.
ALTER TABLE `tenant_billing` ADD `cancel_at` integer;
