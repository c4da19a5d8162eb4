import StitchAPI
@testable import RecordInput
import Testing

struct BatchBuilderTests {
    let header = BatchHeader(tableName: "orders", schema: ["type": "object", "properties": ["id": ["type": "integer"]]],
                             keyNames: ["id"])

    private func record(_ id: Int, padding: Int = 0) -> [UInt8] {
        Array(#"{"id":\#(id),"note":""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: padding) + Array(#""}"#.utf8)
    }

    /// Adds records 1...count and returns every batch, the last one included.
    private func build(_ count: Int, limits: BatchLimits, padding: Int = 0) throws -> [Batch] {
        var builder = BatchBuilder(header: header, limits: limits)
        var batches: [Batch] = []
        for id in 1...count {
            let text = record(id, padding: padding)
            if let closed = try builder.appendUpsert(data: text[...], dataPoints: 2, sequence: Int64(1000 + id), line: id) {
                batches.append(closed)
            }
        }
        if let last = builder.finish() { batches.append(last) }
        return batches
    }

    @Test func aBatchIsAValidRequestHoldingTheRecordsAsWritten() throws {
        let batches = try build(3, limits: BatchLimits())
        try #require(batches.count == 1)
        let request = try BatchRequest(json: JSONParser.parse(batches[0].body))
        #expect(request.tableName == "orders")
        #expect(request.keyNames == ["id"])
        #expect(request.schema == header.schema)
        #expect(request.messages.map(\.sequence) == [1001, 1002, 1003])
        #expect(request.messages.map(\.action) == [.upsert, .upsert, .upsert])
        #expect(request.messages.compactMap { $0.data?["id"] } == [1, 2, 3])
        #expect(batches[0].messageCount == 3 && batches[0].firstLine == 1 && batches[0].lastLine == 3)
    }

    @Test func splitsByRecordCount() throws {
        let batches = try build(45, limits: BatchLimits(maximumRecords: 20))
        #expect(batches.map(\.messageCount) == [20, 20, 5])
        #expect(batches.map(\.firstLine) == [1, 21, 41])
        let ids = try batches.flatMap { try BatchRequest(json: JSONParser.parse($0.body)).messages.compactMap { $0.data?["id"] } }
        #expect(ids == (1...45).map { JSONValue.integer(Int64($0)) }, "every record once, in order")
    }

    @Test func neverPassesTheTargetBytesAndFillsBatchesUpToIt() throws {
        let limits = BatchLimits(targetBytes: 10_000)
        let batches = try build(200, limits: limits, padding: 300)
        #expect(batches.count > 1)
        for batch in batches {
            #expect(batch.body.count <= 10_000)
            _ = try JSONParser.parse(batch.body)
        }
        // Each closed batch had no room for one more record (about 340 bytes).
        for batch in batches.dropLast() { #expect(batch.body.count > 10_000 - 400) }
        #expect(batches.reduce(0) { $0 + $1.messageCount } == 200)
    }

    @Test func aRecordOverTheTargetGoesAloneAndOneOverTheMaximumIsAnErrorNamingItsLine() throws {
        let limits = BatchLimits(targetBytes: 1_000, maximumBytes: 5_000)
        var builder = BatchBuilder(header: header, limits: limits)
        #expect(try builder.appendUpsert(data: record(1)[...], dataPoints: 2, sequence: 1, line: 1) == nil)
        let big = record(2, padding: 3_000)
        let closed = try builder.appendUpsert(data: big[...], dataPoints: 2, sequence: 2, line: 2)
        #expect(closed?.messageCount == 1)
        let alone = builder.finish()
        #expect(alone?.messageCount == 1 && alone?.firstLine == 2)
        #expect((alone?.body.count ?? 0) > 1_000 && (alone?.body.count ?? 0) <= 5_000)

        let tooBig = record(3, padding: 6_000)
        #expect(throws: InputError.self) { try builder.appendUpsert(data: tooBig[...], dataPoints: 2, sequence: 3, line: 77) }
        do {
            _ = try builder.appendUpsert(data: tooBig[...], dataPoints: 2, sequence: 3, line: 77)
        } catch {
            #expect(error.line == 77)
            #expect(error.description.hasPrefix("line 77: "))
        }
    }

    @Test func theDefaultMaximumIsTheImportAPIs20MiB() throws {
        let limits = BatchLimits(targetBytes: 100 * 1024 * 1024, maximumBytes: 100 * 1024 * 1024)
        #expect(limits.maximumBytes == ImportLimits.maximumBodyBytes)
        #expect(limits.targetBytes == ImportLimits.maximumBodyBytes)
        var builder = BatchBuilder(header: header, limits: limits)
        let huge = record(1, padding: ImportLimits.maximumBodyBytes)
        #expect(throws: InputError.self) { try builder.appendUpsert(data: huge[...], dataPoints: 2, sequence: 1, line: 5) }
    }

    @Test func aRecordOverTenThousandDataPointsIsAnErrorNamingItsLine() throws {
        var builder = BatchBuilder(header: header, limits: BatchLimits())
        let values = (0...10_000).map(String.init).joined(separator: ",")
        let text = Array(#"{"id":1,"values":[\#(values)]}"#.utf8)
        let scan = try JSONTextScanner.scan(text)
        #expect(scan.dataPoints == 10_002)
        do {
            _ = try builder.appendUpsert(data: text[...], dataPoints: scan.dataPoints, sequence: 1, line: 12)
            Issue.record("a record of 10,002 data points was taken")
        } catch {
            #expect(error.line == 12)
            #expect(error.message.contains("10000 data points"))
        }
        let atLimit = Array(#"{"values":[\#((1...10_000).map(String.init).joined(separator: ","))]}"#.utf8)
        #expect(try builder.appendUpsert(data: atLimit[...], dataPoints: 10_000, sequence: 2, line: 13) == nil)
    }

    @Test func timeExtractedAndTableVersionAndActivateVersion() throws {
        var versioned = header
        versioned.tableVersion = 7
        versioned.bookmarkNames = ["updated_at"]
        var builder = BatchBuilder(header: versioned, limits: BatchLimits())
        _ = try builder.appendUpsert(data: record(1)[...], dataPoints: 2, sequence: 5, timeExtracted: "2024-03-04T09:00:00.000000Z", line: 1)
        _ = try builder.appendMessage(BatchMessage(action: .activateVersion, sequence: 6, data: nil), dataPoints: 0, line: 2)
        let finished = builder.finish()
        let batch = try #require(finished)
        #expect(batch.activatesVersion)
        let request = try BatchRequest(json: JSONParser.parse(batch.body))
        #expect(request.tableVersion == 7)
        #expect(request.bookmarkNames == ["updated_at"])
        #expect(request.messages.first?.timeExtracted == "2024-03-04T09:00:00.000000Z")
        #expect(request.messages.last == BatchMessage(action: .activateVersion, sequence: 6, data: nil))
    }

    @Test func keylessHeadersLeaveKeyNamesOut() throws {
        var builder = BatchBuilder(header: BatchHeader(tableName: "events", schema: ["properties": [:]], keyNames: nil),
                                   limits: BatchLimits())
        _ = try builder.appendUpsert(data: record(1)[...], dataPoints: 2, sequence: 1, line: 1)
        let finished = builder.finish()
        let batch = try #require(finished)
        #expect(batch.isKeyless)
        #expect(try JSONParser.parse(batch.body)["key_names"] == nil)
    }

    @Test func sequencesAreWrittenExactly() throws {
        for value: Int64 in [0, 7, -7, 10, 1_796_041_606_239_038_471, .max, .min, -1_000_000] {
            var builder = BatchBuilder(header: header, limits: BatchLimits())
            _ = try builder.appendUpsert(data: record(1)[...], dataPoints: 2, sequence: value, line: 1)
            let finished = builder.finish()
            let body = try #require(finished).body
            #expect(try BatchRequest(json: JSONParser.parse(body)).messages.first?.sequence == value)
        }
    }
}
