import Foundation
import StitchAPI
import StitchSandbox
import Testing

@Suite("Connect API: source types", .enabled(if: FileManager.default.isExecutableFile(atPath: curlPath)))
struct ConnectSourceTypesTests {
    static let propertyKeys = ["name", "is_required", "is_credential", "system_provided", "property_type",
                               "json_schema", "provided", "tap_mutable"]

    @Test("The list has import_api and three documented types, each a template card with details")
    func listsTypes() async throws {
        try await withConnectSandbox { sandbox in
            let reply = try await connect(sandbox, "GET", "/v4/source-types")
            #expect(reply.status == 200)
            let cards = try #require(reply.json?.arrayValue)
            #expect(cards.compactMap { $0["type"]?.stringValue }
                    == ["import_api", "platform.closeio", "platform.hubspot", "platform.postgres"])
            for card in cards {
                #expect(card.objectValue?.keys == ["type", "current_step", "current_step_type", "steps", "details"])
                #expect(card["current_step"] == 1)
                #expect(card["current_step_type"] == "form")
                #expect(card["details"]?["protocol"] == card["type"])
                #expect(card["details"]?["access"] == true)
                #expect(card["steps"]?.arrayValue?.last?["type"] == "fully_configured")
                // Each type's card is the same whether listed or fetched alone.
                let type = try #require(card["type"]?.stringValue)
                let single = try await connect(sandbox, "GET", "/v4/source-types/\(type)")
                #expect(single.json == card)
            }
        }
    }

    @Test("Form properties have the documented members, and every json_schema is a usable schema")
    func propertyObjects() async throws {
        try await withConnectSandbox { sandbox in
            let cards = try #require(try await connect(sandbox, "GET", "/v4/source-types").json?.arrayValue)
            var schemas = 0
            for card in cards {
                for step in card["steps"]?.arrayValue ?? [] {
                    for property in step["properties"]?.arrayValue ?? [] {
                        #expect(property.objectValue?.keys == Self.propertyKeys, "\(property.jsonText)")
                        #expect(property["provided"] == false)
                        guard let schema = property["json_schema"], schema != .null else { continue }
                        #expect(throws: Never.self) { try JSONSchema(schema) }
                        schemas += 1
                    }
                }
            }
            #expect(schemas >= 20)
        }
    }

    @Test("platform.postgres: a database form with a credential password, then the simulated steps")
    func postgresCard() async throws {
        try await withConnectSandbox { sandbox in
            let card = try #require(try await connect(sandbox, "GET", "/v4/source-types/platform.postgres").json)
            let steps = try #require(card["steps"]?.arrayValue)
            #expect(steps.compactMap { $0["type"]?.stringValue }
                    == ["form", "discover_schema", "field_selection", "fully_configured"])
            let form = try #require(steps[0]["properties"]?.arrayValue)
            func property(_ name: String) -> JSONValue? { form.first { $0["name"]?.stringValue == name } }
            for name in ["host", "port", "user", "password", "dbname"] {
                #expect(property(name)?["is_required"] == true, "\(name)")
                #expect(property(name)?["property_type"] == "user_provided", "\(name)")
            }
            #expect(property("password")?["is_credential"] == true)
            #expect(form.filter { $0["is_credential"] == true }.count == 1)
            #expect(property("port")?["json_schema"] == ["type": "integer"])
            #expect(property("ssl")?["json_schema"] == ["type": "string", "pattern": "^(true|false)$"])
            #expect(property("ssl")?["is_required"] == false)
            #expect(property("image_version")?["property_type"] == "read_only")
            #expect(property("image_version")?["json_schema"] == .null)
            #expect(card["details"]?["pricing_tier"] == "standard")
        }
    }

    @Test("platform.hubspot: start_date and frequency_in_minutes with schemas, and an OAuth step")
    func hubspotCard() async throws {
        try await withConnectSandbox { sandbox in
            let card = try #require(try await connect(sandbox, "GET", "/v4/source-types/platform.hubspot").json)
            let steps = try #require(card["steps"]?.arrayValue)
            #expect(steps.compactMap { $0["type"]?.stringValue }
                    == ["form", "oauth", "discover_schema", "field_selection", "fully_configured"])
            let form = try #require(steps[0]["properties"]?.arrayValue)
            let startDate = try #require(form.first { $0["name"] == "start_date" })
            #expect(startDate["is_required"] == true)
            #expect(startDate["json_schema"] == ["type": "string", "pattern": #"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#])
            let frequency = try #require(form.first { $0["name"] == "frequency_in_minutes" })
            #expect(frequency["is_required"] == false)
            #expect(frequency["json_schema"]?["pattern"] == "^1$|^30$|^60$|^360$|^720$|^1440$")
            let oauth = try #require(steps[1]["properties"]?.arrayValue)
            #expect(oauth.allSatisfy { $0["property_type"] == "system_provided_by_default" && $0["is_credential"] == true })
            #expect(card["details"]?["default_start_date"] == "-30 days")
        }
    }

    @Test("An unknown type is a 404 in the sources' error shape")
    func unknownType() async throws {
        try await withConnectSandbox { sandbox in
            let reply = try await connect(sandbox, "GET", "/v4/source-types/platform.nope")
            #expect(reply.status == 404)
            #expect(reply.json == ["error": "InvalidType", "data": ["message": "invalid source type (platform.nope)"]])
        }
    }
}
