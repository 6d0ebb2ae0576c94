internal import HTTPServer

/// `fjern` subcommands. The executable hands `CommandLine.arguments` here and exits with the result.
public enum CommandLineInterface {
    public static let usage = """
        fjern \(BuildInfo.version): head-end and meter-data server for remotely read meters

        Usage:
          fjern serve [--addr HOST:PORT] [--data-dir DIR] [--log-requests on|off] [--event-loops N]
                      [--handlers auto|pool|loop] [--shutdown-grace SECONDS] [limits below]
          fjern admin bootstrap --data-dir DIR --tenant NAME [--time-zone ZONE] [--admin-name NAME] [--admin-email EMAIL]
          fjern admin token create --data-dir DIR --tenant NAME --role ROLE --name NAME [--expires-in-days N]
          fjern backup --data-dir DIR --to FILE
          fjern decode [--key HEX] [--assume-decrypted] [--prior HEX ...] HEX   (or --jsonl; decode --help)
          fjern simulate provision|run|bench ...   a simulated meter network over the API (simulate --help)
          fjern --version
          fjern --help

        serve options (environment variables in brackets):
          --addr HOST:PORT        listen address; [::1]:8080 for IPv6   [FJERN_ADDR]     default 127.0.0.1:8080
          --data-dir DIR          database and key files                [FJERN_DATA_DIR] default ./data
          --log-requests on|off   one JSON log line per request         [FJERN_LOG_REQUESTS] default on
          --event-loops N         epoll threads                         [FJERN_EVENT_LOOPS] default: one per core
          --handlers MODE         where handlers run: auto (bodies over 64 KiB on the worker pool,
                                  the rest on their event loop), pool, or loop
                                                                [FJERN_HANDLERS] default auto
          --shutdown-grace S      seconds in-flight requests get after SIGTERM            default 10
          meter keys are sealed under [FJERN_MASTER_KEY] (64 hex digits), or else under a random
          key kept in DIR/master.key (0600, created on first start): back it up with the database.

        limits (beyond them: 503 + Retry-After, 413, 408):
          --max-connections N     open connections                      [FJERN_MAX_CONNECTIONS] default 10000
          --max-in-flight N       requests being handled at once        [FJERN_MAX_IN_FLIGHT] default 4096
          --max-body-bytes N      default request body limit            [FJERN_MAX_BODY_BYTES] default 16777216
          --request-head-timeout S  to receive a request head           [FJERN_REQUEST_HEAD_TIMEOUT] default 10
          --idle-timeout S        keep-alive connection without a request [FJERN_IDLE_TIMEOUT] default 60
          --auth-slow-after N     failed authentications per address and minute before answers slow down
                                  [FJERN_AUTH_SLOW_AFTER] default 5
          --auth-block-after N    ... before they are refused with 429 [FJERN_AUTH_BLOCK_AFTER] default 20
          --max-streams N         event streams open at once            [FJERN_MAX_STREAMS] default 256
          --event-retention-days D  days the event feed keeps events    [FJERN_EVENT_RETENTION_DAYS] default 7

        admin: bootstrap creates a tenant with an administrator and prints only that administrator's
        token on stdout (it refuses when the tenant exists); token create prints a new service token
        (ROLE: user, superuser, administrator, collector, field-device). backup writes a consistent
        copy of the database, safe while the server runs.

        The API contract is served at /openapi.yaml.
        """

    public static func run(_ arguments: [String], environment: [String: String]) async -> Int32 {
        let args = Array(arguments.dropFirst())
        guard let command = args.first else {
            printError(usage)
            return 2
        }
        let rest = Array(args.dropFirst())
        switch command {
        case "--help", "-h", "help":
            print(usage)
            return 0
        case "--version", "version":
            print("fjern \(BuildInfo.version) (\(BuildInfo.configuration), \(BuildInfo.compiler))")
            return 0
        case "serve":
            let options: ServeOptions
            do {
                options = try ServeOptions.parse(rest, environment: environment)
            } catch {
                printError("fjern serve: \(error)\n\n\(usage)")
                return 2
            }
            return await Application.serve(options: options)
        case "admin", "backup":
            return await AdminCommands.run(command, rest, environment: environment)
        case "decode":
            return DecodeCommand.run(rest, readLine: { Swift.readLine() }, write: { StandardOutput.write($0) },
                                     writeError: { printError($0) })
        case "simulate":
            return SimulateCommand.run(rest, environment: environment)
        default:
            printError("fjern: unknown command '\(command)'\n\n\(usage)")
            return 2
        }
    }

    static func printError(_ text: String) {
        StandardErrorLog().write(Array((text + "\n").utf8))
    }
}
