import COpenSSL
import Crypto
import Glibc
import MBus

// Single-thread decode throughput (./scripts/bench-decode). Each workload is a set of
// telegrams from `meters` meters, each with its own random key; every telegram is decoded
// once and checked before any timing, and the run fails when one does not decode.
// Usage: MBusBench [--meters N] [--rounds N] [--seconds S]

var meters = 10_000
var rounds = 5
var secondsPerRound = 1.0
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let text = arguments.popFirst() else { fail("\(flag) needs a value") }
    switch flag {
    case "--meters": meters = Int(text) ?? 0
    case "--rounds": rounds = Int(text) ?? 0
    case "--seconds": secondsPerRound = Double(text) ?? 0
    default: fail("unknown option \(flag)")
    }
}
guard meters > 0, rounds > 0, secondsPerRound > 0 else { fail("--meters, --rounds and --seconds must be positive") }

func fail(_ message: String) -> Never {
    eprint("MBusBench: \(message)")
    exit(1)
}

func eprint(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Random bytes for keys and values; the same every run would also do, but real keys are random.
func random(_ count: Int) -> [UInt8] {
    do { return try SecureRandom.bytes(count) } catch { fail("random: \(error)") }
}

func randomUInt32(below bound: UInt32) -> UInt32 {
    let b = random(4)
    return (UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24) % bound
}

struct Workload {
    var name: String
    var telegrams: [[UInt8]]
    var options: [DecodeOptions]
    /// The volume (m3) each telegram carries in storage 0, to check the decode.
    var volumes: [Double]
}

// MARK: build

let decoder = TelegramDecoder()
var c1Full = Workload(name: "Kamstrup C1 ELL-CTR, full frames (CI 0x78)", telegrams: [], options: [], volumes: [])
var c1Compact = Workload(name: "Kamstrup C1 ELL-CTR, compact frames (CI 0x79)", telegrams: [], options: [], volumes: [])
var oms5 = Workload(name: "OMS mode 5 (CI 0x7A, 3 encrypted blocks)", telegrams: [], options: [], volumes: [])
var wired = Workload(name: "wired M-Bus RSP_UD long frames (CI 0x72, 10 records)", telegrams: [], options: [], volumes: [])
var rawParts: [(key: [UInt8], iv: [UInt8], cipher: [UInt8])] = []
do {
    for meter in 0..<meters {
        let key = random(16)
        let id = TelegramBuilder.bcd(UInt32(10_000_000 + meter))
        let litres = randomUInt32(below: 9_999_999)
        let access = UInt8(truncatingIfNeeded: meter)
        let r = TelegramBuilder.multical21Records(litres: litres, targetLitres: litres / 2, info: 0, flowC: 12, externalC: 9)
        let full = try TelegramBuilder.ellCTR(id: id, key: key, accessNumber: access, session: UInt32(meter),
                                              application: [0x78] + r.full)
        let signature = CRC16.checksum(r.difvif)
        let fullCRC = CRC16.checksum(r.full)
        let compact = try TelegramBuilder.ellCTR(id: id, key: key, accessNumber: access &+ 1, session: UInt32(meter),
                                                 application: [0x79] + TelegramBuilder.le(UInt32(signature), 2)
                                                     + TelegramBuilder.le(UInt32(fullCRC), 2) + r.data)
        let options = DecodeOptions(key: key)
        c1Full.telegrams.append(full)
        c1Compact.telegrams.append(compact)
        c1Full.options.append(options)
        c1Compact.options.append(options)
        c1Full.volumes.append(Double(litres) / 1000)
        c1Compact.volumes.append(Double(litres) / 1000)
        let parts = TelegramBuilder.ellParts(full)
        rawParts.append((key, parts.iv, parts.cipher))

        // OMS water meter: volume, date-time, target volume and date, flow, error flags; 3 blocks.
        let omsKey = random(16)
        let omsLitres = randomUInt32(below: 9_999_999)
        var oms: [UInt8] = [0x04, 0x13] + TelegramBuilder.le(omsLitres, 4)
        oms += [0x04, 0x6D, 0x32, 0x0E, 0x7F, 0x2C]                        // type F 2024-12-31T14:50
        oms += [0x44, 0x13] + TelegramBuilder.le(omsLitres / 3, 4)
        oms += [0x42, 0x6C, 0xDF, 0x2C]                                    // type G 2022-12-31
        oms += [0x02, 0x3B, 0x2A, 0x00]                                    // 42 l/h
        oms += [0x02, 0xFD, 0x17, 0x00, 0x00]                              // error flags
        oms += [0x01, 0xFD, 0x74, 0x64]                                    // remaining battery
        oms += [0x0C, 0x78] + TelegramBuilder.le(id, 4)                    // fabrication number
        let omsTelegram = try TelegramBuilder.mode5(manufacturer: 0x1596 /* ELS */, id: id, key: omsKey,
                                                    accessNumber: access, records: oms)
        oms5.telegrams.append(omsTelegram)
        oms5.options.append(DecodeOptions(key: omsKey))
        oms5.volumes.append(Double(omsLitres) / 1000)

        // Wired heat meter, 10 records, no encryption.
        let wh = randomUInt32(below: 99_999_999)
        let m3 = randomUInt32(below: 99_999_999)
        var records: [UInt8] = [0x0C, 0x78] + TelegramBuilder.le(id, 4)
        records += [0x04, 0x06] + TelegramBuilder.le(wh, 4)                 // energy kWh
        records += [0x04, 0x14] + TelegramBuilder.le(m3, 4)                 // volume 0.01 m3
        records += [0x04, 0x2B] + TelegramBuilder.le(12_345, 4)             // power W
        records += [0x04, 0x3B] + TelegramBuilder.le(678, 4)                // flow l/h
        records += [0x02, 0x59] + TelegramBuilder.le(7_012, 2)              // flow temperature 0.01 C
        records += [0x02, 0x5D] + TelegramBuilder.le(4_523, 2)              // return temperature
        records += [0x02, 0x61] + TelegramBuilder.le(2_489, 2)              // temperature difference 0.01 K
        records += [0x04, 0x6D, 0x32, 0x0E, 0x7F, 0x2C]                     // date-time
        records += [0x44, 0x06] + TelegramBuilder.le(wh / 2, 4)            // target energy
        wired.telegrams.append(TelegramBuilder.rspUD(primary: UInt8(meter % 250 + 1), manufacturer: 0x2C2D, id: id,
                                                     accessNumber: access, records: records))
        wired.options.append(DecodeOptions())
        wired.volumes.append(Double(m3) / 100)
    }
} catch {
    fail("building telegrams: \(error)")
}

// MARK: measure

struct Figures {
    var telegramsPerSecond: Double
    var nanosecondsPerTelegram: Double
}

/// Runs `pass` (one pass over `count` items) for about `secondsPerRound`, `rounds` times;
/// the median round.
func measure(count: Int, rounds: Int, seconds: Double, _ pass: () -> Int) -> Figures {
    var sink = 0
    let start = now()
    sink &+= pass()
    let once = max(now() - start, 1e-6)
    let passes = max(1, Int(seconds / once))
    var rates: [Double] = []
    for _ in 0..<rounds {
        let t0 = now()
        for _ in 0..<passes { sink &+= pass() }
        rates.append(Double(count * passes) / (now() - t0))
    }
    if sink == 42 { print("") } // keeps the work observable
    rates.sort()
    let median = rates[rates.count / 2]
    return Figures(telegramsPerSecond: median, nanosecondsPerTelegram: 1e9 / median)
}

func report(_ name: String, _ f: Figures) {
    let rate = String(Int(f.telegramsPerSecond.rounded()))
    let ns = String(Int(f.nanosecondsPerTelegram.rounded()))
    let column = name + String(repeating: " ", count: max(1, 56 - name.count))
    let rateColumn = String(repeating: " ", count: max(0, 12 - rate.count)) + rate
    let nsColumn = String(repeating: " ", count: max(0, 8 - ns.count)) + ns
    print("  " + column + rateColumn + " telegrams/s" + nsColumn + " ns/telegram")
}

print("MBusBench: \(meters) meters, each with its own key; single thread; median of \(rounds) rounds of ~\(secondsPerRound) s")

// OpenSSL's own rate on the same C1 buffers: re-key + decrypt per telegram, cipher fetched once.
let rawCTR: Figures = {
    guard let cipher = EVP_CIPHER_fetch(nil, "AES-128-CTR", nil), let ctx = EVP_CIPHER_CTX_new() else { fail("OpenSSL setup") }
    defer {
        EVP_CIPHER_CTX_free(ctx)
        EVP_CIPHER_free(cipher)
    }
    var out = [UInt8](repeating: 0, count: 256)
    return measure(count: rawParts.count, rounds: rounds, seconds: secondsPerRound) {
        var total = 0
        for p in rawParts {
            var written: Int32 = 0
            guard EVP_DecryptInit_ex2(ctx, cipher, p.key, p.iv, nil) == 1,
                  EVP_DecryptUpdate(ctx, &out, &written, p.cipher, Int32(p.cipher.count)) == 1 else { fail("OpenSSL CTR") }
            total &+= Int(written) &+ Int(out[0])
        }
        return total
    }
}()

/// Decodes every telegram once and checks its volume; prints and counts what failed.
func verify(_ w: Workload, _ decoder: TelegramDecoder) -> Int {
    var failures = 0
    for i in w.telegrams.indices {
        do {
            let t = try decoder.decode(w.telegrams[i], options: w.options[i])
            let volume = t.records.first { $0.quantity == .volume && $0.storage == 0 }?.value.double
            guard let volume, abs(volume - w.volumes[i]) < 1e-6 else {
                if failures < 3 { eprint("  \(w.name) #\(i): volume \(String(describing: volume)), want \(w.volumes[i])") }
                failures += 1
                continue
            }
        } catch {
            if failures < 3 { eprint("  \(w.name) #\(i): \(error)") }
            failures += 1
        }
    }
    return failures
}

func run(_ w: Workload, _ decoder: TelegramDecoder, rounds: Int, seconds: Double) -> Figures {
    measure(count: w.telegrams.count, rounds: rounds, seconds: seconds) {
        var total = 0
        for i in w.telegrams.indices {
            if let t = try? decoder.decode(w.telegrams[i], options: w.options[i]) { total &+= t.records.count }
        }
        return total
    }
}

// The full frames first: they teach the decoder the compact format (as on a real network).
let workloads = [c1Full, c1Compact, oms5, wired]
var failed: [String] = []
for w in workloads {
    let n = verify(w, decoder)
    if n > 0 { failed.append("\(w.name): \(n) of \(w.telegrams.count) did not decode correctly") }
}
report("OpenSSL AES-128-CTR re-key + decrypt (C1 buffers)", rawCTR)
if !failed.isEmpty {
    for line in failed { eprint("FAILED \(line)") }
    exit(1)
}
var results: [(String, Figures)] = []
for w in workloads {
    let f = run(w, decoder, rounds: rounds, seconds: secondsPerRound)
    report(w.name, f)
    results.append((w.name, f))
}
// A C1 network: 7 compact frames per full one (MULTICAL 21 sends the full frame every 8th).
var mixed = Workload(name: "Kamstrup C1 ELL-CTR, 1 full : 7 compact", telegrams: [], options: [], volumes: [])
for i in 0..<meters {
    let full = i % 8 == 0
    mixed.telegrams.append(full ? c1Full.telegrams[i] : c1Compact.telegrams[i])
    mixed.options.append(c1Full.options[i])
}
let mixedFigures = run(mixed, decoder, rounds: rounds, seconds: secondsPerRound)
report(mixed.name, mixedFigures)
let worstC1 = min(results[0].1.telegramsPerSecond, results[1].1.telegramsPerSecond, mixedFigures.telegramsPerSecond)
let ratio = (mixedFigures.telegramsPerSecond / rawCTR.telegramsPerSecond * 100).rounded() / 100
print("  decode rate / raw OpenSSL CTR rate (mixed C1): \(ratio)")
print("Issue 4 speed target: >= 1,000,000 Kamstrup ELL-CTR telegrams/s on one core: slowest C1 workload "
      + String(Int(worstC1.rounded())) + "/s  " + (worstC1 >= 1_000_000 ? "MET" : "NOT MET"))
