-- Customers are homed in a region (issue 21): their orders and personal data are written only there, and the tokens
-- the gateway issues for them name it (the region claim). The accounts that existed before regions are homed in this
-- gateway's region, which Flyway puts in for ${region} (polystore.region.name).
ALTER TABLE account ADD COLUMN home_region text;
UPDATE account SET home_region = '${region}';
ALTER TABLE account ALTER COLUMN home_region SET NOT NULL;
