import StitchAPI

/// A batch the gate refuses: the text of the 400 reply's `error`.
struct BatchRejection: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Validates a parsed `POST /v2/import/batch` body in the order of spec §7.3, steps 6 to 9, with the
/// gate's documented messages. The first failing step wins.
///
/// What passes is what `BatchRequest(json:)` (the loader's reader) reads, so a 201 never stores a
/// batch that cannot load for its shape.
enum BatchValidator {
    static let maximumMessages = ImportLimits.maximumRecordsPerBatch
    /// "String PK values shorter than 256 chars" (spec §3.3, batch docs). The push docs' 422 says 1,024
    /// instead [?]; the batch endpoint keeps its own documented figure.
    static let maximumStringKeyLength = ImportLimits.maximumStringKeyLength

    /// The pattern matching a batch may do: `patternStepsPerByte` matcher steps per byte of the
    /// request, and at least `minimumPatternSteps`, so validation time stays proportional to what
    /// was sent whatever patterns the schema declares (see `PatternBudget`). A record that needs more
    /// gets a 400 naming the limit [?]: the gate backtracks instead, so it has no such reply. Ordinary
    /// schemas use well under a tenth of it: a 20,000-record batch with an anchored e-mail pattern on
    /// every record takes about 2.6 million steps. At the limit, about 15 ns a step on this machine's
    /// release build: 0.15 s for a small batch, 6 s for a 20 MB one.
    static let patternStepsPerByte = 20
    static let minimumPatternSteps = 10_000_000

    static func patternSteps(forBodyOfSize bytes: Int) -> Int {
        max(minimumPatternSteps, bytes.multipliedReportingOverflow(by: patternStepsPerByte).partialValue)
    }

    /// The 400 reply's text, or nil when the batch is acceptable.
    static func problem(with body: JSONValue, patternSteps: Int = minimumPatternSteps) -> String? {
        do throws(BatchRejection) {
            _ = try validate(body, patternSteps: patternSteps)
            return nil
        } catch {
            return error.message
        }
    }

    /// The batch, read, when every check passes.
    static func validate(_ body: JSONValue, patternSteps: Int = minimumPatternSteps) throws(BatchRejection)
        -> BatchRequest {
        try checkEnvelope(body)
        let request: BatchRequest
        do throws(BatchRequestShapeError) {
            request = try BatchRequest(json: body)
        } catch {
            // The envelope checks admit only what BatchRequest reads; this guards that promise.
            throw BatchRejection("Request failed validation:#: \(error.message)")
        }
        let schema: JSONSchema
        do throws(JSONSchemaError) {
            schema = try JSONSchema(request.schema)
        } catch {
            throw BatchRejection("Invalid JSON schema: \(error.message)")
        }
        let keyNames = request.keyNames ?? []
        try checkKeyNames(keyNames, against: schema)
        let budget = PatternBudget(steps: patternSteps)
        for (index, message) in request.messages.enumerated() {
            guard let data = message.data else { continue }
            try checkRecord(.object(data), at: index, schema: schema, keyNames: keyNames, budget: budget)
        }
        return request
    }

    // MARK: Step 6 and 7: the envelope

    private static func checkEnvelope(_ body: JSONValue) throws(BatchRejection) {
        // Counted before the schema runs, so 10 million messages are refused without validating each.
        // The gate's text for this is undocumented [?]; everit's maxItems wording keeps it in line
        // with the other "Request failed validation" replies.
        if let messages = body["messages"]?.arrayValue, messages.count > maximumMessages {
            throw BatchRejection(
                "Request failed validation:#/messages: expected maximum item count: \(maximumMessages), found: \(messages.count)")
        }
        let plain = body["messages"]?.arrayValue?.allSatisfy(BatchEnvelopeSchema.isPlainlyValid) ?? true
        let envelope = plain ? BatchEnvelopeSchema.schemaWithoutMessageItems : BatchEnvelopeSchema.schema
        let violations = envelope.validate(body)
        if !violations.isEmpty { throw BatchRejection("Request failed validation:" + oneLine(violations)) }
        guard let object = body.objectValue else { return }

        // JSON Schema's "integer" admits any whole number; the loader needs exact Int64 literals.
        let messages = object["messages"]?.arrayValue ?? []
        for (index, message) in messages.enumerated() {
            try checkInt64(message["sequence"], name: "sequence", pointer: "#/messages/\(index)/sequence")
        }
        try checkInt64(object["table_version"], name: "table_version", pointer: "#/table_version")

        // target-stitch sends activate_version with the version it activates (spec §7.6); without one
        // the loader could not know which rows to keep. The gate's behaviour is undocumented [?].
        if object["table_version"] == nil,
           let index = messages.firstIndex(where: { $0["action"] == "activate_version" }) {
            throw BatchRejection(
                "Request failed validation:#/messages/\(index): an activate_version message needs the request's table_version")
        }
    }

