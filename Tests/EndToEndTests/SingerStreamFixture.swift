import Foundation
import StitchAPI
import StitchTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The Singer stream of the target-stitch test and what it must load as, shared by every test that
// pushes it (target-stitch itself, and `stitch-wizard push --format singer`), so both are held to
// the same tables and rows.

/// Writes the stream as a Singer file (one message per line) at `url`.
func writeSingerStream(_ sync: SingerSync, to url: URL) throws {
    try Data(sync.messages.map { $0.jsonText + "\n" }.joined().utf8).write(to: url)
}

/// An Import API source and its token, made through the Connect API as the tutorial does.
struct ImportSource {
    var id: Int64
    /// The destination schema (the source's `name`).
    var schema: String
    var clientID: Int64
    var token: String

    static func create(in sandbox: SandboxProcess, work: URL, displayName: String) throws -> ImportSource {
        let connect = try ConnectClient(sandbox: sandbox, headerFile: work.appendingPathComponent("connect-\(UUID().uuidString.prefix(6)).headers"))
        let source = try connect.post("/v4/sources", body: [
            "type": "import_api", "display_name": .string(displayName), "properties": [:],
        ])
        let sourceID = try #require(source["id"].flatMap(\.integerValue), "no id in \(source.jsonText)")
        let schema = try #require(source["name"]?.stringValue, "no name in \(source.jsonText)")
        let clientID = try #require(source["stitch_client_id"].flatMap(\.integerValue), "no stitch_client_id in \(source.jsonText)")
        let token = try #require(try connect.post("/v4/sources/\(sourceID)/tokens", body: nil)["access_token"]?.stringValue,
                                 "the token reply has no access_token")
        return ImportSource(id: sourceID, schema: schema, clientID: clientID, token: token)
    }
}

/// target-stitch's config file (spec §5.1), written 0600: it holds the token.
func writeTargetStitchConfig(for source: ImportSource, batchURL: String, to url: URL) throws {
    try writePrivately(JSONValue.object(JSONObject([
        ("token", .string(source.token)),
        ("client_id", .integer(source.clientID)),
        ("small_batch_url", .string(batchURL)),
        ("big_batch_url", .string(batchURL)),
        ("batch_size_preferences", [:]),
        ("disable_collection", true),
    ])).jsonText, to: url)
}

/// Waits until the sandbox has loaded every accepted batch, and checks nothing was set aside.
func waitForLoads(dataDirectory data: URL, database: URL, timeout: Duration = .seconds(60)) throws {
    let inbox = data.appendingPathComponent("inbox")
    try eventually(timeout: timeout, "the sandbox to load every accepted batch") {
        let pending = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path))?.filter { $0.hasSuffix(".log") || $0.hasSuffix(".batch") } ?? []
        return pending.isEmpty && FileManager.default.fileExists(atPath: database.path)
    }
    let failed = data.appendingPathComponent("failed")
    let setAside = (try? FileManager.default.contentsOfDirectory(atPath: failed.path)) ?? []
    #expect(setAside.isEmpty, "batches set aside: \(setAside.map { tail(of: failed.appendingPathComponent($0)) })")
}

