import AsyncHTTPClient
import Foundation
import StitchAPI
import StitchClient

/// One accept measurement: `batches` batches of `recordsPerBatch` records pushed by `clients`
/// concurrent connections to `POST /v2/import/batch`.
struct AcceptFigures: Sendable {
    var recordsPerBatch: Int
    var clients: Int
    var batches: Int
    /// First request sent to last 201 read.
    var wallTime: Duration
    /// Per request, as the client saw it: request written to 201 reply read.
    var latencies: [Duration]

    var recordsPerSecond: Double { Double(recordsPerBatch * batches) / wallTime.seconds }
    var batchesPerSecond: Double { Double(batches) / wallTime.seconds }
    var p50Milliseconds: Double { Statistics.percentile(50, of: latencies.map(\.seconds)) * 1000 }
    var p99Milliseconds: Double { Statistics.percentile(99, of: latencies.map(\.seconds)) * 1000 }
}

/// The sandbox's own end-to-end figure: large batches pushed until every one had loaded.
struct SandboxLoadFigures: Sendable {
    var rows: Int
    /// First request sent to the last batch's load committed (the inbox empty again).
    var wallTime: Duration
    var rowsPerSecond: Double { Double(rows) / wallTime.seconds }
}

struct AcceptResults: Sendable {
    var figures: [AcceptFigures]
    var sandboxLoad: SandboxLoadFigures
    var largeBodyBytes: Int
    /// The disk's median and mean time for one durable small write (see `DurableWriteProbe`), over
    /// the writes timed before the sandbox started and again after the one-record phases.
    var durableWriteMilliseconds: (median: Double, mean: Double)
    /// The medians of the two probes: far apart, the disk's pace changed during the run.
    var durableWriteBeforeAndAfter: (before: Double, after: Double) = (0, 0)
    /// The second probe's samples (see `AcceptBenchmark.run`).
    var laterDurableWrites: [Double] = []
}

/// Pushes batches to the real release `stitch-sandbox` over loopback, as a client would:
/// a source and token made through the Connect API, then `ImportClient` over AsyncHTTPClient.
struct AcceptBenchmark {
    var sandboxBinary: String
    var smallBatches: Int
    var clientCounts: [Int]
    var largeBatches: Int
    var largeBatchRecords: Int
    var progress: @Sendable (String) -> Void

    func run() async throws -> AcceptResults {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stitch-benchmark-sandbox-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        // On the data directory's own file system, before the sandbox starts, so nothing competes.
        progress("accept: timing the disk's durable writes")
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let durableWrite = try DurableWriteProbe.samples(in: dataDirectory)
        let sandbox = try SandboxProcess(binary: sandboxBinary, dataDirectory: dataDirectory)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, clientCounts.max() ?? 1))
        let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            var results = try await measure(sandbox: sandbox, httpClient: httpClient) { () throws -> [Double] in
                // Again once the one-record phases are over and loaded, with the sandbox idle: other
                // I/O on the machine that came or went meanwhile shows as two different medians.
                progress("accept: timing the disk's durable writes again")
                return try DurableWriteProbe.samples(in: dataDirectory)
            }
            let samples = durableWrite + results.laterDurableWrites
            results.durableWriteMilliseconds = (Statistics.median(samples), samples.reduce(0, +) / Double(max(1, samples.count)))
            results.durableWriteBeforeAndAfter = (Statistics.median(durableWrite),
                                                  results.laterDurableWrites.isEmpty ? 0 : Statistics.median(results.laterDurableWrites))
            await sandbox.stop()
            try await httpClient.shutdown()
            return results
        } catch {
            await sandbox.stop()
            try? await httpClient.shutdown()
            throw error
        }
    }

    private func measure(sandbox: SandboxProcess, httpClient: HTTPClient, probeDisk: () throws -> [Double]) async throws
        -> AcceptResults
    {
        let baseURL = try await sandbox.baseURL()
        let connect = try ConnectClient(baseURL: baseURL, token: sandbox.connectToken, httpClient: httpClient)
        let source = try await connect.createSource(CreateSourceRequest(type: "import_api", displayName: "Benchmark Orders"))
        let token = try await connect.createToken(sourceID: source.id)
        let client = try ImportClient(baseURL: baseURL, token: token.accessToken, httpClient: httpClient,
                                      timeout: .seconds(300))
        var orders = SampleOrders()
        var nextID: Int64 = 1
        func bodies(_ count: Int, records: Int) -> [[UInt8]] {
            (0..<count).map { _ in
                defer { nextID += Int64(records) }
                return orders.body(firstID: nextID, count: records)
            }
        }

        // Warm-up, not counted: connections, the loader's first table, the allocator.
        progress("accept: warming up")
        _ = try await push(bodies(50, records: 1), clients: clientCounts.max() ?? 1, through: client)
        _ = try await push(bodies(1, records: largeBatchRecords), clients: 1, through: client)
        try await sandbox.waitUntilLoaded()

        var figures: [AcceptFigures] = []
        for clients in clientCounts {
            progress("accept: \(smallBatches) one-record batches, \(clients) client(s)")
            let batch = bodies(smallBatches, records: 1)
            let (wall, latencies) = try await push(batch, clients: clients, through: client)
            figures.append(AcceptFigures(recordsPerBatch: 1, clients: clients, batches: smallBatches, wallTime: wall,
                                         latencies: latencies))
            // Loading runs behind the 201s; let it finish so it does not slow the next phase.
            try await sandbox.waitUntilLoaded()
        }
        let laterDurableWrites = try probeDisk()

        progress("accept: building \(largeBatches) batches of \(largeBatchRecords) records")
        let large = bodies(largeBatches, records: largeBatchRecords)
        progress("accept: \(largeBatches) batches of \(largeBatchRecords) records, 1 client")
        let clock = ContinuousClock()
        let start = clock.now
        let (wall, latencies) = try await push(large, clients: 1, through: client)
        figures.append(AcceptFigures(recordsPerBatch: largeBatchRecords, clients: 1, batches: largeBatches, wallTime: wall,
                                     latencies: latencies))
        try await sandbox.waitUntilLoaded()
        let sandboxLoad = SandboxLoadFigures(rows: largeBatches * largeBatchRecords, wallTime: clock.now - start)
        return AcceptResults(figures: figures, sandboxLoad: sandboxLoad, largeBodyBytes: large.first?.count ?? 0,
                             durableWriteMilliseconds: (0, 0), laterDurableWrites: laterDurableWrites)
    }

    /// Sends every body once, `clients` requests at a time; returns the wall time and each latency.
    private func push(_ bodies: [[UInt8]], clients: Int, through client: ImportClient) async throws
        -> (wall: Duration, latencies: [Duration])
    {
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<clients {
                group.addTask {
                    var latencies: [Duration] = []
                    for index in stride(from: worker, to: bodies.count, by: clients) {
                        let reply = try await client.sendBatch(body: bodies[index])
                        guard reply.statusCode == 201 else {
                            throw BenchmarkError.wrongResult("batch \(index) got \(reply.statusCode), not 201: \(reply.bodyText)")
                        }
                        latencies.append(reply.latency)
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return (clock.now - start, latencies)
    }
}
