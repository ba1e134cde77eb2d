-- The first-run setup is offered on a new database only: one already in use counts as set up.

INSERT INTO settings (key, value)
SELECT 'set_up', '1'
WHERE EXISTS (SELECT 1 FROM incidents)
   OR EXISTS (SELECT 1 FROM people)
   OR EXISTS (SELECT 1 FROM settings WHERE key IN ('organisation', 'user_name') AND value <> '');
