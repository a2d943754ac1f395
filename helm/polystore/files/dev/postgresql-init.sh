#!/usr/bin/env bash
# The roles and databases Polystore's services expect, on the try-out PostgreSQL (dev.enabled). The postgres image runs
# it once, when it initialises its data directory; it is idempotent (roles get their passwords again, missing databases
# are created), so it may run again. Connection: the usual libpq variables (PGHOST, PGPORT, PGPASSWORD) or the
# image's local socket, as POSTGRES_USER.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  --set=orders_db="$POLYSTORE_ORDERS_DATABASE" \
  --set=orders_user="$POLYSTORE_ORDERS_USERNAME" \
  --set=orders_password="$POLYSTORE_ORDERS_PASSWORD" \
  --set=relay_user="$POLYSTORE_RELAY_USERNAME" \
  --set=relay_password="$POLYSTORE_RELAY_PASSWORD" \
  --set=sync_db="$POLYSTORE_SYNC_DATABASE" \
  --set=sync_user="$POLYSTORE_SYNC_USERNAME" \
  --set=sync_password="$POLYSTORE_SYNC_PASSWORD" \
  --set=audit_db="$POLYSTORE_AUDIT_DATABASE" \
  --set=audit_user="$POLYSTORE_AUDIT_USERNAME" \
  --set=audit_password="$POLYSTORE_AUDIT_PASSWORD" \
  --set=gateway_db="$POLYSTORE_GATEWAY_DATABASE" \
  --set=gateway_user="$POLYSTORE_GATEWAY_USERNAME" \
  --set=gateway_password="$POLYSTORE_GATEWAY_PASSWORD" <<'SQL'
-- Roles: created if missing, then given their attributes and passwords.
SELECT format('CREATE ROLE %I', name)
  FROM (VALUES (:'orders_user'), (:'relay_user'), (:'sync_user'), (:'audit_user'), (:'gateway_user')) AS role(name)
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'orders_user', :'orders_password') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'sync_user', :'sync_password') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'gateway_user', :'gateway_password') \gexec
-- sync-service's relay reads order-service's WAL (REPLICATION) and creates the publication of the outbox table, which
-- takes the table's owner: the orders role, whose privileges it inherits. CREATEROLE: the federation creates its
-- read-only role and grants it columns of the orders tables at start-up.
SELECT format('ALTER ROLE %I LOGIN REPLICATION CREATEROLE PASSWORD %L', :'relay_user', :'relay_password') \gexec
SELECT format('GRANT %I TO %I', :'orders_user', :'relay_user') WHERE :'orders_user' <> :'relay_user' \gexec
-- audit-service's schema owner creates and grants its restricted application role.
SELECT format('ALTER ROLE %I LOGIN CREATEROLE PASSWORD %L', :'audit_user', :'audit_password') \gexec

-- Databases, each owned by its service's role.
SELECT format('CREATE DATABASE %I OWNER %I', db, owner)
  FROM (VALUES (:'orders_db', :'orders_user'), (:'sync_db', :'sync_user'), (:'audit_db', :'audit_user'),
               (:'gateway_db', :'gateway_user')) AS database(db, owner)
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = db) \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', db, owner)
  FROM (VALUES (:'orders_db', :'orders_user'), (:'sync_db', :'sync_user'), (:'audit_db', :'audit_user'),
               (:'gateway_db', :'gateway_user')) AS database(db, owner) \gexec
-- Each database is its owner's (and its members'): no CONNECT for PUBLIC.
SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', db)
  FROM (VALUES (:'orders_db'), (:'sync_db'), (:'audit_db'), (:'gateway_db')) AS database(db) \gexec
SQL
