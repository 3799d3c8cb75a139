-- Sales activity is a small share of all touches, but the funnel's SLA check reads all of it:
-- a partial index lets that read skip the marketing touches (95% of a large workspace).
CREATE INDEX touches_sales_by_person ON touches (person_id, occurred_at, id) WHERE kind = 'sales_activity';
