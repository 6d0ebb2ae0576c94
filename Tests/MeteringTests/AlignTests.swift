import Metering
import Testing

@Suite struct AlignTests {
    let grid = BucketGrid(boundaries: [0, 300, 600, 900])

    @Test func aggregatesPerBucket() {
        // Out of order, one sample before the grid, one at its end (outside: buckets are half-open).
        let flow = [RegisterSample(time: 250, value: 70), RegisterSample(time: 0, value: 60), RegisterSample(time: 100, value: 65),
                    RegisterSample(time: 700, value: 80), RegisterSample(time: -5, value: 1), RegisterSample(time: 900, value: 2)]
        let ret = [RegisterSample(time: 310, value: 40), RegisterSample(time: 620, value: 41)]
        #expect(Consumption.align([flow, ret], grid: grid, aggregate: .mean) == [[65, nil, 80], [nil, 40, 41]])
        #expect(Consumption.align([flow], grid: grid, aggregate: .last) == [[70, nil, 80]])
        #expect(Consumption.align([flow], grid: grid, aggregate: .min) == [[60, nil, 80]])
        #expect(Consumption.align([flow], grid: grid, aggregate: .max) == [[70, nil, 80]])
    }

    @Test func lastOfEqualTimesIsTheLaterSample() {
        let samples = [RegisterSample(time: 400, value: 1), RegisterSample(time: 10, value: 5), RegisterSample(time: 400, value: 2)]
        #expect(Consumption.align([samples], grid: grid, aggregate: .last) == [[5, 2, nil]])
    }

    @Test func emptyInputs() {
        #expect(Consumption.align([], grid: grid, aggregate: .mean).isEmpty)
        #expect(Consumption.align([[]], grid: grid, aggregate: .max) == [[nil, nil, nil]])
    }
}
