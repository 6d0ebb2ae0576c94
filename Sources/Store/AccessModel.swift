/// Roles and permissions: the catalogue, the defaults every new tenant starts with, and which
/// parts an administrator may change. Plain data, shared by the store and the App's checks.
public enum AccessModel {
    public static let humanPermissions = [
        "view", "export", "import", "configure", "create", "edit", "delete", "rename", "disconnect",
        "manage-users", "manage-tokens", "manage-permissions", "view-audit",
    ]
    public static let machinePermissions = ["ingest", "sync", "read-keys"]
    public static let catalogue = humanPermissions + machinePermissions

    public static let humanRoles = ["user", "superuser", "administrator"]
    public static let machineRoles = ["collector", "field-device"]
    public static let roles = humanRoles + machineRoles
    /// Only these roles' permissions can be changed, and only by an administrator.
    public static let editableRoles = ["user", "superuser"]

    /// What an administrator may grant to an editable role: any human permission except the
    /// power to change permissions, which stays with administrators.
    public static let grantable = humanPermissions.filter { $0 != "manage-permissions" }

    /// Roles whose permissions are fixed in code.
    public static func fixedPermissions(of role: String) -> [String]? {
        switch role {
        case "administrator": humanPermissions
        case "collector": ["ingest"]
        // A drive-by unit uploads what it read (ingest); read-keys is granted per device (token
        // key access), on top of the role.
        case "field-device": ["sync", "ingest"]
        default: nil
        }
    }
}

enum DefaultPermissions {
    /// The product's defaults: a user views and exports; a superuser also changes data.
    static let editable: [(String, [String])] = [
        ("user", ["view", "export"]),
        ("superuser", ["view", "export", "import", "configure", "create", "edit", "delete", "rename", "disconnect"]),
    ]
}
