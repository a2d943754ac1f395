-- The gateway's own data: the people who sign in (accounts, their roles, their sign-in failures), the OAuth2 clients,
-- and the audit events of account changes waiting to be relayed to Kafka.

-- Usernames are lower case (the registration refuses anything else), so the primary key is also case-blind.
CREATE TABLE account (
    username        text        PRIMARY KEY CHECK (username = lower(username)),
    password_hash   text        NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    -- Failed sign-ins since failures_since; at the limit the account is locked until locked_until.
    failed_sign_ins integer     NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    failures_since  timestamptz,
    locked_until    timestamptz
);

CREATE TABLE account_role (
    username text NOT NULL REFERENCES account (username) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('CUSTOMER', 'CATALOG_MANAGER', 'ORDER_MANAGER', 'AUDITOR', 'ADMIN')),
    PRIMARY KEY (username, role)
);

CREATE INDEX account_role_by_role ON account_role (role);

-- Spring Authorization Server's table of registered clients (JdbcRegisteredClientRepository), its timestamps as
-- timestamptz as it advises for PostgreSQL.
CREATE TABLE oauth2_registered_client (
    id                            varchar(100)  NOT NULL PRIMARY KEY,
    client_id                     varchar(100)  NOT NULL UNIQUE,
    client_id_issued_at           timestamptz   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    client_secret                 varchar(200),
    client_secret_expires_at      timestamptz,
    client_name                   varchar(200)  NOT NULL,
    client_authentication_methods varchar(1000) NOT NULL,
    authorization_grant_types     varchar(1000) NOT NULL,
    redirect_uris                 varchar(1000),
    post_logout_redirect_uris     varchar(1000),
    scopes                        varchar(1000) NOT NULL,
    client_settings               varchar(2000) NOT NULL,
    token_settings                varchar(2000) NOT NULL
);

-- AccountChanged events, written in the transaction of the change and deleted once Kafka has them: an account change
-- is never without its audit record, also while Kafka is down.
CREATE TABLE account_event (
    id         uuid        PRIMARY KEY,
    envelope   bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
