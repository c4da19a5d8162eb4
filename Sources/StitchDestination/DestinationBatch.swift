import StitchAPI

/// One accepted Import API batch, ready to load: the request plus what the gate added on receipt.
public struct DestinationBatch: Sendable, Hashable {
    /// The acceptance order of this batch, unique and increasing for the life of a data directory.
    /// Keyless tables derive their `__sdc_primary_key` from it, so a replay inserts nothing new.
    public var number: Int64
    /// The destination schema: the source's name.
    public var schemaName: String
    public var request: BatchRequest
    /// When the Import API accepted the batch (`_sdc_received_at`).
    public var receivedAt: UTCTimestamp
    /// The request body `request` was read from, when there was one: a rejected record is stored
    /// as it was sent (numbers keep their text, e.g. `1.0`, `1e3`), not as the parsed value prints.
    public var body: [UInt8]?
    /// Set when read from `body` by `init(number:schemaName:body:receivedAt:)`: the records as
    /// tokens over the body, and `request`'s upserts carry no `data` (`data(ofMessage:)` reads it).
    var taped: TapedBatch?

    public init(number: Int64, schemaName: String, request: BatchRequest, receivedAt: UTCTimestamp, body: [UInt8]? = nil) {
        self.number = number
        self.schemaName = schemaName
        self.request = request
        self.receivedAt = receivedAt
        self.body = body
    }

    /// Reads a stored request body, keeping it for the records' source text.
    public init(number: Int64, schemaName: String, body: [UInt8], receivedAt: UTCTimestamp) throws(UnreadableBatch) {
        // The loader's path: the records stay in a tape over the body, shredded from there.
        if let taped = TapedBatch(body: body) {
            self.init(number: number, schemaName: schemaName, request: taped.request, receivedAt: receivedAt, body: body)
            self.taped = taped
            return
        }
        // Not a batch the tape reads (a damaged file): read as before, for the parser's own words.
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw UnreadableBatch(reason: "the body is not JSON: \(error)")
        }
        let request: BatchRequest
        do {
            request = try BatchRequest(json: json)
        } catch {
            throw UnreadableBatch(reason: "the body is not a batch: \(error)")
        }
        self.init(number: number, schemaName: schemaName, request: request, receivedAt: receivedAt, body: body)
    }

    /// The record of message `index`, from the tape or the request.
    func data(ofMessage index: Int) -> JSONObject? {
        if let taped { return taped.data(ofMessage: index) }
        return index < request.messages.count ? request.messages[index].data : nil
    }

    /// The `data` of the messages at `indexes` as JSON text, as sent when the body is known, each
    /// cut to `limit` bytes of UTF-8 ("as much of the record as fits", spec §4.9).
    func recordTexts(_ indexes: [Int], limit: Int) -> [String] {
        let ranges = body.flatMap { JSONSourceText.elementMemberRanges(in: $0, array: "messages", member: "data") }
        return indexes.map { index in
            let text: String
            if let body, let ranges, index < ranges.count, let range = ranges[index] {
                text = JSONSourceText.compact(body, range)
            } else {
                text = JSONValue.object(data(ofMessage: index) ?? JSONObject()).jsonText
            }
            return Self.cut(text, limit: limit)
        }
    }

    /// `text` cut at a character boundary to at most `limit` bytes of UTF-8.
    static func cut(_ text: String, limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var cut = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars {
            bytes += String(scalar).utf8.count
            if bytes > limit { break }
            cut.append(scalar)
        }
        return String(cut)
    }
}

/// A stored batch whose body cannot be read back (a damaged file).
public struct UnreadableBatch: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
