-- Tillit schema, version 6: each service assessment keeps its risk level and
-- the rating of its highest residual risk beside the JSON they come from, so
-- the overview's risk picture reads a small index instead of every
-- assessment's risks. The core writes them with the JSON; rows stored before
-- this version are filled in by the upgrade (store::migrate), recorded in the
-- audit trail like any other change.
ALTER TABLE service_assessment ADD COLUMN risk_level TEXT;
ALTER TABLE service_assessment ADD COLUMN residual_likelihood INTEGER;
ALTER TABLE service_assessment ADD COLUMN residual_impact INTEGER;

CREATE INDEX service_assessment_picture
    ON service_assessment (assessment_id, service_id, risk_level, residual_likelihood, residual_impact);
