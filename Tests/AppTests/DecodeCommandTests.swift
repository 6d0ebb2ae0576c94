import API
import Foundation
import MBus
import Testing
import TestSupport
@testable import App

/// `fjern decode`: the JSON of a telegram built here by hand (the pipelines are assembled
/// elsewhere), the argument and JSON-line parsing, and the real binary for its error paths.
@Suite("fjern decode", .blockingIO)
struct DecodeCommandTests {
    static func parse(_ line: [UInt8]) throws -> JSONValue {
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false, "one answer is one line")
        return try JSONParser.parse(Array(line.dropLast()))
    }

    /// A MULTICAL 21-like reading (values as in PROTOCOLS §3.2), with every value kind once.
    static var sample: Telegram {
        let address = MeterAddress(manufacturer: MeterAddress.manufacturerValue("KAM")!, id: 0x7634_8799, version: 27, deviceType: 0x16)
        var registers = Registers()
        registers.volumeM3 = 6.408
        registers.targetDate = MeterDate(year: 2024, month: 1, day: 31)
        registers.meterTime = MeterDateTime(date: MeterDate(year: 2024, month: 2, day: 3), hour: 4, minute: 5, second: 6)
        registers.infoCodeBits = UInt64.max
        return Telegram(
            kind: .wmbus, address: address, control: 0x44, accessNumber: 113, status: 0, security: .ellCTR,
            applicationCI: 0x78,
            records: [
                Record(quantity: .volume, unit: .m3, value: .number(6.408), difvif: DIFVIF([0x04, 0x13])),
                Record(quantity: .volume, unit: .m3, value: .number(-0.25), storage: 1, tariff: 2, subunit: 3, function: .maximum,
                       modifiers: [.backwardFlow, .upperLimit], difvif: DIFVIF([0x84, 0x01, 0x93, 0x3C])),
                Record(quantity: .errorFlags, unit: .none, value: .integer(Int64.min), difvif: DIFVIF([0x07, 0xFD, 0x17])),
                Record(quantity: .manufacturerSpecific, unit: .none, value: .bytes([0x00, 0xAB]), difvif: DIFVIF([0x02, 0xFF, 0x20])),
                Record(quantity: .parameterSet, unit: .none, value: .text("RVD\"235"), difvif: DIFVIF([0x0D, 0xFD, 0x0B])),
                Record(quantity: .date, unit: .none, value: .date(MeterDate(year: 2024, month: 1, day: 31)), storage: 1,
                       difvif: DIFVIF([0x42, 0x6C])),
                Record(quantity: .dateTime, unit: .none, value: .dateTime(MeterDateTime(date: MeterDate(year: 2024, month: 2, day: 3), hour: 4, minute: 5)),
                       difvif: DIFVIF([0x04, 0x6D])),
                Record(quantity: .flowTemperature, unit: .celsius, value: .null, difvif: DIFVIF([0x02, 0x5B])),
                Record(quantity: .power, unit: .kW, value: .number(.nan), difvif: DIFVIF([0x05, 0x2E])),
            ],
            manufacturerData: [0x01, 0xFE], infoCodes: [InfoCode(code: "leak", bit: 12, detail: "leak")], registers: registers)
    }

    @Test func telegramJSON() throws {
        let t = Self.sample
        let json = try Self.parse(TelegramJSON.line(t))
        #expect(json["ok"] == .bool(true))
        #expect(json["kind"] == .string("wmbus"))
        #expect(json["manufacturer"] == .string("KAM"))
        #expect(json["id"] == .string("76348799"))
        #expect(json["version"] == .int(27))
        #expect(json["deviceType"] == .int(22))
        #expect(json["medium"] == .string("cold-water"))
        #expect(json["accessNumber"] == .int(113))
        #expect(json["security"] == .string("ell-ctr"))
        #expect(json["manufacturerData"] == .string("01FE"))
        #expect(json["moreRecordsFollow"] == nil)
        #expect(json["link"] == nil && json["primaryAddress"] == nil)
        #expect(json["infoCodes"] == .array([.string("leak")]))
        guard case .array(let records)? = json["records"] else {
            Issue.record("records is not an array")
            return
        }
        #expect(records.count == t.records.count)
        let first = records[0]
        #expect(first["quantity"] == .string("volume") && first["unit"] == .string("m3"))
        #expect(first["value"] == .double(6.408))
        #expect(first["storage"] == .int(0) && first["tariff"] == .int(0) && first["subunit"] == .int(0))
        #expect(first["function"] == .string("instantaneous"))
        #expect(first["difvif"] == .string("0413"))
        #expect(first["modifiers"] == nil)
        let second = records[1]
        #expect(second["value"] == .double(-0.25))
        #expect(second["storage"] == .int(1) && second["tariff"] == .int(2) && second["subunit"] == .int(3))
        #expect(second["function"] == .string("maximum"))
        #expect(second["modifiers"] == .array([.string("backward-flow"), .string("upper-limit")]))
        #expect(second["difvif"] == .string("8401933C"))
        #expect(records[2]["value"] == .int(Int.min))
        #expect(records[2]["unit"] == .string(""))
        #expect(records[3]["value"] == .string("00AB"))
        #expect(records[4]["value"] == .string("RVD\"235"))
        #expect(records[5]["value"] == .string("2024-01-31"))
        #expect(records[6]["value"] == .string("2024-02-03T04:05:00"))
        #expect(records[7]["value"] == .null)
        #expect(records[8]["value"] == .null, "NaN is not JSON")
        let registers = json["registers"]
        #expect(registers?["volumeM3"] == .double(6.408))
        #expect(registers?["heatEnergyKWh"] == nil, "nil registers are left out")
        #expect(registers?["targetDate"] == .string("2024-01-31"))
        #expect(registers?["meterTime"] == .string("2024-02-03T04:05:06"))
        // UInt64.max does not fit JSONValue.int: the parser reads it as a double, but the text is exact.
        #expect(String(decoding: TelegramJSON.line(t), as: UTF8.self).contains(#""infoCodeBits":18446744073709551615}"#))
    }

    @Test func wiredTelegramWithLinkFields() throws {
        var t = Self.sample
        t.kind = .mbus
        t.primaryAddress = 5
        t.accessNumber = nil
        t.moreRecordsFollow = true
        t.linkAddress = MeterAddress(manufacturer: MeterAddress.manufacturerValue("ABC")!, id: 0x1234_5678, version: 1, deviceType: 0x37)
        t.records = []
        t.manufacturerData = []
        let json = try Self.parse(TelegramJSON.line(t))
        #expect(json["kind"] == .string("mbus"))
        #expect(json["primaryAddress"] == .int(5))
        #expect(json["accessNumber"] == .null)
        #expect(json["moreRecordsFollow"] == .bool(true))
        #expect(json["manufacturerData"] == nil)
        #expect(json["records"] == .array([]))
        #expect(json["link"]?["manufacturer"] == .string("ABC"))
        #expect(json["link"]?["id"] == .string("12345678"))
        #expect(json["link"]?["deviceType"] == .int(0x37))
    }

    @Test func errorJSON() throws {
        let json = try Self.parse(TelegramJSON.errorLine(DecodeError(.crcMismatch, "block 2: \"bad\"\n")))
        #expect(json["ok"] == .bool(false))
        #expect(json["error"]?["code"] == .string("crc-mismatch"))
        #expect(json["error"]?["detail"] == .string("block 2: \"bad\"\n"))
    }

    @Test func everyModifierHasAName() {
        var all = Modifiers()
        for (flag, _) in TelegramJSON.modifierTable { all.insert(flag) }
        #expect(TelegramJSON.modifierNames(all).count == TelegramJSON.modifierTable.count)
        #expect(Set(TelegramJSON.modifierNames(all)).count == TelegramJSON.modifierTable.count)
    }

    @Test func arguments() throws {
        let key = String(repeating: "0f", count: 16)
        let request = try DecodeCommand.parseArguments(["--key", key, "--assume-decrypted", "--prior", "0A 0b", "--prior", "0C", "68 04"]).get()
        #expect(request == DecodeCommand.Request(telegram: [0x68, 0x04], key: Array(repeating: 0x0F, count: 16),
                                                 assumeDecrypted: true, prior: [[0x0A, 0x0B], [0x0C]]))
        #expect(try DecodeCommand.parseArguments(["2C44"]).get() == DecodeCommand.Request(telegram: [0x2C, 0x44]))
    }

    @Test(arguments: [
        [], ["--key"], ["--key", "00", "2C44"], ["--key", "zz", "2C44"], ["2C4"], ["2C44", "2C44"], ["--bogus", "2C44"],
        ["--prior", "1", "2C44"], ["--jsonl", "2C44"], ["0x2C44"], [""],
    ])
    func badArguments(args: [String]) {
        guard case .failure = DecodeCommand.parseArguments(args) else {
            Issue.record("accepted \(args)")
            return
        }
    }

    @Test func jsonLines() throws {
        let key = String(repeating: "AB", count: 16)
        let request = try DecodeCommand.parseLine(#"{"hex":"2C44","key":"\#(key)","assumeDecrypted":true,"prior":["01","0203"]}"#).get()
        #expect(request == DecodeCommand.Request(telegram: [0x2C, 0x44], key: Array(repeating: 0xAB, count: 16),
                                                 assumeDecrypted: true, prior: [[0x01], [0x02, 0x03]]))
        #expect(try DecodeCommand.parseLine(#"{"hex":"2C44","key":null,"prior":null}"#).get() == DecodeCommand.Request(telegram: [0x2C, 0x44]))
        for bad in [#"{"hex":"2C4"}"#, #"{"key":null}"#, #"{"hex":"2C44","kye":null}"#, #"{"hex":12}"#, "[1]", "{", "",
                    #"{"hex":"2C44","prior":[1]}"#, #"{"hex":"2C44","key":"0011"}"#, #"{"hex":"2C44","assumeDecrypted":"yes"}"#] {
            guard case .failure = DecodeCommand.parseLine(bad) else {
                Issue.record("accepted \(bad)")
                continue
            }
        }
    }

    /// The stream keeps going past bad lines: one answer per non-blank input line, in order.
    @Test func streamAnswersEveryLine() throws {
        var input = [#"{"hex":"zz"}"#, "", #"{"hex":"68 03 03 68 08 01 72 7B 16"}"#, "not json"][...]
        var output: [[UInt8]] = []
        let status = DecodeCommand.run(["--jsonl"], readLine: { input.popFirst() }, write: { output.append($0) }, writeError: { _ in })
        #expect(status == 0)
        #expect(output.count == 3)
        let answers = try output.map(Self.parse)
        #expect(answers[0]["error"]?["code"] == .string("bad-input"))
        #expect(answers[1]["ok"] != nil, "the decoder's own answer, whatever it is")
        if answers[1]["ok"] == .bool(false) {
            #expect(answers[1]["error"]?["code"] != .string("bad-input"))
        }
        #expect(answers[2]["error"]?["code"] == .string("bad-input"))
    }

    @Test func singleTelegramExitStatus() throws {
        var output: [[UInt8]] = []
        var errors: [String] = []
        let bad = DecodeCommand.run(["--key", "00"], readLine: { nil }, write: { output.append($0) }, writeError: { errors.append($0) })
        #expect(bad == 2 && output.isEmpty && errors.count == 1)
        // Two bytes are never a telegram: a structured decode error and exit 1.
        let status = DecodeCommand.run(["2C44"], readLine: { nil }, write: { output.append($0) }, writeError: { errors.append($0) })
        #expect(status == 1)
        let json = try Self.parse(try #require(output.first))
        #expect(json["ok"] == .bool(false))
        #expect(json["error"]?["code"] != nil)
    }

    // MARK: the real binary

    static func run(_ arguments: [String], stdin: String = "") throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashSafetyTests.binary)
        process.arguments = arguments
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        inPipe.fileHandleForWriting.write(Data(stdin.utf8))
        try inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func binaryArgumentErrors() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashSafetyTests.binary), "build fjern first (swift build)")
        for args in [["decode"], ["decode", "ABC"], ["decode", "--key", "0011", "2C44"], ["decode", "--frobnicate", "2C44"]] {
            let result = try Self.run(args)
            #expect(result.status == 2, "\(args)")
            #expect(result.out.isEmpty)
            #expect(result.err.contains("fjern decode:") && result.err.contains("Usage:"))
        }
        let stream = try Self.run(["decode", "--jsonl"], stdin: "{\"hex\":\"2C4\"}\n{\"hex\":\"2C44\"}\n")
        #expect(stream.status == 0)
        let lines = stream.out.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONParser.parse(Array(lines[0].utf8))
        #expect(first["error"]?["code"] == .string("bad-input"))
        let second = try JSONParser.parse(Array(lines[1].utf8))
        #expect(second["ok"] == .bool(false))
        #expect(second["error"]?["code"] != .string("bad-input"))
    }
}