/// The tables, columns and rows the stream makes (spec §4), nothing rejected, and the `_sdc`
/// values that tie child rows to their parents.
func expectDestination(_ database: URL, holds sync: SingerSync) throws {
    let tables = try rows(database, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .compactMap { $0["name"]?.stringValue }
        .filter { !$0.hasPrefix("_stitch_sandbox") && $0 != "_sdc_rejected" }
    #expect(Set(tables) == Set(sync.expectedTables.map(\.name)))
    if try !rows(database, "SELECT name FROM sqlite_master WHERE name = '_sdc_rejected'").isEmpty {
        #expect(try rows(database, "SELECT * FROM _sdc_rejected") == [])
    }

    for table in sync.expectedTables {
        let columns = try rows(database, "SELECT name FROM pragma_table_info('\(table.name)')").compactMap { $0["name"]?.stringValue }
        #expect(Set(columns) == Set(table.columns + singerLoaderColumns), "columns of \(table.name)")

        let loaded = try rows(database, "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.orderBy)")
        let matches = loaded == table.rows
        #expect(matches, """
            rows of \(table.name):
            \(loaded.map(\.jsonText).joined(separator: "\n"))
            expected:
            \(table.rows.map(\.jsonText).joined(separator: "\n"))
            """)
        let incomplete = try rows(database, """
            SELECT * FROM \(table.name)
            WHERE _sdc_received_at IS NULL OR _sdc_batched_at IS NULL OR _sdc_sequence IS NULL
            """)
        #expect(incomplete == [], "rows of \(table.name) without their _sdc values")
    }

    // Child rows come from the same message as their parent row: same key, same sequence.
    for (child, parent, key) in [("customers__orders", "customers", "id"), ("customers__orders__lines", "customers", "id"),
                                 ("customers__tags", "customers", "id"), ("products__variants", "products", "sku")] {
        let orphans = try rows(database, """
            SELECT c.* FROM \(child) c LEFT JOIN \(parent) p
            ON p.\(key) = c._sdc_source_key_\(key) AND p._sdc_sequence = c._sdc_sequence WHERE p.\(key) IS NULL
            """)
        #expect(orphans == [], "rows of \(child) without a parent row of the same sequence")
    }
    // Customer 2 was sent again in a later batch: its row there has the higher sequence.
    let sequences = try rows(database, "SELECT _sdc_sequence AS s FROM customers WHERE id IN (1, 2) ORDER BY id")
        .compactMap { $0["s"].flatMap(\.integerValue) }
    #expect(sequences.count == 2 && sequences[0] < sequences[1], "sequences of customers 1 and 2: \(sequences)")
}

/// Columns the loader adds to every row besides the ones each table expectation selects.
let singerLoaderColumns = ["_sdc_received_at", "_sdc_batched_at", "_sdc_sequence"]

// MARK: - The Singer stream

/// What a Singer tap would print for two streams: `customers`, incremental with a bookmark, sent in
/// two syncs (customer 2 changes), and `products`, a full-table stream sent as two table versions,
/// each made current with ACTIVATE_VERSION, the second with fewer rows.
struct SingerSync {
    let firstVersion: Int64 = 1_717_000_000_000
    var secondVersion: Int64 { firstVersion + 86_400_000 }

    let firstCustomers = [
        Customer(id: 1, name: "Ada", email: "ada@example.com", vip: true, balance: 12.5,
                 updatedAt: "2024-02-29T23:30:00+02:00",
                 address: Address(city: "Berlin", geo: Geo(lat: 52.52, lon: 13.405)),
                 orders: [Order(id: 10, placedAt: "2023-12-31T23:59:59.999Z",
                                lines: [Line(sku: "A", quantity: 2), Line(sku: "B", quantity: 1)])],
                 tags: ["new", "vip"], timeExtracted: "2024-03-04T09:00:00.000000Z"),
        Customer(id: 2, name: "Bo", email: nil, vip: false, balance: nil,
                 updatedAt: "2024-03-01T08:00:00.250Z",
                 address: Address(city: "Oslo", geo: nil),
                 orders: [Order(id: 20, placedAt: nil, lines: []),
                          Order(id: 21, placedAt: "2024-01-01T00:30:00+01:00", lines: [Line(sku: "C", quantity: 5)])],
                 tags: [], timeExtracted: "2024-03-04T09:00:00.000000Z"),
        Customer(id: 3, name: "Cy", email: "cy@example.com", vip: nil, balance: -3.75,
                 updatedAt: "2024-03-02T01:15:00-05:00", address: nil, orders: nil,
                 tags: ["vip"], timeExtracted: "2024-03-04T09:00:00.000000Z"),
    ]

    let laterCustomers = [
        // Fewer orders than before and no tags: the old child rows must go. Absent fields load as NULL.
        Customer(id: 2, name: "Bo Updated", email: nil, vip: nil, balance: nil,
                 updatedAt: "2024-03-03T12:00:00Z", address: nil,
                 orders: [Order(id: 22, placedAt: "2024-03-03T11:00:00Z", lines: [Line(sku: "D", quantity: 1)])],
                 tags: nil, timeExtracted: "2024-03-04T10:30:00.000000Z", omitsNilFields: true),
        Customer(id: 4, name: "Di", email: "di@example.com", vip: true, balance: 0.5,
                 updatedAt: "2024-03-03T13:45:30.500+01:00",
                 address: Address(city: nil, geo: Geo(lat: -33.8688, lon: 151.2093)),
                 orders: [], tags: ["early-adopter"], timeExtracted: nil),
    ]

    let firstProducts = [
        Product(sku: "A", title: "Anvil", price: 19.99, widthCM: 30, heightCM: nil,
                variants: [Variant(color: "red", stock: 3), Variant(color: "blue", stock: 0)]),
        Product(sku: "B", title: "Bucket", price: 4.25, widthCM: 20, heightCM: 25, variants: [Variant(color: "green", stock: 7)]),
        Product(sku: "C", title: "Crate", price: nil, widthCM: 50, heightCM: nil, variants: []),
    ]

    let secondProducts = [
        Product(sku: "B", title: "Bucket XL", price: 5.5, widthCM: 22, heightCM: 30,
                variants: [Variant(color: "green", stock: 9), Variant(color: "black", stock: 1)]),
        Product(sku: "D", title: "Drum", price: 74.5, widthCM: 60, heightCM: nil, variants: []),
    ]

    /// The STATE values, in the order the tap sends them.
    var states: [JSONValue] {
        let firstBookmark: JSONValue = ["updated_at": .string(firstCustomers[firstCustomers.count - 1].updatedAt)]
        let lastBookmark: JSONValue = ["updated_at": .string(laterCustomers[laterCustomers.count - 1].updatedAt)]
        return [
            ["currently_syncing": "customers", "bookmarks": ["customers": firstBookmark]],
            ["currently_syncing": "products",
             "bookmarks": ["customers": firstBookmark, "products": ["version": .integer(firstVersion)]]],
            ["currently_syncing": "products",
             "bookmarks": ["customers": firstBookmark, "products": ["version": .integer(secondVersion)]]],
            ["currently_syncing": nil,
             "bookmarks": ["customers": lastBookmark, "products": ["version": .integer(secondVersion)]]],
        ]
    }

    var messages: [JSONValue] {
        let states = self.states
        var messages: [JSONValue] = [Self.schemaMessage("customers", Customer.schema, keys: ["id"], bookmarks: ["updated_at"])]
        messages += firstCustomers.map { Self.recordMessage("customers", $0.record, version: nil, timeExtracted: $0.timeExtracted) }
        messages.append(["type": "STATE", "value": states[0]])
        messages.append(Self.schemaMessage("products", Product.schema, keys: ["sku"], bookmarks: nil))
        messages += firstProducts.map { Self.recordMessage("products", $0.record, version: firstVersion, timeExtracted: nil) }
        messages.append(["type": "ACTIVATE_VERSION", "stream": "products", "version": .integer(firstVersion)])
        messages.append(["type": "STATE", "value": states[1]])
        messages += secondProducts.map { Self.recordMessage("products", $0.record, version: secondVersion, timeExtracted: nil) }
        messages.append(["type": "ACTIVATE_VERSION", "stream": "products", "version": .integer(secondVersion)])
        messages.append(["type": "STATE", "value": states[2]])
        // Taps repeat SCHEMA when a stream starts again; target-stitch flushes on it.
        messages.append(Self.schemaMessage("customers", Customer.schema, keys: ["id"], bookmarks: ["updated_at"]))
        messages += laterCustomers.map { Self.recordMessage("customers", $0.record, version: nil, timeExtracted: $0.timeExtracted) }
        messages.append(["type": "STATE", "value": states[3]])
        return messages
    }

    static func schemaMessage(_ stream: String, _ schema: JSONValue, keys: [String], bookmarks: [String]?) -> JSONValue {
        var message: JSONObject = JSONObject([
            ("type", "SCHEMA"), ("stream", .string(stream)), ("schema", schema),
            ("key_properties", .array(keys.map(JSONValue.string))),
        ])
        if let bookmarks { message["bookmark_properties"] = .array(bookmarks.map(JSONValue.string)) }
        return .object(message)
    }

    static func recordMessage(_ stream: String, _ record: JSONValue, version: Int64?, timeExtracted: String?) -> JSONValue {
        var message = JSONObject([("type", "RECORD"), ("stream", .string(stream)), ("record", record)])
        if let version { message["version"] = .integer(version) }
        if let timeExtracted { message["time_extracted"] = .string(timeExtracted) }
        return .object(message)
    }

    // MARK: Expected destination

    /// Each customer as last sent (target-stitch's sequences grow with time, so the last one wins).
    var finalCustomers: [Customer] {
        var latest: [Int64: Customer] = [:]
        for customer in firstCustomers + laterCustomers { latest[customer.id] = customer }
        return latest.values.sorted { $0.id < $1.id }
    }

    /// Only the last activated version's rows remain.
    var finalProducts: [Product] { secondProducts.sorted { $0.sku < $1.sku } }

    var expectedTables: [TableExpectation] {
        let customers = finalCustomers
        let products = finalProducts
        return [
            TableExpectation(name: "customers", columns: Customer.columns, orderBy: "id", rows: customers.map(\.row)),
            TableExpectation(name: "customers__orders", columns: Customer.orderColumns, orderBy: "_sdc_source_key_id, _sdc_level_0_id",
                             rows: customers.flatMap(\.orderRows)),
            TableExpectation(name: "customers__orders__lines", columns: Customer.lineColumns,
                             orderBy: "_sdc_source_key_id, _sdc_level_0_id, _sdc_level_1_id", rows: customers.flatMap(\.lineRows)),
            TableExpectation(name: "customers__tags", columns: Customer.tagColumns, orderBy: "_sdc_source_key_id, _sdc_level_0_id",
                             rows: customers.flatMap(\.tagRows)),
            TableExpectation(name: "products", columns: Product.columns, orderBy: "sku",
                             rows: products.map { $0.row(version: secondVersion) }),
            TableExpectation(name: "products__variants", columns: Product.variantColumns, orderBy: "_sdc_source_key_sku, _sdc_level_0_id",
                             rows: products.flatMap { $0.variantRows(version: secondVersion) }),
        ]
    }
}

struct TableExpectation {
    var name: String
    /// The columns `rows` hold, in SELECT order; with `singerLoaderColumns`, all the table has.
    var columns: [String]
    var orderBy: String
    var rows: [JSONValue]
}

struct Geo {
    var lat: Double
    var lon: Double
}

struct Address {
    var city: String?
    var geo: Geo?
}

struct Line {
    var sku: String
    var quantity: Int64
}

struct Order {
    var id: Int64
    var placedAt: String?
    var lines: [Line]
}

struct Customer {
    var id: Int64
    var name: String
    var email: String?
    var vip: Bool?
    var balance: Double?
    var updatedAt: String
    var address: Address?
    var orders: [Order]?
    var tags: [String]?
    var timeExtracted: String?
    /// Leaves nil fields out of the record instead of sending null: taps do both.
    var omitsNilFields = false

    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "id": ["type": "integer"],
            "name": ["type": "string"],
            "email": ["type": ["null", "string"]],
            "vip": ["type": ["null", "boolean"]],
            "balance": ["type": ["null", "number"]],
            "updated_at": ["type": "string", "format": "date-time"],
            "address": [
                "type": ["null", "object"],
                "properties": [
                    "city": ["type": ["null", "string"]],
                    "geo": ["type": ["null", "object"],
                            "properties": ["lat": ["type": "number"], "lon": ["type": "number"]]],
                ],
            ],
            "orders": [
                "type": ["null", "array"],
                "items": [
                    "type": "object",
                    "properties": [
                        "order_id": ["type": "integer"],
                        "placed_at": ["type": ["null", "string"], "format": "date-time"],
                        "lines": ["type": "array", "items": [
                            "type": "object",
                            "properties": ["sku": ["type": "string"], "quantity": ["type": "integer"]],
                        ]],
                    ],
                ],
            ],
            "tags": ["type": ["null", "array"], "items": ["type": "string"]],
        ],
    ]

    var record: JSONValue {
        var record = JSONObject()
        func put(_ key: String, _ value: JSONValue?) {
            if let value { record[key] = value } else if !omitsNilFields { record[key] = .null }
        }
        put("id", .integer(id))
        put("name", .string(name))
        put("email", email.map(JSONValue.string))
        put("vip", vip.map(JSONValue.bool))
        put("balance", balance.map(JSONValue.number))
        put("updated_at", .string(updatedAt))
        put("address", address.map { address -> JSONValue in
            ["city": address.city.map(JSONValue.string) ?? .null,
             "geo": address.geo.map { geo -> JSONValue in ["lat": .number(geo.lat), "lon": .number(geo.lon)] } ?? .null]
        })
        put("orders", orders.map { orders -> JSONValue in
            .array(orders.map { order -> JSONValue in
                ["order_id": .integer(order.id), "placed_at": order.placedAt.map(JSONValue.string) ?? .null,
                 "lines": .array(order.lines.map { line -> JSONValue in ["sku": .string(line.sku), "quantity": .integer(line.quantity)] })]
            })
        })
        put("tags", tags.map { tags -> JSONValue in .array(tags.map(JSONValue.string)) })
        return .object(record)
    }

    static let columns = ["id", "name", "email", "vip", "balance", "updated_at", "address__city", "address__geo__lat",
                          "address__geo__lon", "_sdc_extracted_at", "_sdc_table_version"]
    static let orderColumns = ["_sdc_source_key_id", "_sdc_level_0_id", "order_id", "placed_at", "_sdc_extracted_at",
                               "_sdc_table_version"]
    static let lineColumns = ["_sdc_source_key_id", "_sdc_level_0_id", "_sdc_level_1_id", "sku", "quantity",
                              "_sdc_extracted_at", "_sdc_table_version"]
    static let tagColumns = ["_sdc_source_key_id", "_sdc_level_0_id", "value", "_sdc_extracted_at", "_sdc_table_version"]

    /// `_sdc_extracted_at` and `_sdc_table_version` (0: the stream has no versions), which child rows share.
    private var system: [(String, JSONValue)] {
        [("_sdc_extracted_at", timeExtracted.map(utcDestinationText) ?? .null), ("_sdc_table_version", .integer(0))]
    }

    var row: JSONValue {
        .object(JSONObject([
            ("id", .integer(id)),
            ("name", .string(name)),
            ("email", email.map(JSONValue.string) ?? .null),
            // SQLite has no boolean: 1 and 0 (spec §4.10).
            ("vip", vip.map { .integer($0 ? 1 : 0) } ?? .null),
            ("balance", balance.map(JSONValue.number) ?? .null),
            ("updated_at", utcDestinationText(updatedAt)),
            ("address__city", address?.city.map(JSONValue.string) ?? .null),
            ("address__geo__lat", address?.geo.map { .number($0.lat) } ?? .null),
            ("address__geo__lon", address?.geo.map { .number($0.lon) } ?? .null),
        ] + system))
    }

    var orderRows: [JSONValue] {
        (orders ?? []).enumerated().map { index, order in
            .object(JSONObject([
                ("_sdc_source_key_id", .integer(id)), ("_sdc_level_0_id", .integer(Int64(index))),
                ("order_id", .integer(order.id)), ("placed_at", order.placedAt.map(utcDestinationText) ?? .null),
            ] + system))
        }
    }

    var lineRows: [JSONValue] {
        (orders ?? []).enumerated().flatMap { orderIndex, order in
            order.lines.enumerated().map { lineIndex, line in
                .object(JSONObject([
                    ("_sdc_source_key_id", .integer(id)), ("_sdc_level_0_id", .integer(Int64(orderIndex))),
                    ("_sdc_level_1_id", .integer(Int64(lineIndex))),
                    ("sku", .string(line.sku)), ("quantity", .integer(line.quantity)),
                ] + system))
            }
        }
    }

    var tagRows: [JSONValue] {
        (tags ?? []).enumerated().map { index, tag in
            .object(JSONObject([
                ("_sdc_source_key_id", .integer(id)), ("_sdc_level_0_id", .integer(Int64(index))), ("value", .string(tag)),
            ] + system))
        }
    }
}

struct Variant {
    var color: String
    var stock: Int64
}

struct Product {
    var sku: String
    var title: String
    var price: Double?
    var widthCM: Int64
    var heightCM: Int64?
    var variants: [Variant]

    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "sku": ["type": "string"],
            "title": ["type": "string"],
            "price": ["type": ["null", "number"]],
            "dimensions": ["type": "object", "properties": [
                "width_cm": ["type": "integer"], "height_cm": ["type": ["null", "integer"]],
            ]],
            "variants": ["type": "array", "items": [
                "type": "object", "properties": ["color": ["type": "string"], "stock": ["type": "integer"]],
            ]],
        ],
    ]

    var record: JSONValue {
        [
            "sku": .string(sku), "title": .string(title), "price": price.map(JSONValue.number) ?? .null,
            "dimensions": ["width_cm": .integer(widthCM), "height_cm": heightCM.map(JSONValue.integer) ?? .null],
            "variants": .array(variants.map { variant -> JSONValue in ["color": .string(variant.color), "stock": .integer(variant.stock)] }),
        ]
    }

    static let columns = ["sku", "title", "price", "dimensions__width_cm", "dimensions__height_cm", "_sdc_table_version"]
    static let variantColumns = ["_sdc_source_key_sku", "_sdc_level_0_id", "color", "stock", "_sdc_table_version"]

    func row(version: Int64) -> JSONValue {
        [
            "sku": .string(sku), "title": .string(title), "price": price.map(JSONValue.number) ?? .null,
            "dimensions__width_cm": .integer(widthCM), "dimensions__height_cm": heightCM.map(JSONValue.integer) ?? .null,
            "_sdc_table_version": .integer(version),
        ]
    }

    func variantRows(version: Int64) -> [JSONValue] {
        variants.enumerated().map { index, variant -> JSONValue in
            [
                "_sdc_source_key_sku": .string(sku), "_sdc_level_0_id": .integer(Int64(index)),
                "color": .string(variant.color), "stock": .integer(variant.stock), "_sdc_table_version": .integer(version),
            ]
        }
    }
}

// MARK: - Helpers

/// A date-time from the stream as the destination stores it: UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
///
/// Computed with Foundation's ISO 8601 parser, independently of the sandbox's own.
func utcDestinationText(_ text: String) -> JSONValue {
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let date = parser.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
        return .string("unparseable test date-time \(text)")
    }
    let seconds = date.timeIntervalSince1970.rounded(.down)
    let microseconds = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded())
    let whole = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    return .string(String(whole.dropLast()) + String(format: ".%06dZ", microseconds))
}

/// Connect API calls made with curl; the Connect token goes in a header file, not on the command line.
struct ConnectClient {
    let baseURL: String
    let headerFile: URL

    init(sandbox: SandboxProcess, headerFile: URL) throws {
        baseURL = sandbox.baseURL
        self.headerFile = headerFile
        try writePrivately("Authorization: Bearer \(sandbox.connectToken)\nContent-Type: application/json\n", to: headerFile)
    }

    /// POSTs `body` and returns the JSON reply; anything but a 200 with JSON throws.
    func post(_ path: String, body: JSONValue?) throws -> JSONValue {
        var arguments = ["--silent", "--show-error", "-X", "POST", "-H", "@" + headerFile.path,
                         "--write-out", "\n%{http_code}", baseURL + path]
        if let body { arguments += ["--data-binary", body.jsonText] }
        let printed = try run(executableInPath("curl") ?? "/usr/bin/curl", arguments)
        var lines = printed.components(separatedBy: "\n")
        let status = lines.popLast() ?? ""
        let reply = lines.joined(separator: "\n")
        guard status == "200", let json = try? JSONParser.parse(reply) else {
            throw CommandFailure(description: "POST \(path) answered \(status): \(reply)")
        }
        return json
    }
}

/// Writes `text` to a new file that only its owner may read (0600 from the start).
func writePrivately(_ text: String, to url: URL) throws {
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else {
        throw CommandFailure(description: "cannot create \(url.path): \(String(cString: strerror(errno)))")
    }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
}

/// Rows of a query as the sqlite3 CLI prints them in JSON mode: NULL stays null, numbers keep their type.
func rows(_ database: URL, _ sql: String) throws -> [JSONValue] {
    let printed = try run(executableInPath("sqlite3") ?? "/usr/bin/sqlite3", ["-json", database.path, sql])
    guard !printed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
    guard let rows = try JSONParser.parse(printed).arrayValue else {
        throw CommandFailure(description: "sqlite3 -json printed no array for \(sql): \(printed)")
    }
    return rows
}

func isSubsequence(_ items: [JSONValue], of sequence: [JSONValue]) -> Bool {
    var remaining = sequence[...]
    for item in items {
        guard let index = remaining.firstIndex(of: item) else { return false }
        remaining = remaining[(index + 1)...]
    }
    return true
}

/// The last lines of a text file, for failure messages.
func tail(of url: URL, lines: Int = 40) -> String {
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? "(unreadable: \(url.path))"
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
}

extension JSONValue {
    var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
