import Foundation
import StitchAPI
import Testing

/// Reads files from the `Fixtures` resource folder.
enum Fixture {
    static func url(_ relativePath: String) throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil),
                                "the Fixtures folder is missing from the test bundle")
        return root.appendingPathComponent(relativePath)
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    static func json(_ relativePath: String) throws -> JSONValue {
        try JSONParser.parse(data(relativePath))
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ relativePath: String) throws -> Value {
        try JSONDecoder().decode(Value.self, from: data(relativePath))
    }
}
