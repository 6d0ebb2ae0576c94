internal import HTTPServer

/// `fjern` subcommands. The executable hands `CommandLine.arguments` here and exits with the result.
public enum CommandLineInterface {
    public static let usage = """
        fjern \(BuildInfo.version): head-end and meter-data server for remotely read meters

        Usage:
          fjern serve [--addr HOST:PORT] [--data-dir DIR] [--log-requests on|off] [--event-loops N]
                      [--handlers auto|pool|loop] [--shutdown-grace SECONDS] [limits below]
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

        limits (beyond them: 503 + Retry-After, 413, 408):
          --max-connections N     open connections                      [FJERN_MAX_CONNECTIONS] default 10000
          --max-in-flight N       requests being handled at once        [FJERN_MAX_IN_FLIGHT] default 4096
          --max-body-bytes N      default request body limit            [FJERN_MAX_BODY_BYTES] default 16777216
          --request-head-timeout S  to receive a request head           [FJERN_REQUEST_HEAD_TIMEOUT] default 10
          --idle-timeout S        keep-alive connection without a request [FJERN_IDLE_TIMEOUT] default 60

        The API contract is served at /openapi.yaml.
        """

    public static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        let args = Array(arguments.dropFirst())
        switch args.first {
        case "--help", "-h", "help":
            print(usage)
            return 0
        case "--version", "version":
            print("fjern \(BuildInfo.version) (\(BuildInfo.configuration), \(BuildInfo.compiler))")
            return 0
        case "serve":
            do {
                let options = try ServeOptions.parse(Array(args.dropFirst()), environment: environment)
                return Application.serve(options: options)
            } catch {
                printError("fjern serve: \(error.description)\n\n\(usage)")
                return 2
            }
        case nil:
            printError(usage)
            return 2
        case let command?:
            printError("fjern: unknown command '\(command)'\n\n\(usage)")
            return 2
        }
    }

    private static func printError(_ text: String) {
        StandardErrorLog().write(Array((text + "\n").utf8))
    }
}
