internal import FoundationEssentials
internal import Glibc

/// What `fjern simulate provision` leaves for `run` and `bench`: the network's parameters (the
/// meters and their keys follow from the seed), the units it created and their ingest tokens,
/// and how far simulated time has advanced. Written 0600 because it holds bearer tokens.
struct SimulationState: Codable, Equatable {
    struct Unit: Codable, Equatable {
        var id: String
        var name: String
        var token: String
    }

    var format = 1
    var url: String
    /// Decimal text: a UInt64 does not survive every JSON reader as a number.
    var seed: String
    var meters: Int
    var createdAt: Int64
    var intervalSeconds: Int64
    var units: [Unit]
    /// Unix seconds up to which telegrams were posted; nil before the first run.
    var clock: Int64?

    var parameters: SimulatedNetwork.Parameters {
        get throws(SimulateFailure) {
            guard let value = UInt64(seed) else { throw SimulateFailure("the state file's seed '\(seed)' is not a number") }
            return SimulatedNetwork.Parameters(seed: value, meterCount: meters, unitCount: units.count,
                                               createdAt: createdAt, interval: intervalSeconds)
        }
    }

    static func load(_ path: String) throws(SimulateFailure) -> SimulationState {
        guard access(path, F_OK) == 0 else {
            throw SimulateFailure("no state file at \(path): run `fjern simulate provision` first (or pass --state FILE)")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SimulateFailure("cannot read the state file \(path): \(HTTPClient.describe(access(path, R_OK) == 0 ? EIO : errno))")
        }
        do {
            let state = try JSONDecoder().decode(SimulationState.self, from: data)
            guard state.format == 1, state.meters > 0, !state.units.isEmpty, state.intervalSeconds > 0 else {
                throw SimulateFailure("\(path) is not a state file this fjern understands")
            }
            return state
        } catch let failure as SimulateFailure {
            throw failure
        } catch {
            throw SimulateFailure("\(path) is not a valid state file: \(error)")
        }
    }

    /// Replaces the file atomically (temporary file, fsync, rename), readable by its owner only.
    func save(_ path: String) throws(SimulateFailure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(self)) + [10] } catch { throw SimulateFailure("cannot encode the state: \(error)") }
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SimulateFailure("cannot write \(temporary): \(HTTPClient.describe(errno))") }
        fchmod(fd, 0o600)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else {
                let code = errno
                close(fd)
                throw SimulateFailure("cannot write \(temporary): \(HTTPClient.describe(code))")
            }
            written += n
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else { throw SimulateFailure("cannot replace \(path): \(HTTPClient.describe(errno))") }
    }
}

/// A `fjern simulate` failure with the message to print; `code` 2 for usage errors.
struct SimulateFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32
    init(_ message: String, code: Int32 = 1) {
        self.message = message
        self.code = code
    }
    var description: String { message }
}
