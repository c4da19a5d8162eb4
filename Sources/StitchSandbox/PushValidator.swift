import StitchAPI

/// A push-format body the gate refuses: the reply's status and JSON body (spec §3.5).
struct PushRejection: Error, Sendable, Equatable {
    var status: Int
    var body: JSONValue
}

/// Validates a parsed push-format body (spec §3.5): what `POST /v2/import/validate` checks, and what
/// `/v2/import/push` would. The checks run in this order, the first failing one answering:
///
/// 1. 400: the root is not an array of objects, or holds no records or more than 20,000.
/// 2. 401 "Not Authenticated.": a record without `client_id`.
/// 3. 422: records for more than one client.
/// 4. 403: the one client is not the token's.
/// 5. 422: each record's field problems, one `{"reason": {field: [messages]}}` per failing record.
enum PushValidator {
    static let maximumRecords = 20_000
    /// The push docs' figure (spec §3.5). The batch docs say shorter than 256 [?]; each endpoint keeps its own.
    static let maximumStringKeyLength = 1024
    /// The documented fields, plus `namespace` and `table_version`, which the Java and Clojure clients
    /// send (spec §3.5). Anything else is an "unknown key", as in the docs' `key_properties` example.
    static let knownFields: Set<String> = [
        "client_id", "namespace", "table_name", "table_version", "sequence", "action", "key_names", "data",
    ]

    static func validate(_ body: JSONValue, clientID: Int) throws(PushRejection) {
        guard case .array(let elements) = body else { throw notAnArray }
        var records: [JSONObject] = []
        records.reserveCapacity(elements.count)
        for element in elements {
            // A list of anything but records is not "an array of records".
            guard case .object(let record) = element else { throw notAnArray }
            records.append(record)
        }
        // The count limits apply to every request (spec §3.7); their push texts are undocumented [?].
        if records.isEmpty || records.count > maximumRecords {
            throw PushRejection(status: 400, body: [
                "status": "ERROR",
                "message": .string("A request must hold 1 to \(maximumRecords) records; this one holds \(records.count)"),
            ])
        }
        try checkClients(records, clientID: clientID)
        let reasons = records.compactMap(problems(in:))
        if !reasons.isEmpty {
            throw unprocessable(reasons.map { JSONValue.object(JSONObject([("reason", .object($0))])) })
        }
    }

    private static var notAnArray: PushRejection {
        PushRejection(status: 400, body: ["status": "ERROR", "message": "An array of records is expected"])
    }

    private static func unprocessable(_ errors: [JSONValue]) -> PushRejection {
        PushRejection(status: 422, body: [
            "status": "ERROR", "error": "Request cannot be processed; see errors.", "errors": .array(errors),
        ])
    }

    /// `client_id` names the account the data is for; the token must belong to it (spec §3.5).
    private static func checkClients(_ records: [JSONObject], clientID: Int) throws(PushRejection) {
        if records.contains(where: { $0["client_id"] == nil || $0["client_id"] == .null }) {
            throw PushRejection(status: 401, body: ["status": "ERROR", "error": "Not Authenticated.", "errors": nil])
        }
        var clients: [Int64] = []
        for record in records {
            // A client_id of the wrong type is a field problem, reported with the others in step 5.
            if case .integer(let id)? = record["client_id"], !clients.contains(id) { clients.append(id) }
        }
        if clients.count > 1 {
            throw unprocessable([[
                "reason": .string(
                    "The batch contains data points for multiple clients. Only client_id \(clientID) is allowed"),
            ]])
        }
        if let only = clients.first, only != Int64(clientID) {
            throw PushRejection(status: 403, body: [
                "status": "ERROR", "error": "Forbidden",
                "errors": ["error": "Access token is not associated with this client."],
            ])
        }
    }

    /// One record's problems as `{field: [messages]}`, in the documented wording where there is one;
    /// nil when it is fine.
    static func problems(in record: JSONObject) -> JSONObject? {
        var reason = JSONObject()
        func add(_ field: String, _ messages: JSONValue...) {
            let earlier = reason[field]?.arrayValue ?? []
            reason[field] = .array(earlier + messages)
        }
        func isBlank(_ value: JSONValue?) -> Bool {
            switch value {
            case nil, .null?: true
            case .string(let text)?: text.allSatisfy(\.isWhitespace)
            default: false
            }
        }

        if let problem = integerProblem(record["client_id"], required: true) { add("client_id", problem) }
        if isBlank(record["table_name"]) {
            add("table_name", "can't be blank")
        } else if record["table_name"]?.stringValue == nil {
            add("table_name", "should be a string")
        }
        if isBlank(record["sequence"]) {
            add("sequence", "can't be blank")
        } else if let problem = integerProblem(record["sequence"], required: true) {
            add("sequence", problem)
            if !(record["sequence"]?.isNumber ?? false) { add("sequence", "should be a number") }
        }
        if let problem = integerProblem(record["table_version"], required: false) { add("table_version", problem) }
        if let namespace = record["namespace"], namespace != .null, namespace.stringValue == nil {
            add("namespace", "should be a string")
        }

        switch record["action"] {
        case let action where isBlank(action):
            add("action", "can't be blank")
        case "upsert"?:
            upsertProblems(record, add: { add($0, $1) }, isBlank: isBlank)
        case "switch_view"?:
            // The Java client's experimental full-table swap names the version to show (spec §3.5).
            if record["table_version"] == nil { add("table_version", "can't be blank") }
        default:
            // Undocumented wording [?].
            add("action", "should be one of upsert, switch_view")
        }

        for key in record.keys where !knownFields.contains(key) { add(key, "unknown key") }
        return reason.isEmpty ? nil : reason
    }

    private static func upsertProblems(_ record: JSONObject, add: (String, JSONValue) -> Void,
                                       isBlank: (JSONValue?) -> Bool) {
        var keyNames: [String] = []
        if isBlank(record["key_names"]) {
            add("key_names", "can't be blank")
        } else if let names = record["key_names"]?.arrayValue, names.allSatisfy({ $0.stringValue != nil }) {
            keyNames = names.compactMap(\.stringValue)
        } else {
            add("key_names", "should be an array of strings")  // undocumented wording [?]
        }
        guard !isBlank(record["data"]) else {
            add("data", "can't be blank")
            return
        }
        guard case .object(let data)? = record["data"] else {
            add("data", "data must be an object")
            return
        }
        if keyNames.contains(where: { data[$0] == nil }) {
            add("data", "data must include keys")
        } else if keyNames.contains(where: { data[$0] == .null }) {
            add("data", "keys cannot not be null in data")  // sic, as documented
        } else if keyNames.contains(where: { (data[$0]?.stringValue?.utf16.count ?? 0) > maximumStringKeyLength }) {
            add("data", .string("String keys cannot be longer than \(maximumStringKeyLength) characters"))
        }
        if DataPoints.count(in: .object(data)) > DataPoints.maximumPerRecord {
            // Undocumented wording [?].
            add("data", .string("data cannot hold more than \(DataPoints.maximumPerRecord) data points"))
        }
    }

    /// "should be an integer" for anything but an integer literal that fits a Java long.
    private static func integerProblem(_ value: JSONValue?, required: Bool) -> JSONValue? {
        switch value {
        case nil, .null?: required ? "can't be blank" : nil
        case .integer?: nil
        default: "should be an integer"
        }
    }
}

private extension JSONValue {
    var isNumber: Bool {
        switch self {
        case .integer, .number: true
        default: false
        }
    }
}
