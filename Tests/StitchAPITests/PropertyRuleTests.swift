import StitchAPI
import Testing

/// The per-value rule of `POST`/`PUT /v4/sources` that forms apply as the user types.
@Suite struct PropertyRuleTests {
    static func property(_ schema: JSONValue?, type: String = "user_provided", name: String = "field") -> StepProperty {
        StepProperty(name: name, isRequired: true, isCredential: false, systemProvided: false, propertyType: type,
                     jsonSchema: schema ?? .null)
    }

    static func message(_ value: String, _ schema: JSONValue?) -> String? {
        property(schema).problem(with: value)?.message
    }

    @Test func readOnlyPropertiesTakeNoValue() throws {
        let problem = try #require(Self.property(nil, type: "read_only", name: "image_version").problem(with: "1.latest"))
        #expect(problem.reason == .readOnly)
        #expect(problem.message == "is set by Stitch and cannot be changed")
    }

    @Test func theEmptyStringIsRefusedWhateverTheSchema() throws {
        for schema: JSONValue? in [nil, ["type": "string"], ["type": "string", "minLength": 0]] {
            let problem = try #require(Self.property(schema).problem(with: ""))
            #expect(problem.reason == .empty)
            #expect(problem.message == "cannot be empty")
        }
    }

    @Test func integersReadFromTheirText() throws {
        let schema: JSONValue = ["type": "integer"]
        #expect(Self.message("5432", schema) == nil)
        #expect(Self.message("-1", schema) == nil)
        for bad in ["54x", "1.5", "five", " 5432"] {
            let problem = try #require(Self.property(schema).problem(with: bad), "\(bad)")
            #expect(problem.reason == .schema(keyword: "type"))
            #expect(problem.message == "must be an integer")
        }
    }

    @Test func numbersAndBooleansReadFromTheirText() {
        #expect(Self.message("1.5", ["type": "number"]) == nil)
        #expect(Self.message("abc", ["type": "number"]) == "must be a number")
        #expect(Self.message("true", ["type": "boolean"]) == nil)
        #expect(Self.message("yes", ["type": "boolean"]) == "must be true or false")
        #expect(Self.message("x", ["type": ["integer", "number"]]) == "must be an integer or a number")
    }

    @Test func patternsAreNamed() throws {
        let boolean: JSONValue = ["type": "string", "pattern": "^(true|false)$"]
        #expect(Self.message("true", boolean) == nil)
        let problem = try #require(Self.property(boolean).problem(with: "yes"))
        #expect(problem.reason == .schema(keyword: "pattern"))
        #expect(problem.message == "must match ^(true|false)$")
        let startDate: JSONValue = ["type": "string", "pattern": #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#]
        #expect(Self.message("2024-01-31T00:00:00Z", startDate) == nil)
        #expect(Self.message("2024-01-31", startDate) == #"must match ^\d{4}-\d{2}-\d{2}T00:00:00Z$"#)
    }

    @Test func closedListsListTheirOptions() {
        let enumeration: JSONValue = ["type": "string", "enum": ["a", "b"]]
        #expect(Self.message("a", enumeration) == nil)
        #expect(Self.message("c", enumeration) == "must be one of: a, b")
        let constants: JSONValue = ["anyOf": [["const": "x"], ["const": "y"]]]
        #expect(Self.message("y", constants) == nil)
        #expect(Self.message("z", constants) == "must be one of: x, y")
        #expect(Self.message("z", ["oneOf": [["enum": ["p"]], ["const": "q"]]]) == "must be one of: p, q")
        #expect(Self.message("z", ["const": "only"]) == "must be only")
    }

    @Test func dateTimesGiveAnExample() throws {
        let schema: JSONValue = ["type": "string", "format": "date-time"]
        #expect(Self.message("2024-01-31T00:00:00Z", schema) == nil)
        let problem = try #require(Self.property(schema).problem(with: "yesterday"))
        #expect(problem.reason == .schema(keyword: "format"))
        #expect(problem.message == "must be a date-time like 2024-01-31T00:00:00Z")
        // The example must itself be accepted, or the message would mislead.
        #expect(Self.message(PropertyRule.dateTimeExample, schema) == nil)
    }

    @Test func lengthsBoundsAndBranchesAreWorded() {
        #expect(Self.message("ab", ["type": "string", "minLength": 3]) == "must be at least 3 characters long")
        #expect(Self.message("abcd", ["type": "string", "maxLength": 3]) == "must be at most 3 characters long")
        #expect(Self.message("0", ["type": "integer", "minimum": 1]) == "must be at least 1")
        #expect(Self.message("70000", ["type": "integer", "maximum": 65535]) == "must be at most 65535")
        #expect(Self.message("1", ["type": "integer", "minimum": 1, "exclusiveMinimum": true]) == "must be greater than 1")
        #expect(Self.message("c", ["anyOf": [["pattern": "^a"], ["pattern": "^b"]]]) == "must match ^a or match ^b")
        #expect(Self.message("b2", ["anyOf": [["pattern": "^a"], ["pattern": "^b"]]]) == nil)
    }

    @Test func severalFailuresFallBackToTheValidatorsWords() throws {
        let schema: JSONValue = ["type": "string", "minLength": 5, "pattern": "^a"]
        let problem = try #require(Self.property(schema).problem(with: "bc"))
        #expect(problem.reason == .schema(keyword: nil))
        #expect(problem.message.hasPrefix("does not match its schema: "))
        #expect(problem.message.contains("^a"))
    }

    @Test func noSchemaOrAnUnreadableOneChecksOnlyEmptiness() {
        // cron_expression has a null schema; a `$ref` cannot be loaded.
        #expect(Self.message("0 0 * * * ?", nil) == nil)
        #expect(Self.message("anything", ["$ref": "#/definitions/x"]) == nil)
        #expect(Self.message("", ["$ref": "#/definitions/x"]) == "cannot be empty")
    }

    @Test func cronExpressionsAreCheckedAsQuartzDoes() throws {
        let cron = StepProperty(name: "cron_expression", propertyType: "user_provided", jsonSchema: .null)
        #expect(cron.problem(with: "0 0 12 ? * MON") == nil)
        #expect(cron.problem(with: CronExpression.example) == nil)
        let both = try #require(cron.problem(with: "0 0 12 1 * MON"))
        #expect(both.reason == .cronExpression)
        #expect(both.message == "must be a Quartz cron expression like 0 0 12 * * ? (Support for specifying both "
            + "a day-of-week AND a day-of-month parameter is not implemented.)")
        #expect(cron.problem(with: "0 0 12")?.message.hasSuffix("(Unexpected end of expression.)") == true)
        // Only the property of that name is a cron expression.
        #expect(StepProperty(name: "schedule", jsonSchema: .null).problem(with: "0 0 12") == nil)
    }

    @Test func theConvenienceAgreesWithTheRule() {
        let property = Self.property(["type": "integer"])
        let rule = PropertyRule(property)
        for value in ["", "1", "x"] {
            #expect(property.problem(with: value) == rule.problem(with: value))
            #expect(rule.accepts(value) == (rule.problem(with: value) == nil))
        }
    }
}