    /// `sequence` and `table_version` are Java longs at the gate. A bigger integer gets the documented
    /// "#: sequence can not be above 9223372036854775807"; the "below" twin is the sandbox's [?].
    private static func checkInt64(_ value: JSONValue?, name: String, pointer: @autoclosure () -> String)
        throws(BatchRejection) {
        // JSONParser keeps every integer literal that fits in Int64 as `.integer`; anything else is `.number`.
        guard case .number(let number)? = value else { return }
        if number >= 0x1p63 { throw BatchRejection("Request failed validation:#: \(name) can not be above \(Int64.max)") }
        // A literal just below Int64.min rounds to exactly -2^63 as a Double; Int64.min itself is `.integer`.
        if number <= -0x1p63 { throw BatchRejection("Request failed validation:#: \(name) can not be below \(Int64.min)") }
        // A whole number written with a fraction or an exponent (1.0, 1e3): not an integer literal.
        throw BatchRejection("Request failed validation:\(pointer()): expected type: Integer, found: Number")
    }

    // MARK: Step 8: the schema and its keys

    /// Key properties must be top-level properties of the schema (spec §3.3). The gate's text for a
    /// key that is not one is undocumented [?]; this names the key and the rule.
    private static func checkKeyNames(_ keyNames: [String], against schema: JSONSchema) throws(BatchRejection) {
        if let problem = BatchRecordRules.keyNameProblem(keyNames, schema: schema) { throw BatchRejection(problem) }
    }

    // MARK: Step 9: each record

    private static func checkRecord(_ data: JSONValue, at index: Int, schema: JSONSchema, keyNames: [String],
                                    budget: PatternBudget) throws(BatchRejection) {
        // The rules and texts live in StitchAPI's BatchRecordRules, shared with `push --dry-run`;
        // the pattern budget is the sandbox's own.
        if let problem = BatchRecordRules.dataPointsProblem(data, at: index) { throw BatchRejection(problem) }
        let violations = schema.validate(data, budget: budget)
        if budget.isExhausted {
            throw BatchRejection(
                "Record \(index) could not be checked against the schema: its patterns need more than \(budget.limit) matching steps, the most this batch may use (\(patternStepsPerByte) per byte of the request, at least \(minimumPatternSteps)); use simpler patterns or smaller batches")
        }
        if let problem = BatchRecordRules.schemaProblem(violations, at: index) { throw BatchRejection(problem) }
        for key in keyNames {
            if let problem = BatchRecordRules.keyValueProblem(key: key, value: data[key], at: index) {
                throw BatchRejection(problem)
            }
        }
    }

    // MARK: Formatting

    /// everit's findings on one line, as "Request failed validation:" replies print them (spec §3.3):
    /// each finding followed by its causes, separated by spaces.
    static func oneLine(_ violations: [SchemaViolation]) -> String {
        let top: SchemaViolation
        if violations.count == 1 {
            top = violations[0]
        } else {
            let count = violations.reduce(0) { $0 + $1.violationCount }
            top = SchemaViolation(pointer: "#", message: "\(count) schema violations found", keyword: nil,
                                  causes: violations)
        }
        return top.reportLines.joined(separator: " ")
    }
}
