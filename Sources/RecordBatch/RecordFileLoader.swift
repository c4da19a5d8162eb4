#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StitchAPI
import RecordInput

/// Reads a file of records into a `RecordBatch`: JSONL, a JSON array of records, batch bodies
/// (`table_name`, `schema`, `messages` …), or CSV with a header, streamed through StitchPush's
/// readers (`LineReader`, `JSONObjectStream`, `CSVReader`) so only one record's text is in memory
/// besides the rows.
///
/// A bad record becomes a `LoadProblem` naming its line and column, and reading goes on with the
/// next one; only a break in the file's structure (a JSON array that stops, an unclosed quote)
/// ends it early, and then the last problem says so. Nothing valid is left out silently. The file
/// is only read.
public enum RecordFileLoader {
    /// The largest record taken: one that alone would fill a request (spec §3.7).
    public static let maximumRecordBytes = ImportLimits.maximumBodyBytes

    /// Loads `path`; `format` nil chooses by the name's extension, then by the first bytes.
    public static func load(path: String, format: RecordFormat? = nil) -> LoadedRecords {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        let name = tableName(forPath: path)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            return LoadedRecords(batch: RecordBatch(tableName: name), problems: [LoadProblem(line: 0, "cannot open \(path): \(reason)")],
                                 format: format ?? .jsonl, schemaWasInferred: false, readToEnd: false)
        }
        defer { close(descriptor) }
        return load(ByteInput(descriptor: descriptor), name: name, format: format ?? formatHint(forPath: path))
    }

    /// Loads records held in memory (a paste, a test); `name` is the file's name, for the table
    /// name and the format.
    public static func load(bytes: [UInt8], name: String, format: RecordFormat? = nil) -> LoadedRecords {
        load(ByteInput(bytes: bytes), name: tableName(forPath: name), format: format ?? formatHint(forPath: name))
    }

    /// The file's stem: `orders` for `/data/orders.2026.jsonl`'s … `orders.2026`.
    public static func tableName(forPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file.isEmpty ? "records" : file }
        return String(file[..<dot])
    }

    /// What the extension says; nil (sniff the content) for `.json` and anything else, since a
    /// `.json` file may hold an array, a batch body or one record per line.
    static func formatHint(forPath path: String) -> RecordFormat? {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") { return .jsonl }
        if lowered.hasSuffix(".csv") { return .csv }
        return nil
    }

    private static func load(_ input: ByteInput, name: String, format hint: RecordFormat?) -> LoadedRecords {
        var reading = RecordFileReading(batch: RecordBatch(tableName: name))
        let format = hint ?? sniff(input)
        switch format {
        case .jsonl: reading.readLines(input)
        case .json: reading.readStream(input, insideArray: true)
        case .batch: reading.readStream(input, insideArray: false)
        case .csv: reading.readCSV(input)
        case .singer:
            reading.problems.append(LoadProblem(line: 0, "Singer streams are pushed with stitch-wizard push --format singer; the editor reads JSONL, JSON, batch bodies or CSV"))
            reading.readToEnd = false
        }
        return reading.finish(format: format)
    }

    /// `[`: an array of records; `{` on a first line that is a whole object: JSONL, unless that
    /// object is a batch body; any other `{`: objects spread over lines (a pretty-printed batch
    /// or record); anything else: CSV.
    static func sniff(_ input: ByteInput) -> RecordFormat {
        var offset = input.start
        while true {
            while offset >= input.buffer.count {
                guard (try? input.fill()) == true else { return .jsonl }
                offset = input.start
            }
            let byte = input.buffer[offset]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1; continue }
            if byte == UInt8(ascii: "[") { return .json }
            guard byte == UInt8(ascii: "{") else { return .csv }
            break
        }
        // The first line, buffered up to the record limit.
        while input.index(of: 0x0A, from: offset) == nil && !input.isAtEnd && input.available <= maximumRecordBytes {
            guard (try? input.fill()) == true else { break }
            offset = input.start
        }
        let lineEnd = input.index(of: 0x0A, from: input.start) ?? input.buffer.count
        guard let scan = try? JSONTextScanner.scan(input.buffer[input.start..<lineEnd], members: [Array("messages".utf8), Array("table_name".utf8)]),
              scan.kind == .object else { return .batch }
        return scan.members.allSatisfy({ $0 != nil }) ? .batch : .jsonl
    }
}
