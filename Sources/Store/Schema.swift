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
        ("0002-meters-units-readings", """
        -- The supply point a customer is billed for; consumption belongs to it across meter exchanges.
        CREATE TABLE metering_points (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            address TEXT,
            postal_code TEXT,
            city TEXT,
            latitude REAL,
            longitude REAL,
            customer_number TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX metering_points_by_tenant ON metering_points(tenant_id, id);

        CREATE TABLE meters (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            manufacturer TEXT NOT NULL CHECK (length(manufacturer) = 3),
            serial TEXT NOT NULL,
            -- The wireless/wired version and device-type bytes, when known (they tell apart two
            -- meters that share manufacturer and serial).
            wmbus_version INTEGER CHECK (wmbus_version BETWEEN 0 AND 255),
            device_type INTEGER CHECK (device_type BETWEEN 0 AND 255),
            model TEXT,
            medium TEXT NOT NULL CHECK (medium IN ('heat', 'cooling', 'heat-cooling', 'water', 'electricity', 'pressure')),
            -- Comma-separated subset of drive-by, fixed-network, point-to-point, wired-mbus.
            paths TEXT NOT NULL DEFAULT '',
            primary_address INTEGER CHECK (primary_address BETWEEN 0 AND 250),
            secondary_address TEXT,
            lifecycle TEXT NOT NULL CHECK (lifecycle IN ('in-stock', 'installed', 'removed')),
            metering_point_id INTEGER REFERENCES metering_points(id),
            label TEXT,
            -- Normalised info codes of the latest reading, comma-separated; written by ingest only
            -- when they change.
            active_info_codes TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER
        ) STRICT;
        CREATE INDEX meters_by_tenant ON meters(tenant_id, id) WHERE deleted_at IS NULL;
        -- Ingest finds meters by address across the tenants that may use a unit.
        CREATE INDEX meters_by_address ON meters(manufacturer, serial) WHERE deleted_at IS NULL;
        CREATE UNIQUE INDEX meters_unique_address ON meters(tenant_id, manufacturer, serial,
            ifnull(wmbus_version, -1), ifnull(device_type, -1)) WHERE deleted_at IS NULL;

        -- AES-128 meter keys, AES-256-GCM sealed under the master key (nonce || ciphertext || tag).
        CREATE TABLE meter_keys (
            meter_id INTEGER PRIMARY KEY REFERENCES meters(id),
            sealed BLOB NOT NULL,
            source TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE collection_units (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            type TEXT NOT NULL CHECK (type IN ('concentrator', 'concentrator-1m', 'mini-concentrator', '4g-bridge', 'mbus-master', 'field-device')),
            name TEXT NOT NULL,
            capacity INTEGER NOT NULL CHECK (capacity > 0),
            address TEXT,
            latitude REAL,
            longitude REAL,
            description TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER
        ) STRICT;
        CREATE INDEX collection_units_by_tenant ON collection_units(tenant_id, id) WHERE deleted_at IS NULL;

        -- A collector or field-device token speaks for one unit: ingest knows where a telegram came from.
        ALTER TABLE tokens ADD COLUMN collection_unit_id INTEGER REFERENCES collection_units(id);

        -- Tenants other than the owner that a unit's telegrams are processed for.
        CREATE TABLE unit_shares (
            unit_id INTEGER NOT NULL REFERENCES collection_units(id),
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            created_at INTEGER NOT NULL,
            PRIMARY KEY (unit_id, tenant_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX unit_shares_by_tenant ON unit_shares(tenant_id, unit_id);

        -- One-time codes an owner hands to another tenant; stored hashed like tokens.
        CREATE TABLE share_codes (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            unit_id INTEGER NOT NULL REFERENCES collection_units(id),
            hash BLOB NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            redeemed_by INTEGER REFERENCES tenants(id),
            redeemed_at INTEGER,
            revoked_at INTEGER
        ) STRICT;

        -- Which unit hears which meter, how often and how well. Ingest keeps the figures in
        -- memory and writes them in its group-commit transactions.
        CREATE TABLE heard_meters (
            unit_id INTEGER NOT NULL REFERENCES collection_units(id),
            meter_id INTEGER NOT NULL REFERENCES meters(id),
            first_heard INTEGER NOT NULL,
            last_heard INTEGER NOT NULL,
            last_rssi INTEGER,
            rssi_sum INTEGER NOT NULL DEFAULT 0,
            rssi_count INTEGER NOT NULL DEFAULT 0,
            count INTEGER NOT NULL,
            PRIMARY KEY (unit_id, meter_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX heard_meters_by_meter ON heard_meters(meter_id, unit_id);

        -- Telegrams that could not be decoded yet (unknown meter, no key, wrong key), kept with the
        -- reason until the meter or key arrives. tenant_id is NULL when no tenant using the unit
        -- knows the meter (then every such tenant may see it), else the one tenant it belongs to.
        CREATE TABLE pending_telegrams (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            unit_id INTEGER NOT NULL REFERENCES collection_units(id),
            tenant_id INTEGER REFERENCES tenants(id),
            kind TEXT NOT NULL CHECK (kind IN ('wmbus', 'mbus')),
            manufacturer TEXT NOT NULL,
            serial TEXT NOT NULL,
            wmbus_version INTEGER,
            device_type INTEGER,
            frame BLOB NOT NULL,
            received_at INTEGER NOT NULL,
            rssi INTEGER,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX pending_by_address ON pending_telegrams(manufacturer, serial);
        CREATE INDEX pending_by_unit ON pending_telegrams(unit_id, id);

        -- Readings, in two tiers. The log takes new readings in arrival order (appends are the
        -- cheapest write SQLite has: 700k rows/s here, against 97k with an index on meter and
        -- time); its index by meter lives in memory (ReadingLogIndex). A compactor moves log rows
        -- into per-meter blocks (BlockCodec), so history is clustered by meter and costs few bytes
        -- a reading. Times are Unix seconds.
        CREATE TABLE reading_log (
            id INTEGER PRIMARY KEY,
            meter_id INTEGER NOT NULL,
            time INTEGER NOT NULL,
            source INTEGER NOT NULL,
            receptions INTEGER NOT NULL,
            data BLOB NOT NULL
        ) STRICT;
        CREATE TABLE reading_blocks (
            meter_id INTEGER NOT NULL,
            first_time INTEGER NOT NULL,
            last_time INTEGER NOT NULL,
            count INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (meter_id, first_time)
        ) STRICT, WITHOUT ROWID;
        """),
        ("0003-points-customers-groups-events", """
        -- ---- metering points, customers and exchanges ----
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            customer_number TEXT NOT NULL,
            name TEXT,
            phone TEXT,
            email TEXT,
            address TEXT,
            postal_code TEXT,
            city TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX customers_number ON customers(tenant_id, customer_number) WHERE deleted_at IS NULL;
        CREATE INDEX customers_by_tenant ON customers(tenant_id, id) WHERE deleted_at IS NULL;

        ALTER TABLE metering_points ADD COLUMN customer_id INTEGER REFERENCES customers(id);
        ALTER TABLE metering_points ADD COLUMN deleted_at INTEGER;

        -- Which meter served which metering point when: consumption belongs to the point and
        -- follows it across exchanges. removed_at is NULL while the meter is installed. The start
        -- and final register values (ReadingCodec bytes) come from an exchange when it names them.
        -- installed_at, removed_at (and meter_exchanges.exchanged_at) are Unix SECONDS, the clock of
        -- the readings they are compared with; created_at columns are milliseconds as everywhere.
        CREATE TABLE installations (
            id INTEGER PRIMARY KEY,
            metering_point_id INTEGER NOT NULL REFERENCES metering_points(id),
            meter_id INTEGER NOT NULL REFERENCES meters(id),
            installed_at INTEGER NOT NULL,
            removed_at INTEGER,
            start_values BLOB,
            final_values BLOB
        ) STRICT;
        CREATE INDEX installations_by_point ON installations(metering_point_id, installed_at);
        CREATE INDEX installations_by_meter ON installations(meter_id, installed_at);
        INSERT INTO installations (metering_point_id, meter_id, installed_at)
            SELECT metering_point_id, id, created_at / 1000 FROM meters
            WHERE metering_point_id IS NOT NULL AND deleted_at IS NULL;

        CREATE TABLE meter_exchanges (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            metering_point_id INTEGER NOT NULL REFERENCES metering_points(id),
            old_meter_id INTEGER NOT NULL REFERENCES meters(id),
            new_meter_id INTEGER NOT NULL REFERENCES meters(id),
            exchanged_at INTEGER NOT NULL,
            old_final BLOB,
            new_start BLOB,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX meter_exchanges_by_tenant ON meter_exchanges(tenant_id, exchanged_at, id);

        -- ---- groups, priority meters and the map ----
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL COLLATE NOCASE,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX groups_name ON groups(tenant_id, name);
        CREATE TABLE group_members (
            group_id INTEGER NOT NULL REFERENCES groups(id),
            meter_id INTEGER NOT NULL REFERENCES meters(id),
            added_at INTEGER NOT NULL,
            PRIMARY KEY (group_id, meter_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX group_members_by_meter ON group_members(meter_id, group_id);
        -- Priority meters (at most 50 a tenant) get 5-minute data.
        ALTER TABLE meters ADD COLUMN priority_since INTEGER;
        CREATE INDEX meters_priority ON meters(tenant_id, id) WHERE priority_since IS NOT NULL AND deleted_at IS NULL;
        -- The "last-imported" group: the meters an import created or updated, by import number.
        ALTER TABLE meters ADD COLUMN import_number INTEGER;
        ALTER TABLE tenants ADD COLUMN last_import_number INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX groups_by_tenant ON groups(tenant_id, id);
        -- The meter list pages by meter id within a filter; these keep a page of the virtual groups
        -- an index range instead of a scan of the tenant's meters.
        CREATE INDEX meters_last_imported ON meters(tenant_id, import_number, id) WHERE deleted_at IS NULL;
        -- How many groups a meter is in, kept by triggers (whoever writes group_members, e.g. an
        -- exchange carrying groups over): "non-grouped" is then an index range, not a probe a meter.
        ALTER TABLE meters ADD COLUMN group_count INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX meters_non_grouped ON meters(tenant_id, id) WHERE group_count = 0 AND deleted_at IS NULL;
        CREATE TRIGGER group_members_count_in AFTER INSERT ON group_members
            BEGIN UPDATE meters SET group_count = group_count + 1 WHERE id = NEW.meter_id; END;
        CREATE TRIGGER group_members_count_out AFTER DELETE ON group_members
            BEGIN UPDATE meters SET group_count = group_count - 1 WHERE id = OLD.meter_id; END;
        -- A deleted meter leaves its groups, so a group's count is a range of its primary key.
        CREATE TRIGGER meters_deleted_leave_groups AFTER UPDATE OF deleted_at ON meters
            WHEN NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL
            BEGIN DELETE FROM group_members WHERE meter_id = NEW.id; END;

        -- ---- the event feed ----
        -- What happened, in commit order: the single writer assigns ids as it commits, so a reader
        -- never sees a later id before an earlier one (no gaps appear behind a cursor).
        -- One row per new reading, so every byte counts: `type` is EventType's small code, `time`
        -- the commit's Unix milliseconds (as audit_events), `data` the type's compact payload.
        -- Retention prunes the oldest rows but never the newest, so ids are never reused. No index:
        -- a feed reads forward from its cursor in id order and skips other tenants' rows (at most
        -- a bounded number a request), so each new reading costs one append, not two.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL,
            type INTEGER NOT NULL,
            time INTEGER NOT NULL,
            subject_id INTEGER,
            data BLOB
        ) STRICT;
        -- The last event id retention removed: a cursor before it has missed events (410).
        CREATE TABLE event_retention (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pruned_through INTEGER NOT NULL
        ) STRICT;
        INSERT INTO event_retention (id, pruned_through) VALUES (1, 0);
        """),
        ("0004-outbox", """
        -- Everything Fjern sends (e-mail, SMS, webhook calls), queued in the same transaction as
        -- its cause, so a message accepted is sent at least once even across a crash. `message`
        -- is the rendered message as Outbound encodes it: the worker needs nothing else to send
        -- it. Times are Unix milliseconds. state: 0 pending, 1 delivered, 2 failed (permanently).
        -- origin_kind: 1 notification rule, 2 a rule's test, 3 webhook, 4 a rule's daily digest;
        -- origin_id is that rule's or webhook's row id.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            channel INTEGER NOT NULL,
            origin_kind INTEGER NOT NULL,
            origin_id INTEGER NOT NULL,
            recipient TEXT NOT NULL,
            message BLOB NOT NULL,
            state INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            last_attempt_at INTEGER,
            status_message TEXT
        ) STRICT;
        CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 0;
        CREATE INDEX outbox_by_origin ON outbox (tenant_id, origin_kind, origin_id, id);
        CREATE INDEX outbox_by_tenant ON outbox (tenant_id, id);
        -- Every attempt's outcome: 0 delivered, 1 failed and retried later, 2 failed for good.
        CREATE TABLE outbox_attempts (
            outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            time INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            http_status INTEGER,
            message TEXT NOT NULL,
            PRIMARY KEY (outbox_id, attempt)
        ) STRICT, WITHOUT ROWID;
        """),
        ("0008-key-sync", """
        -- Key retrieval from a key server (one configuration per tenant). The bearer token is
        -- sealed like meter keys (AES-256-GCM, authenticated with the tenant's row id). `cursor`
        -- is where the next run continues. interval_minutes NULL: no scheduled runs.
        CREATE TABLE key_sync_settings (
            tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id),
            base_url TEXT NOT NULL,
            token_sealed BLOB,
            client_certificate_path TEXT,
            client_key_path TEXT,
            interval_minutes INTEGER,
            verify_peer INTEGER NOT NULL DEFAULT 1,
            ca_file TEXT,
            cursor TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at INTEGER NOT NULL
        ) STRICT;
        -- One row per run; the partial unique index allows one running run per tenant. trigger:
        -- manual or schedule; state: running, succeeded, failed. Times are Unix milliseconds.
        CREATE TABLE key_sync_runs (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            trigger TEXT NOT NULL,
            state TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            received INTEGER NOT NULL DEFAULT 0,
            created INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            start_cursor TEXT,
            cursor TEXT,
            error TEXT
        ) STRICT;
        CREATE UNIQUE INDEX key_sync_running ON key_sync_runs (tenant_id) WHERE state = 'running';
        CREATE INDEX key_sync_runs_by_tenant ON key_sync_runs (tenant_id, id);
        -- The first rejected entries of a run, with their reasons.
        CREATE TABLE key_sync_run_errors (
            run_id INTEGER NOT NULL REFERENCES key_sync_runs(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            serial TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (run_id, n)
        ) STRICT, WITHOUT ROWID;
        """),
    ]
}
