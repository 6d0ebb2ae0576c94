/// Decimal scaling without drift: `54321 * 10^-3` must print as 54.321, which multiplying by
/// the inexact Double 0.001 does not guarantee; dividing by the exact 1000 does.
enum PowersOfTen {
    /// 10^0 ... 10^96; exact up to 10^22, correctly rounded beyond.
    static let table: [Double] = {
        var values = [Double](repeating: 1, count: 97)
        for i in 1..<values.count { values[i] = values[i - 1] * 10 }
        return values
    }()

    /// 10^|exponent| (callers keep exponents within the table; the record parser's VIFE limit does).
    @inline(__always)
    static func magnitude(_ exponent: Int) -> Double {
        let index = exponent < 0 ? -exponent : exponent
        return index < table.count ? table[index] : .infinity
    }

    /// value * 10^exponent, dividing for negative exponents.
    @inline(__always)
    static func scale(_ value: Double, by exponent: Int) -> Double {
        if exponent == 0 { return value }
        return exponent > 0 ? value * magnitude(exponent) : value / magnitude(exponent)
    }
}
