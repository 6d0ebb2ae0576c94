internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import MBus
internal import Store

extension KeySyncHandlers {
    /// `POST /v1/meters/import-kem`: opens the file with the order password, checks each meter,
    /// writes the valid ones in one transaction and wakes the telegrams waiting for their keys.
    func importKeyFile(_ input: Operations.ImportKeyFile.Input) async throws -> Operations.ImportKeyFile.Output {
        let c = RequestContext.required
        let file: KEMFile
        do {
            file = try KEMFile.open(input.body, password: input.headers.xKEMPassword)
        } catch {
            throw Self.problem(error)
        }
        var keys: [DeliveredKey] = []
        var rejected: [Components.Schemas.ImportRowResult] = []
        for (index, m) in file.meters.enumerated() {
            // A KEM lists Kamstrup's own meters: no vendor given means Kamstrup.
            let manufacturer = m.manufacturer.flatMap { $0.isEmpty ? nil : $0 } ?? "KAM"
            switch DeliveredKeyCheck.check(index: index, serial: m.serial, manufacturer: manufacturer, model: m.model,
                                           consumptionType: m.consumptionType, version: nil, deviceType: nil, key: m.key) {
            case .success(let key): keys.append(key)
            case .failure(let r):
                rejected.append(.init(row: index + 1, status: .rejected, reason: r.reason, pointer: "/meters/\(index)/\(r.field)"))
            }
        }
        let outcome = try await store.importKeyFile(tenant: c.tenant, keys: keys, rejected: rejected.count, sealer: vault,
                                                    audit: c.audit("meters.key-file-imported"))
        if outcome.created + outcome.updated > 0 { service.changes.metersChanged(tenant: c.tenant) }
        return .ok(.init(format: file.format == .kem ? .kem : .kem2, created: outcome.created, updated: outcome.updated,
                         unchanged: outcome.unchanged, rejected: rejected.count, rows: rejected))
    }

    /// Each way a key file can fail, as a 422 naming the cause (the password never appears).
    static func problem(_ failure: KEMFile.Failure) -> ProblemDetails {
        let header = "#/header/X-KEM-Password"
        switch failure {
        case .wrongPassword:
            return ProblemDetails(status: 422, detail: "The password does not open this key file.",
                                  errors: [.init(pointer: header, detail: "does not open the file")])
        case .passwordTooLong:
            return ProblemDetails(status: 422, detail: "A key file password is at most 16 bytes.",
                                  errors: [.init(pointer: header, detail: "longer than 16 bytes of UTF-8")])
        case .archive(let zip):
            return ProblemDetails(status: 422, detail: "The ZIP archive cannot be read: \(describe(zip)).")
        case .noKeyFileInArchive:
            return ProblemDetails(status: 422, detail: "The ZIP archive holds no .kem or .kem2 file.")
        case .notAKeyFile(let why):
            return ProblemDetails(status: 422, detail: "This is not a KEM or KEM2 key file: \(why).")
        case .tooLarge(let limit):
            return ProblemDetails(status: 413, detail: "A key file may be at most \(limit) bytes.")
        }
    }

    static func describe(_ f: ZipReader.Failure) -> String {
        switch f {
        case .notAnArchive: "it is not a ZIP archive"
        case .truncated: "it is truncated"
        case .unsupported(let what): "\(what) are not supported"
        case .tooManyEntries(let limit): "it has more than \(limit) entries"
        case .entryTooLarge(let name, let limit): "\(name) is larger than \(limit) bytes"
        case .corrupt(let why): why
        }
    }
}
