import StitchAPI

/// One message of a Singer stream (the Singer spec's SCHEMA, RECORD, STATE and ACTIVATE_VERSION).
public enum SingerMessage {
    case schema(stream: String, schema: JSONValue, keyProperties: [String], bookmarkProperties: [String]?, line: Int)
    /// `record.data` is the record object's text, a slice of the reader's buffer.
    case record(stream: String, record: InputRecord, version: Int64?, timeExtracted: String?)
    /// The STATE's `value`, as JSON text, to be written back to stdout once its records are in.
    case state(value: String, line: Int)
    case activateVersion(stream: String, version: Int64, line: Int)
}

/// Reads a Singer stream: one JSON message per line. RECORD lines, the bulk of any stream, are
/// scanned rather than parsed: the record's text goes into the batch as written.
public struct SingerReader {
    private var lines: LineReader
    private static let members: [[UInt8]] = ["type", "stream", "record", "version", "time_extracted"].map { Array($0.utf8) }

    public init(input: ByteInput, maximumLineBytes: Int) {
        lines = LineReader(input: input, maximumLineBytes: maximumLineBytes)
    }

    public var bytesRead: Int { lines.input.totalBytesRead }

    public mutating func next() throws(InputError) -> SingerMessage? {
        while let text = try lines.next() {
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return try message(text, line: lines.lineNumber)
        }
        return nil
    }

    private func message(_ text: ArraySlice<UInt8>, line: Int) throws(InputError) -> SingerMessage {
        let scan: JSONTextScanner.Scan
        do {
            scan = try JSONTextScanner.scan(text, members: Self.members)
        } catch {
            throw InputError(line: line, "the message is not valid JSON: \(error.message) (byte \(error.offset + 1) of the line)")
        }
        guard scan.kind == .object else { throw InputError(line: line, "a Singer message must be a JSON object") }
        guard let type = Self.string(scan.members[0], in: text) else {
            throw InputError(line: line, "the message has no string \"type\"")
        }
        switch type {
        case "RECORD":
            guard let stream = Self.string(scan.members[1], in: text) else { throw Self.missing("stream", "RECORD", line) }
            guard let record = scan.members[2] else { throw Self.missing("record", "RECORD", line) }
            guard record.kind == .object else { throw InputError(line: line, "the RECORD's \"record\" must be a JSON object") }
            let version = try Self.integer(scan.members[3], in: text, name: "version", line: line)
            let timeExtracted: String?
            if let member = scan.members[4], member.kind != .null {
                guard let value = Self.string(member, in: text) else {
                    throw InputError(line: line, "the RECORD's \"time_extracted\" must be a string")
                }
                timeExtracted = value
            } else {
                timeExtracted = nil
            }
            let data = InputRecord(data: text[record.valueRange], line: line, dataPoints: record.dataPoints, keys: [])
            return .record(stream: stream, record: data, version: version, timeExtracted: timeExtracted)
        case "SCHEMA":
            let object = try Self.parse(text, line: line)
            guard let stream = object["stream"]?.stringValue else { throw Self.missing("stream", "SCHEMA", line) }
            guard let schema = object["schema"], schema.objectValue != nil else {
                throw InputError(line: line, "the SCHEMA has no \"schema\" object")
            }
            // target-stitch refuses a SCHEMA without key_properties; [] is fine (append-only).
            guard let keys = Self.strings(object["key_properties"]) else {
                throw InputError(line: line, "the SCHEMA needs \"key_properties\", a list of strings (it may be empty)")
            }
            var bookmarks: [String]?
            if let raw = object["bookmark_properties"], raw != .null {
                guard let names = Self.strings(raw) else {
                    throw InputError(line: line, "the SCHEMA's \"bookmark_properties\" must be a list of strings")
                }
                bookmarks = names
            }
            return .schema(stream: stream, schema: schema, keyProperties: keys, bookmarkProperties: bookmarks, line: line)
        case "STATE":
            let object = try Self.parse(text, line: line)
            guard let value = object["value"] else { throw Self.missing("value", "STATE", line) }
            return .state(value: value.jsonText, line: line)
        case "ACTIVATE_VERSION":
            guard let stream = Self.string(scan.members[1], in: text) else {
                throw Self.missing("stream", "ACTIVATE_VERSION", line)
            }
            guard let version = try Self.integer(scan.members[3], in: text, name: "version", line: line) else {
                throw Self.missing("version", "ACTIVATE_VERSION", line)
            }
            return .activateVersion(stream: stream, version: version, line: line)
        default:
            throw InputError(line: line, "unknown Singer message type \(type) (expected SCHEMA, RECORD, STATE or ACTIVATE_VERSION)")
        }
    }

    private static func missing(_ name: String, _ type: String, _ line: Int) -> InputError {
        InputError(line: line, "the \(type) message has no \"\(name)\"")
    }

    private static func parse(_ text: ArraySlice<UInt8>, line: Int) throws(InputError) -> JSONObject {
        do {
            guard let object = try JSONParser.parse(text).objectValue else {
                throw InputError(line: line, "a Singer message must be a JSON object")
            }
            return object
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(line: line, "the message is not valid JSON: \(error)")
        }
    }

    private static func string(_ member: JSONTextScanner.Member?, in text: ArraySlice<UInt8>) -> String? {
        guard let member, member.kind == .string else { return nil }
        return (try? JSONParser.parse(text[member.valueRange]))?.stringValue
    }

    private static func integer(_ member: JSONTextScanner.Member?, in text: ArraySlice<UInt8>, name: String, line: Int)
        throws(InputError) -> Int64? {
        guard let member, member.kind != .null else { return nil }
        guard member.kind == .number, case .integer(let value)? = try? JSONParser.parse(text[member.valueRange]) else {
            throw InputError(line: line, "\"\(name)\" must be an integer")
        }
        return value
    }

    private static func strings(_ value: JSONValue?) -> [String]? {
        guard let array = value?.arrayValue else { return nil }
        let strings = array.compactMap(\.stringValue)
        return strings.count == array.count ? strings : nil
    }
}
