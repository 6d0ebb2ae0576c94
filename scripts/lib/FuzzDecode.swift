// libFuzzer target over the MBus decoder, built and run by scripts/fuzz (never by SwiftPM:
// it lives outside Sources/, so `swift build` does not see its LLVMFuzzerTestOneInput).
//
// Input layout, so one corpus drives every entry point and option:
//   byte 0: bit 0 a 16-byte key follows; bit 1 assumeDecrypted;
//           bits 2-3 entry: 0 decode (dispatch), 1 decodeWireless, 2 decodeWired,
//           3 decode after a prior telegram (compact-format learning): a length byte n and
//           n prior bytes come next, decoded first with the same options.
//   [16 key bytes] [n, prior] telegram
// A fresh decoder per input keeps runs reproducible (no formats learnt across inputs).
import MBus

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let selector = input.first else { return 0 }
    var index = 1
    var key: [UInt8]?
    if selector & 1 != 0 {
        guard size - index >= 16 else { return 0 }
        key = Array(input[index..<index + 16])
        index += 16
    }
    let options = DecodeOptions(key: key, assumeDecrypted: selector & 2 != 0)
    let decoder = TelegramDecoder()
    let entry = (selector >> 2) & 3
    if entry == 3 {
        guard index < size else { return 0 }
        let n = Int(input[index])
        index += 1
        guard size - index >= n else { return 0 }
        _ = try? decoder.decode(Array(input[index..<index + n]), options: options)
        index += n
    }
    let telegram = Array(input[index...])
    let result: Telegram?
    switch entry {
    case 1: result = try? decoder.decodeWireless(telegram, options: options)
    case 2: result = try? decoder.decodeWired(telegram, options: options)
    default: result = try? decoder.decode(telegram, options: options)
    }
    // Touch what a caller would read, so lazily built parts are exercised too.
    if let result {
        var sink = result.records.count &+ result.infoCodes.count &+ result.registers.numericEntries.count
        for record in result.records { sink &+= record.difvif.count }
        if sink == Int.min { print(sink) }
    }
    return 0
}
