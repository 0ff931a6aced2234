-- Deal imports (issue 14): the pipeline a deals file's stage names belong to. The import kinds and
-- import_records.entity_type are TypeScript enums only, so "deals" and "deal" need no change here.
ALTER TABLE `import_jobs` ADD `pipeline_id` integer;
