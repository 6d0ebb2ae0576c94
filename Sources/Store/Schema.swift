/// The database schema as ordered migrations; applied at start-up before the listener opens.
/// Never edit a released migration: add a new one.
enum Schema {
    static let migrations: [(id: String, sql: String)] = [
        ("0001-access", """
        CREATE TABLE tenants (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            time_zone TEXT NOT NULL,
            max_metering_points INTEGER NOT NULL DEFAULT 100000,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL,
            email TEXT NOT NULL COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('user', 'superuser', 'administrator')),
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER
        ) STRICT;
        -- Deleted users keep their row (audit events and tokens name them); e-mails are unique among the living.
        CREATE UNIQUE INDEX users_email ON users(tenant_id, email) WHERE deleted_at IS NULL;
        CREATE INDEX users_by_tenant ON users(tenant_id, id);

        CREATE TABLE tokens (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            user_id INTEGER REFERENCES users(id),
            -- A person's token acts with its user's current role; a service token (billing system,
            -- concentrator, field device) carries its own.
            role TEXT CHECK (role IN ('user', 'superuser', 'administrator', 'collector', 'field-device')),
            name TEXT NOT NULL,
            hash BLOB NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            key_access INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            revoked_at INTEGER,
            last_used_at INTEGER,
            CHECK ((user_id IS NULL) <> (role IS NULL)),
            CHECK (key_access = 0 OR role = 'field-device')
        ) STRICT;
        CREATE INDEX tokens_by_tenant ON tokens(tenant_id, id);

        -- Only the editable roles (user, superuser) are stored; the others are fixed in code.
        CREATE TABLE role_permissions (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            role TEXT NOT NULL CHECK (role IN ('user', 'superuser')),
            permissions TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (tenant_id, role)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE audit_events (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER REFERENCES tenants(id),
            time INTEGER NOT NULL,
            type TEXT NOT NULL,
            principal TEXT NOT NULL,
            user_public_id TEXT,
            token_public_id TEXT,
            client TEXT NOT NULL,
            target TEXT,
            details TEXT
        ) STRICT;
        CREATE INDEX audit_by_tenant ON audit_events(tenant_id, id);
        CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

        CREATE TABLE idempotency_keys (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            token_public_id TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash BLOB NOT NULL,
            status INTEGER NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, token_public_id, key)
        ) STRICT, WITHOUT ROWID;
        """),
    ]
}
