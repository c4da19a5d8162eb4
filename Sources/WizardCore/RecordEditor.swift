import StitchAPI
import TerminalUI

/// The record editor: a batch as JSON text, sent with Ctrl-S, and the replies so far.
public struct RecordEditor: Sendable, Equatable {
    public var text: TextArea
    /// Why the text cannot be sent, found before sending.
    public var problem: String?
    /// The batch being sent, as parsed when it left: what its reply or failure is about.
    public var inFlight: BatchInFlight?
    public var isSending: Bool { inFlight != nil }
    /// Newest last.
    public var history: [BatchOutcome] = []

    public init(text: String = RecordEditor.tutorialBatch) {
        self.text = TextArea(text: text, showsLineNumbers: true)
    }

    /// Rows under the editor that show the replies.
    public static let replyRows = 6

    /// Where the editor sits in a terminal of `size`: below the two title rows, above the
    /// replies and the help bar, inside a box. The view draws it there; the reducer scrolls
    /// the text for it, so both read the same geometry.
    public static func frame(in size: Size) -> Rect {
        let bodyTop = 2
        let bodyHeight = size.rows - 3
        return Rect(x: 1, y: bodyTop + 1, width: max(0, size.columns - 2), height: max(0, bodyHeight - replyRows - 1))
    }

    /// The text area inside the editor's box.
    public static func textRect(in size: Size) -> Rect {
        let outer = frame(in: size)
        return Rect(x: outer.x + 1, y: outer.y + 1, width: max(0, outer.width - 2), height: max(0, outer.height - 2))
    }

    public mutating func scrollToCursor(in size: Size) {
        text.scrollToCursor(viewport: text.textViewport(in: Self.textRect(in: size)).size)
    }

    /// The tutorial's example batch: table `customers`, key `id`, one row 1/Finn/15/false.
    public static let tutorialBatch = """
    {
      "table_name": "customers",
      "schema": {
        "properties": {
          "id": {"type": "integer"},
          "name": {"type": "string"},
          "age": {"type": "integer"},
          "has_magic": {"type": "boolean"}
        }
      },
      "messages": [
        {
          "action": "upsert",
          "sequence": 1565880017,
          "data": {"id": 1, "name": "Finn", "age": 15, "has_magic": false}
        }
      ],
      "key_names": ["id"]
    }
    """

    /// The batch the text holds, or a message saying where it is broken.
    public func parsedBatch() -> Result<BatchRequest, BatchTextProblem> {
        let body = text.text
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            let (line, column) = Self.position(ofByte: error.offset, in: body)
            return .failure(BatchTextProblem(message: "JSON syntax: \(error.message) (line \(line), column \(column))"))
        }
        do {
            let batch = try BatchRequest(json: json)
            if batch.messages.isEmpty { return .failure(BatchTextProblem(message: "Add at least one message to send.")) }
            return .success(batch)
        } catch {
            return .failure(BatchTextProblem(message: error.message))
        }
    }

    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}

/// What a sent batch held, kept until its reply: the text may be edited meanwhile.
public struct BatchInFlight: Sendable, Equatable {
    public var tableName: String
    public var recordCount: Int

    public init(tableName: String, recordCount: Int) {
        self.tableName = tableName
        self.recordCount = recordCount
    }
}

public struct BatchTextProblem: Error, Sendable, Equatable {
    public var message: String
}

/// The sandbox-only view of rows loaded into the destination.
public struct DestinationView: Sendable, Equatable {
    public var snapshot: DestinationSnapshot?
    public var error: String?
    public var isLoading = false
    /// First row shown, for scrolling.
    public var firstRow = 0
    /// First column shown: tables are often wider than the terminal.
    public var firstColumn = 0

    public init() {}
}
