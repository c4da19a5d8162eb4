import StitchAPI
import Testing

/// Field kinds and form traits read from report card properties (spec §2.4.2).
@Suite struct PropertyFieldKindTests {
    static func kind(_ schema: JSONValue?, name: String = "field") -> PropertyFieldKind {
        StepProperty(name: name, propertyType: "user_provided", jsonSchema: schema ?? .null).fieldKind
    }

    @Test func textKeepsItsPattern() {
        #expect(Self.kind(["type": "string"]) == .text(pattern: nil))
        #expect(Self.kind(["type": "string", "pattern": #"^\d+"#]) == .text(pattern: #"^\d+"#))
        #expect(Self.kind(nil) == .text(pattern: nil))
        #expect(Self.kind(["type": "number"]) == .text(pattern: nil))
    }

    @Test func integers() {
        #expect(Self.kind(["type": "integer"]) == .integer)
        #expect(Self.kind(["type": ["null", "integer"]]) == .integer)
    }

    @Test func booleansByTypeOrByPattern() {
        #expect(Self.kind(["type": "boolean"]) == .boolean)
        #expect(Self.kind(["type": "string", "pattern": "^(true|false)$"]) == .boolean)
        #expect(Self.kind(["type": "string", "pattern": "^true$|^false$"]) == .boolean)
        #expect(Self.kind(["type": "string", "enum": ["true", "false"]]) == .boolean)
    }

    @Test func choicesFromEnumsConstantsAndLiteralPatterns() {
        #expect(Self.kind(["type": "string", "enum": ["a", "b"]]) == .choice(["a", "b"]))
        #expect(Self.kind(["anyOf": [["const": "x"], ["const": "y"]]]) == .choice(["x", "y"]))
        #expect(Self.kind(["oneOf": [["const": 1], ["const": 2]]]) == .choice(["1", "2"]))
        #expect(Self.kind(["type": "string", "pattern": "^1$|^30$|^60$|^360$|^720$|^1440$"])
            == .choice(["1", "30", "60", "360", "720", "1440"]))
        #expect(Self.kind(["type": "string", "pattern": "^(daily|hourly)$"]) == .choice(["daily", "hourly"]))
    }

    @Test func patternsWithSyntaxAreNotChoices() {
        for pattern in [#"^\d+$"#, "^a$", "^a$|b", "^(a|b.*)$", "^(a||b)$", "^(a|b)", "a|b"] {
            #expect(Self.kind(["type": "string", "pattern": .string(pattern)]) == .text(pattern: pattern), "\(pattern)")
        }
    }

    @Test func dateTimes() {
        #expect(Self.kind(["type": "string", "format": "date-time"]) == .dateTime)
        #expect(Self.kind(["anyOf": [["type": "null"], ["type": "string", "format": "date-time"]]]) == .dateTime)
    }

    @Test func hostNamesByFormatOrByName() {
        #expect(Self.kind(["type": "string", "anyOf": [["format": "hostname"], ["format": "ipv4"]]]) == .hostName)
        #expect(Self.kind(["type": "string", "format": "hostname"]) == .hostName)
        #expect(Self.kind(nil, name: "host") == .hostName)
        #expect(Self.kind(["type": "string"], name: "ssh_host") == .hostName)
        #expect(Self.kind(["type": "string"], name: "hostname") == .hostName)
        #expect(Self.kind(["type": "string"], name: "ghost") == .text(pattern: nil))
        #expect(Self.kind(["type": "string"], name: "host_port") == .text(pattern: nil))
    }

    @Test func whoIsAsked() {
        func property(_ type: String?, systemProvided: Bool? = nil) -> StepProperty {
            StepProperty(name: "p", systemProvided: systemProvided, propertyType: type)
        }
        #expect(property("user_provided").isAsked)
        #expect(property("user_provided_immutable").isAsked)
        #expect(property("user_provided_advanced").isAsked)
        #expect(!property("read_only").isAsked)
        #expect(!property("system_provided_by_default", systemProvided: true).isAsked)
        #expect(property(nil, systemProvided: false).isAsked)
        #expect(!property(nil, systemProvided: true).isAsked)
        #expect(property(nil).isAsked)
        #expect(property("user_provided_immutable").isSetOnce)
        #expect(!property("user_provided").isSetOnce)
    }

    @Test func secretRequiredAndDefault() {
        let password = StepProperty(name: "password", isRequired: true, isCredential: true,
                                    propertyType: "user_provided", jsonSchema: ["type": "string"])
        #expect(password.isSecret)
        #expect(password.isMandatory)
        #expect(password.defaultValue == nil)
        let port = StepProperty(name: "port", propertyType: "user_provided",
                                jsonSchema: ["type": "integer", "default": 5432])
        #expect(!port.isSecret)
        #expect(!port.isMandatory)
        #expect(port.defaultValue == "5432")
        let mode = StepProperty(name: "mode", jsonSchema: ["type": "string", "default": "fast"])
        #expect(mode.defaultValue == "fast")
    }
}
