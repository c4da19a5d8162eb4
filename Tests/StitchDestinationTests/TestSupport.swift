import Foundation
import StitchAPI
@testable import StitchDestination

/// A fresh data directory under the system temp directory, unique per test.
func makeDataDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "stitch-destination-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let customersSchema: JSONValue = [
    "properties": [
        "id": ["type": "integer"],
        "name": ["type": "string"],
        "age": ["type": "integer"],
        "has_magic": ["type": "boolean"],
    ],
]

func upsert(_ sequence: Int64, _ data: JSONValue) -> BatchMessage {
    BatchMessage(action: .upsert, sequence: sequence, data: data.objectValue)
}

func batch(number: Int64, table: String = "customers", schema: JSONValue = customersSchema,
           keys: [String]? = ["id"], tableVersion: Int64? = nil, messages: [BatchMessage],
           receivedAt: UTCTimestamp = UTCTimestamp(secondsSinceEpoch: 1_600_000_000 + 0)) -> DestinationBatch {
    DestinationBatch(
        number: number, schemaName: "import_api",
        request: BatchRequest(tableName: table, schema: schema, messages: messages, keyNames: keys,
                              tableVersion: tableVersion),
        receivedAt: receivedAt)
}

/// The rows of a table as `column -> rendered value`, in load order.
func rows(of table: String = "customers", in directory: String) throws -> [[String: String]] {
    let result = try DestinationReader.rows(schema: "import_api", table: table, dataDirectory: directory, limit: 1000)
    return result.rows.map { Dictionary(uniqueKeysWithValues: zip(result.columns, $0)) }
}
