#!/usr/bin/env bash
# Run once by the postgres image, on an empty data volume (/docker-entrypoint-initdb.d): one database and one owner
# role per service that keeps data in PostgreSQL, with the passwords from the environment (.env). Every database
# is closed to other roles (no CONNECT for PUBLIC).
#
#   orders        owned by orders (order-service: its tables, migrated by Flyway at start-up)
#   sync          owned by sync (sync-service: relay cursors, reconciliation runs)
#   audit         owned by audit (audit-service's schema owner; CREATEROLE, because audit-service creates its
#                 restricted application role at start-up and sets that role's password)
#   orders_relay  sync-service's CDC relay on the orders database: REPLICATION to stream the WAL, and member of
#                 orders, because a publication on the outbox table may only be created by the table's owner
#                 (reconciliation reads the orders through the same role, read-only); CREATEROLE, because the
#                 federation creates its read-only role with column grants at start-up
#   gateway       owned by gateway (the gateway: people's accounts, OAuth2 clients, account events; Flyway)
#
# The same script runs against the tests' PostgreSQL (deployment-tests), with PGHOST/PGPORT/PGPASSWORD set.
# No -u: the postgres image sources the script when it is not executable, into its own shell.
set -eo pipefail

psql --no-psqlrc --set ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    --set orders_password="${ORDERS_DB_PASSWORD:?ORDERS_DB_PASSWORD is not set}" \
    --set orders_relay_password="${ORDERS_RELAY_DB_PASSWORD:?ORDERS_RELAY_DB_PASSWORD is not set}" \
    --set sync_password="${SYNC_DB_PASSWORD:?SYNC_DB_PASSWORD is not set}" \
    --set audit_password="${AUDIT_DB_PASSWORD:?AUDIT_DB_PASSWORD is not set}" \
    --set gateway_password="${GATEWAY_DB_PASSWORD:?GATEWAY_DB_PASSWORD is not set}" <<'SQL'
CREATE ROLE orders LOGIN PASSWORD :'orders_password';
CREATE ROLE orders_relay LOGIN REPLICATION CREATEROLE PASSWORD :'orders_relay_password' IN ROLE orders;
CREATE ROLE sync LOGIN PASSWORD :'sync_password';
CREATE ROLE audit LOGIN CREATEROLE PASSWORD :'audit_password';
CREATE ROLE gateway LOGIN PASSWORD :'gateway_password';

CREATE DATABASE orders OWNER orders;
CREATE DATABASE sync OWNER sync;
CREATE DATABASE audit OWNER audit;
CREATE DATABASE gateway OWNER gateway;
REVOKE CONNECT, TEMPORARY ON DATABASE orders, sync, audit, gateway FROM PUBLIC;
SQL
