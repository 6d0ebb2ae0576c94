/// RFC 1951 (DEFLATE) decoder for ZIP entries, after the canonical-Huffman approach of zlib's
/// `puff.c`: small and obviously bounded rather than fast (key files are kilobytes). The
/// output is capped by the caller so a zip bomb stops at the cap, not at memory exhaustion.
public enum Inflate {
    public enum Failure: Error, Equatable, Sendable {
        case truncated
        case invalidBlockType
        case storedLengthMismatch
        case invalidCodeLengths
        case invalidSymbol
        case distanceTooFar
        case outputTooLarge(limit: Int)
    }

    /// Decompresses one raw DEFLATE stream (no zlib or gzip wrapper); stops after the final
    /// block. More than `maxOutput` bytes of output is `.outputTooLarge`.
    public static func decompress(_ input: ArraySlice<UInt8>, maxOutput: Int) throws(Failure) -> [UInt8] {
        var state = State(input: input, maxOutput: maxOutput)
        var last = false
        repeat {
            last = try state.bits(1) == 1
            switch try state.bits(2) {
            case 0: try state.stored()
            case 1: try state.codes(Fixed.lengths, Fixed.distances)
            case 2: try state.dynamic()
            default: throw .invalidBlockType
            }
        } while !last
        return state.output
    }

    /// A canonical Huffman code: how many codes of each length, and the symbols in code order.
    struct Huffman {
        var count = [UInt16](repeating: 0, count: 16)
        var symbol: [UInt16]

        /// `complete`: the lengths use the whole code space; over-subscribed lengths throw.
        init(lengths: ArraySlice<UInt8>) throws(Failure) {
            symbol = [UInt16](repeating: 0, count: lengths.count)
            for l in lengths { count[Int(l)] += 1 }
            var left = 1
            for len in 1..<16 {
                left <<= 1
                left -= Int(count[len])
                if left < 0 { throw .invalidCodeLengths }
            }
            incomplete = left > 0 && count[0] != UInt16(lengths.count)
            var offsets = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offsets[len + 1] = offsets[len] + Int(count[len]) }
            for (i, l) in lengths.enumerated() where l != 0 {
                symbol[offsets[Int(l)]] = UInt16(i)
                offsets[Int(l)] += 1
            }
            count[0] = 0
            used = lengths.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
        }

        var incomplete = false
        var used = 0
    }

    enum Fixed {
        static let lengths: Huffman = {
            var l = [UInt8](repeating: 8, count: 288)
            for i in 144..<256 { l[i] = 9 }
            for i in 256..<280 { l[i] = 7 }
            return try! Huffman(lengths: l[...])
        }()
        static let distances: Huffman = try! Huffman(lengths: [UInt8](repeating: 5, count: 30)[...])
    }

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                                    131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                      2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    struct State {
        let input: ArraySlice<UInt8>
        let maxOutput: Int
        var position: Int
        var bitBuffer = 0
        var bitCount = 0
        var output: [UInt8] = []

        init(input: ArraySlice<UInt8>, maxOutput: Int) {
            self.input = input
            self.maxOutput = maxOutput
            position = input.startIndex
        }

        mutating func bits(_ n: Int) throws(Failure) -> Int {
            while bitCount < n {
                guard position < input.endIndex else { throw .truncated }
                bitBuffer |= Int(input[position]) << bitCount
                position += 1
                bitCount += 8
            }
            let value = bitBuffer & ((1 << n) - 1)
            bitBuffer >>= n
            bitCount -= n
            return value
        }

        mutating func stored() throws(Failure) {
            bitBuffer = 0
            bitCount = 0
            guard input.endIndex - position >= 4 else { throw .truncated }
            let length = Int(input[position]) | Int(input[position + 1]) << 8
            let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
            guard length == ~complement & 0xFFFF else { throw .storedLengthMismatch }
            position += 4
            guard input.endIndex - position >= length else { throw .truncated }
            guard output.count + length <= maxOutput else { throw .outputTooLarge(limit: maxOutput) }
            output.append(contentsOf: input[position..<position + length])
            position += length
        }

        mutating func decode(_ h: Huffman) throws(Failure) -> Int {
            var code = 0, first = 0, index = 0
            for len in 1..<16 {
                code |= try bits(1)
                let count = Int(h.count[len])
                if code - count < first { return Int(h.symbol[index + (code - first)]) }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw .invalidSymbol
        }

        mutating func codes(_ lengths: Huffman, _ distances: Huffman) throws(Failure) {
            while true {
                let symbol = try decode(lengths)
                if symbol < 256 {
                    guard output.count < maxOutput else { throw .outputTooLarge(limit: maxOutput) }
                    output.append(UInt8(symbol))
                    continue
                }
                if symbol == 256 { return }
                let l = symbol - 257
                guard l < 29 else { throw .invalidSymbol }
                let length = Inflate.lengthBase[l] + (try bits(Inflate.lengthExtra[l]))
                let d = try decode(distances)
                guard d < 30 else { throw .invalidSymbol }
                let distance = Inflate.distanceBase[d] + (try bits(Inflate.distanceExtra[d]))
                guard distance <= output.count else { throw .distanceTooFar }
                guard output.count + length <= maxOutput else { throw .outputTooLarge(limit: maxOutput) }
                // Byte by byte: the copy may overlap what it writes (distance < length).
                var from = output.count - distance
                for _ in 0..<length {
                    output.append(output[from])
                    from += 1
                }
            }
        }

        mutating func dynamic() throws(Failure) {
            let nlen = try bits(5) + 257
            let ndist = try bits(5) + 1
            let ncode = try bits(4) + 4
            guard nlen <= 286, ndist <= 30 else { throw .invalidCodeLengths }
            var lengths = [UInt8](repeating: 0, count: 320)
            for i in 0..<ncode { lengths[Inflate.codeLengthOrder[i]] = UInt8(try bits(3)) }
            let codeLengths = try Huffman(lengths: lengths[0..<19])
            guard !codeLengths.incomplete else { throw .invalidCodeLengths }
            var index = 0
            while index < nlen + ndist {
                var symbol = try decode(codeLengths)
                if symbol < 16 {
                    lengths[index] = UInt8(symbol)
                    index += 1
                    continue
                }
                var value: UInt8 = 0
                switch symbol {
                case 16:
                    guard index > 0 else { throw .invalidCodeLengths }
                    value = lengths[index - 1]
                    symbol = 3 + (try bits(2))
                case 17: symbol = 3 + (try bits(3))
                default: symbol = 11 + (try bits(7))
                }
                guard index + symbol <= nlen + ndist else { throw .invalidCodeLengths }
                for _ in 0..<symbol {
                    lengths[index] = value
                    index += 1
                }
            }
            guard lengths[256] != 0 else { throw .invalidCodeLengths }
            let literal = try Huffman(lengths: lengths[0..<nlen])
            // An incomplete code is allowed only when it has a single symbol (RFC 1951 3.2.7).
            guard !literal.incomplete || literal.used == 1 else { throw .invalidCodeLengths }
            let distance = try Huffman(lengths: lengths[nlen..<nlen + ndist])
            guard !distance.incomplete || distance.used == 1 else { throw .invalidCodeLengths }
            try codes(literal, distance)
        }
    }
}
