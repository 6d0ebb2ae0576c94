/// `fjern simulate provision|run|bench`: a simulated meter network that talks to a running
/// Fjern through its public API only.
enum SimulateCommand {
    static let usage = """
        fjern simulate provision --url URL --token T --meters N [--seed S] [--units K] [--interval MIN]
                                 [--state FILE] [--force]
        fjern simulate run --state FILE --hours H [--url URL] [--speedup X | --as-fast-as-possible] [--batch N]
        fjern simulate bench --state FILE [--url URL] [--telegrams N] [--connections C] [--batch N] [--duplicates F]

          provision  creates K concentrators (default: enough for 10,000 meters each, at least 2), an
                     ingest token for each, and N meters with keys and metering points (import in
                     chunks of 10,000); writes FILE (default ./simulation.json, mode 0600: it holds
                     the tokens). --token falls back to FJERN_TOKEN; the seed (default 1) fixes the
                     whole network: meters, keys, consumption, alarms. One telegram per meter every
                     --interval minutes of simulated time (default 15).
          run        posts the telegrams H hours of the network send, each unit with its own token, in
                     batches (default 1000) to POST /v1/ingest/telegrams. The first run covers the H
                     hours up to now; later runs continue where the last ended. --speedup X paces it at
                     X times real time; the default is as fast as the server answers.
          bench      builds N telegrams (default 1,000,000; Kamstrup ELL-CTR and OMS mode 5, a share
                     F (default 0.1) sent again by a second unit) in memory, then posts them over C
                     keep-alive connections (default 4) and prints machine-readable figures.
        """

    static func run(_ args: [String], environment: [String: String]) -> Int32 {
        let log: (String) -> Void = { CommandLineInterface.printError("fjern simulate: \($0)") }
        do throws(SimulateFailure) {
            switch args.first {
            case "provision":
                try SimulateProvision.run(try SimulateFlags(Array(args.dropFirst()), allowed: [
                    "--url", "--token", "--meters", "--seed", "--units", "--interval", "--state", "--force",
                ], environment: environment), log: log)
            case "run":
                try SimulateRun.run(try SimulateFlags(Array(args.dropFirst()), allowed: [
                    "--url", "--state", "--hours", "--speedup", "--as-fast-as-possible", "--batch",
                ]), log: log)
            case "bench":
                try IngestBenchmark.run(try SimulateFlags(Array(args.dropFirst()), allowed: [
                    "--url", "--state", "--telegrams", "--connections", "--batch", "--duplicates",
                ]), log: log)
            case "--help", "-h", "help":
                print(usage)
            default:
                throw SimulateFailure("choose provision, run or bench", code: 2)
            }
            return 0
        } catch {
            log(error.message + (error.code == 2 ? "\n\n" + usage : ""))
            return error.code
        }
    }
}
