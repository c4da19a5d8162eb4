import Foundation
import StitchAPI
@testable import StitchDestination

/// A fresh data directory under the system temp directory, unique per test.
func makeDataDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "stitch-destination-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A schema name no other test uses: tests share one PostgreSQL database and run in parallel.
func uniqueSchemaName() -> String {
    "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
}

let customersSchema: JSONValue = [
    "properties": [
        "id": ["type": "integer"],
        "name": ["type": "string"],
        "age": ["type": "integer"],
        "has_magic": ["type": "boolean"],
    ],
]

func upsert(_ sequence: Int64, _ data: JSONValue, timeExtracted: String? = nil) -> BatchMessage {
    BatchMessage(action: .upsert, sequence: sequence, data: data.objectValue, timeExtracted: timeExtracted)
}

func activateVersion(_ sequence: Int64) -> BatchMessage {
    BatchMessage(action: .activateVersion, sequence: sequence, data: nil)
}

/// A batch as the loader receives it. By default batch n is received n seconds after the first.
func batch(number: Int64, schemaName: String = "import_api", table: String = "customers",
           schema: JSONValue = customersSchema, keys: [String]? = ["id"], tableVersion: Int64? = nil,
           messages: [BatchMessage], receivedAt: UTCTimestamp? = nil) -> DestinationBatch {
    DestinationBatch(
        number: number, schemaName: schemaName,
        request: BatchRequest(tableName: table, schema: schema, messages: messages, keyNames: keys,
                              tableVersion: tableVersion),
        receivedAt: receivedAt ?? UTCTimestamp(secondsSinceEpoch: 1_600_000_000 + number))
}

/// The rows of a SQLite table as `column -> rendered value`, in load order.
func rows(of table: String = "customers", in directory: String) throws -> [[String: String]] {
    let result = try DestinationReader.rows(schema: "import_api", table: table, dataDirectory: directory, limit: 1000)
    return result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
