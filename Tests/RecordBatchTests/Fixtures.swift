@testable import RecordBatch
import StitchAPI

/// A small batch as the Import API docs show one, parsed by the model.
enum Fixtures {
    static let batchJSON: JSONValue = [
        "table_name": "customers",
        "schema": [
            "type": "object",
            "properties": [
                "id": ["type": "integer"],
                "name": ["type": ["null", "string"], "maxLength": 20],
                "score": ["type": ["null", "number"]],
                "active": ["type": "boolean"],
                "joined": ["type": "string", "format": "date-time"],
                "address": ["type": ["null", "object"], "properties": ["city": ["type": "string"]]],
            ],
        ],
        "messages": [
            ["action": "upsert", "sequence": 1_700_000_000_000,
             "data": ["id": 1, "name": "Ada", "score": 1.5, "active": true, "joined": "2026-01-31T12:00:00Z",
                      "address": ["city": "London"]]],
            ["action": "upsert", "sequence": 1_700_000_000_001, "time_extracted": "2026-02-01T00:00:00Z",
             "data": ["id": 2, "name": nil, "active": false, "joined": "2026-02-01T08:30:00+01:00"]],
        ],
        "key_names": ["id"],
    ]

    static func batch() throws -> RecordBatch { try RecordBatch(batchJSON: batchJSON) }

    static func column(_ batch: RecordBatch, _ name: String) -> Int { batch.columnIndex(named: name) ?? -1 }

    static func load(_ text: String, name: String, format: StitchPushFormat? = nil) -> LoadedRecords {
        RecordFileLoader.load(bytes: Array(text.utf8), name: name, format: format)
    }
}

import RecordInput
typealias StitchPushFormat = RecordFormat
