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
        ("0005-info-codes", """
        -- Info-code occurrences: one row per meter and normalised code from the reading that raised
        -- it to the reading that cleared it. Times are reading times, Unix seconds (as
        -- reading_log). raw_bits: the meter's info-code register at the raise; bits: which bits
        -- of the map raised this code (a mask). last_seen: the last reading that carried the code;
        -- while active it stays the raise time, and readers use the meter's latest reading
        -- instead (ingest writes a row only when a code comes or goes). Written by ReadingWriter
        -- in the ingest transaction, beside the info-code.raised / cleared events.
        CREATE TABLE info_code_occurrences (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            meter_id INTEGER NOT NULL REFERENCES meters(id),
            code TEXT NOT NULL,
            raw_bits INTEGER,
            bits INTEGER NOT NULL DEFAULT 0,
            raised_at INTEGER NOT NULL,
            cleared_at INTEGER,
            last_seen INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX info_code_occurrences_by_tenant ON info_code_occurrences (tenant_id, raised_at, id);
        CREATE INDEX info_code_occurrences_by_meter ON info_code_occurrences (meter_id, raised_at);
        CREATE UNIQUE INDEX info_code_occurrences_active ON info_code_occurrences (meter_id, code) WHERE cleared_at IS NULL;

        -- Codes active before this migration become occurrences raised at the meter's latest
        -- reading (their real start is unknown).
        WITH RECURSIVE split(meter, tenant, rest, code) AS (
            SELECT id, tenant_id, active_info_codes || ',', NULL FROM meters WHERE active_info_codes <> ''
            UNION ALL
            SELECT meter, tenant, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)
            FROM split WHERE rest <> ''
        ), latest(meter, time) AS (
            SELECT m.id, coalesce((SELECT max(time) FROM reading_log WHERE meter_id = m.id),
                                  (SELECT max(last_time) FROM reading_blocks WHERE meter_id = m.id), m.updated_at / 1000)
            FROM meters m WHERE m.active_info_codes <> ''
        )
        INSERT INTO info_code_occurrences (public_id, tenant_id, meter_id, code, raised_at, last_seen)
        SELECT lower(substr(u, 1, 8) || '-' || substr(u, 9, 4) || '-4' || substr(u, 14, 3) || '-' ||
                     substr('89ab', 1 + (abs(random()) % 4), 1) || substr(u, 18, 3) || '-' || substr(u, 21, 12)),
               s.tenant, s.meter, s.code, l.time, l.time
        FROM (SELECT hex(randomblob(16)) AS u, * FROM split WHERE code IS NOT NULL AND code <> '') s
        JOIN latest l ON l.meter = s.meter;
        """),
        ("0006-alerts-webhooks", """
        -- Consumption alerts: a limit on a cumulative register's consumption per calendar period
        -- (tenant's zone), over one meter or a group resolved when evaluated. register: Metering's
        -- Register raw value; starts_at/ends_at: Unix seconds; period: hour, day, week, month.
        CREATE TABLE consumption_alerts (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL,
            register INTEGER NOT NULL,
            limit_value REAL NOT NULL,
            period TEXT NOT NULL CHECK (period IN ('hour', 'day', 'week', 'month')),
            meter_id INTEGER REFERENCES meters(id),
            group_ref TEXT,
            starts_at INTEGER NOT NULL,
            ends_at INTEGER,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            CHECK ((meter_id IS NULL) <> (group_ref IS NULL))
        ) STRICT;
        CREATE INDEX consumption_alerts_by_tenant ON consumption_alerts(tenant_id, id);
        -- The membership triggers ask whether any group alert exists: one index probe, not a scan.
        CREATE INDEX consumption_alerts_groups ON consumption_alerts(id) WHERE group_ref IS NOT NULL;
        -- Per monitored meter, written only when its state changes (a trigger, a reset); a meter
        -- without a row is `active`. state: 0 active, 1 triggered, 2 reset. period_start (Unix s)
        -- is the period that last triggered: at most one trigger per period.
        CREATE TABLE consumption_alert_meters (
            alert_id INTEGER NOT NULL REFERENCES consumption_alerts(id) ON DELETE CASCADE,
            meter_id INTEGER NOT NULL,
            state INTEGER NOT NULL,
            period_start INTEGER,
            consumption REAL,
            triggered_at INTEGER,
            reset_at INTEGER,
            PRIMARY KEY (alert_id, meter_id)
        ) STRICT, WITHOUT ROWID;
        -- Bumped by every change that can alter what the alert evaluator holds in memory (alerts,
        -- group membership, virtual groups, time zones); it reloads when the number moved.
        CREATE TABLE consumption_alert_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), epoch INTEGER NOT NULL) STRICT;
        INSERT INTO consumption_alert_epoch (id, epoch) VALUES (1, 0);
        CREATE TRIGGER alert_epoch_alert_insert AFTER INSERT ON consumption_alerts
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;
        CREATE TRIGGER alert_epoch_alert_update AFTER UPDATE ON consumption_alerts
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;
        CREATE TRIGGER alert_epoch_alert_delete AFTER DELETE ON consumption_alerts
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;
        CREATE TRIGGER alert_epoch_zone AFTER UPDATE OF time_zone, last_import_number ON tenants
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;
        -- Membership only matters while a group alert exists.
        CREATE TRIGGER alert_epoch_member_insert AFTER INSERT ON group_members
            WHEN EXISTS (SELECT 1 FROM consumption_alerts WHERE group_ref IS NOT NULL)
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;
        CREATE TRIGGER alert_epoch_member_delete AFTER DELETE ON group_members
            WHEN EXISTS (SELECT 1 FROM consumption_alerts WHERE group_ref IS NOT NULL)
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;
        CREATE TRIGGER alert_epoch_meter_insert AFTER INSERT ON meters
            WHEN EXISTS (SELECT 1 FROM consumption_alerts WHERE group_ref IS NOT NULL)
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;
        CREATE TRIGGER alert_epoch_meter_update AFTER UPDATE OF import_number, priority_since, deleted_at ON meters
            WHEN EXISTS (SELECT 1 FROM consumption_alerts WHERE group_ref IS NOT NULL)
            BEGIN UPDATE consumption_alert_epoch SET epoch = epoch + 1; END;

        -- Webhooks: `cursor` is the last event id the dispatcher handled for this webhook (it
        -- starts at the newest event when the webhook is created); `sealed_secret` is the signing
        -- key sealed with the master key. event_types: comma-separated feed type names.
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            url TEXT NOT NULL,
            event_types TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            description TEXT NOT NULL DEFAULT '',
            sealed_secret BLOB NOT NULL,
            cursor INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX webhooks_by_tenant ON webhooks(tenant_id, id);
        """),
        ("0007-notifications", """
        -- A tenant's notification channels. The non-secret settings are JSON (`email`, `sms`);
        -- the secrets (SMTP password, the gateway's header values) are sealed with the master
        -- key (AES-256-GCM, bound to the tenant and channel) and never leave the server.
        CREATE TABLE notification_channels (
            tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id),
            email TEXT,
            email_secret BLOB,
            sms TEXT,
            sms_secret BLOB,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at INTEGER NOT NULL
        ) STRICT;
        -- Who is told what. channel: 1 e-mail, 2 SMS (OutboxChannel). group_ref: a virtual group's
        -- name or a group's public id (a deleted group matches nothing). info_codes:
        -- comma-separated normalised codes, NULL for every code. digest_minute: minutes after
        -- local midnight of the daily digest, NULL for none; digest_next_at: when it is next due
        -- (Unix ms), so a digest missed while the server was down goes out once at start.
        -- AUTOINCREMENT: outbox rows name their rule by row id and outlive it; a new rule must
        -- never inherit a deleted one's delivery log.
        CREATE TABLE notification_rules (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            public_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            channel INTEGER NOT NULL,
            recipient TEXT NOT NULL,
            active INTEGER NOT NULL,
            subject TEXT,
            group_ref TEXT NOT NULL,
            info_codes TEXT,
            consumption_alerts INTEGER NOT NULL,
            immediately INTEGER NOT NULL,
            digest_minute INTEGER,
            digest_next_at INTEGER,
            version INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX notification_rules_by_tenant ON notification_rules (tenant_id, id);
        CREATE INDEX notification_rules_digest_due ON notification_rules (digest_next_at) WHERE digest_next_at IS NOT NULL;
        -- How far the notifier has read the event feed (an event id); it starts at the newest
        -- event, so history is not sent out when notifications are introduced.
        CREATE TABLE notifier_position (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            after_event INTEGER NOT NULL
        ) STRICT;
        INSERT INTO notifier_position (id, after_event) SELECT 1, ifnull(max(id), 0) FROM events;
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
