/// Validation of one value against one schema node, producing everit's findings in everit's order.
extension SchemaNode {
    /// The findings for `value` located at `pointer`; each failing child (property, element, branch) is
    /// one entry, grouped when it has several problems.
    func violations(of value: JSONValue, at pointer: () -> String, budget: PatternBudget) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        // A value of the wrong type gets only the type finding: its other keywords would only add noise.
        if let types, types.count == 1 {
            guard types[0].accepts(value) else { return [mismatch(types[0], value, at: pointer)] }
            found = kindViolations(of: value, at: pointer, budget: budget)
        } else if let types {
            if let failure = unionFailure(of: value, against: types, at: pointer, budget: budget) { return [failure] }
        } else {
            found = kindViolations(of: value, at: pointer, budget: budget)
        }
        // Skipped when the schema has none of their keywords: even appending an empty result costs a call.
        if enumValues != nil || constValue != nil { found += enumAndConstViolations(of: value, at: pointer) }
        if !allOf.isEmpty || !anyOf.isEmpty || !oneOf.isEmpty || not != nil {
            found += combinatorViolations(of: value, at: pointer, budget: budget)
        }
        return found
    }

    /// The same findings folded into at most one, the way everit throws them.
    func failure(of value: JSONValue, at pointer: () -> String, budget: PatternBudget) -> SchemaViolation? {
        let found = violations(of: value, at: pointer, budget: budget)
        return found.isEmpty ? nil : SchemaViolation.group(found, at: pointer())
    }

    // MARK: type

    /// everit turns `"type": [a, b]` into `anyOf` of one schema per type, each carrying that type's
    /// keywords; that is where Stitch's "#: no subschema matched out of the total 2 subschemas" followed by
    /// "#: expected: null, found: JSONObject" comes from (spec §3.3, tap-xero).
    private func unionFailure(of value: JSONValue, against types: [SchemaType], at pointer: () -> String,
                              budget: PatternBudget) -> SchemaViolation? {
        // A value usually matches one of the types: find that out before wording the others' mismatches.
        var kindFindings: [SchemaViolation]?
        for type in types where type.accepts(value) {
            // The kind keywords do not depend on which accepting type is tried, so one run answers for all.
            let found = kindFindings ?? kindViolations(of: value, at: pointer, budget: budget)
            if found.isEmpty { return nil }
            kindFindings = found
        }
        var branchFailures: [SchemaViolation] = []
        for type in types {
            guard type.accepts(value) else {
                branchFailures.append(mismatch(type, value, at: pointer))
                continue
            }
            branchFailures.append(SchemaViolation.group(kindFindings ?? [], at: pointer()))
        }
        return SchemaViolation(pointer: pointer(),
                               message: "#: no subschema matched out of the total \(types.count) subschemas",
                               keyword: "type", causes: branchFailures)
    }

    private func mismatch(_ type: SchemaType, _ value: JSONValue, at pointer: () -> String) -> SchemaViolation {
        let message = type == .null
            ? "expected: null, found: \(value.everitTypeName)"
            : "expected type: \(type.javaName), found: \(value.everitTypeName)"
        return SchemaViolation(pointer: pointer(), message: message, keyword: "type")
    }

    /// The keywords that apply to the value's own kind; the others are ignored, as JSON Schema says.
    private func kindViolations(of value: JSONValue, at pointer: () -> String, budget: PatternBudget) -> [SchemaViolation] {
        switch value {
        case .object(let object): objectViolations(of: object, at: pointer, budget: budget)
        case .array(let elements): arrayViolations(of: elements, at: pointer, budget: budget)
        case .string(let string): stringViolations(of: string, at: pointer, budget: budget)
        case .integer, .number: numberViolations(of: value, at: pointer)
        case .null, .bool: []
        }
    }

    // MARK: objects

    private func objectViolations(of object: JSONObject, at pointer: () -> String, budget: PatternBudget) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        // Records usually list their members in schema order: try the next member before a lookup.
        let ordered = object.members
        var next = 0
        // By index, not `for property in properties`: copying each property out retains its three fields.
        for position in properties.indices {
            let member: JSONValue
            if next < ordered.count, ordered[next].key == properties[position].name {
                member = ordered[next].value
                next += 1
            } else if let lookedUp = object[properties[position].name] {
                member = lookedUp
            } else {
                continue
            }
            if let failure = properties[position].schema.failure(
                of: member, at: { pointer() + "/" + properties[position].pointerFragment }, budget: budget) {
                found.append(failure)
            }
        }
        for name in required where object[name] == nil {
            found.append(SchemaViolation(pointer: pointer(), message: "required key [\(name)] not found", keyword: "required"))
        }
        let checksExtraKeys = if case .allowed = additionalProperties { false } else { true }
        if checksExtraKeys {
            for (name, member) in ordered where isAdditional(name, budget: budget) {
                switch additionalProperties {
                case .allowed: break
                case .forbidden:
                    found.append(SchemaViolation(pointer: pointer(), message: "extraneous key [\(name)] is not permitted",
                                                 keyword: "additionalProperties"))
                case .schema(let schema):
                    if let failure = schema.failure(of: member, at: { Self.child(pointer(), name) }, budget: budget) {
                        found.append(failure)
                    }
                }
            }
        }
        if minProperties != nil || maxProperties != nil { found += sizeViolations(of: object, at: pointer) }
        for patternProperty in patternProperties {
            for (name, member) in ordered where patternProperty.pattern.matches(name, budget: budget) {
                if let failure = patternProperty.schema.failure(of: member, at: { Self.child(pointer(), name) }, budget: budget) {
                    found.append(failure)
                }
            }
        }
        return found
    }

    private func sizeViolations(of object: JSONObject, at pointer: () -> String) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        if let minProperties, object.count < minProperties {
            found.append(SchemaViolation(pointer: pointer(), message: "minimum size: [\(minProperties)], found: [\(object.count)]",
                                         keyword: "minProperties"))
        }
        if let maxProperties, object.count > maxProperties {
            found.append(SchemaViolation(pointer: pointer(), message: "maximum size: [\(maxProperties)], found: [\(object.count)]",
                                         keyword: "maxProperties"))
        }
        return found
    }

    private func isAdditional(_ name: String, budget: PatternBudget) -> Bool {
        !propertyNames.contains(name) && !patternProperties.contains { $0.pattern.matches(name, budget: budget) }
    }

    // MARK: arrays

    private func arrayViolations(of elements: [JSONValue], at pointer: () -> String, budget: PatternBudget) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        if let minItems, elements.count < minItems {
            found.append(SchemaViolation(pointer: pointer(), message: "expected minimum item count: \(minItems), found: \(elements.count)",
                                         keyword: "minItems"))
        }
        if let maxItems, elements.count > maxItems {
            found.append(SchemaViolation(pointer: pointer(), message: "expected maximum item count: \(maxItems), found: \(elements.count)",
                                         keyword: "maxItems"))
        }
        if uniqueItems, Self.hasDuplicates(elements) {
            found.append(SchemaViolation(pointer: pointer(), message: "array items are not unique", keyword: "uniqueItems"))
        }
        switch items {
        case nil: break
        case .uniform(let schema):
            for (index, element) in elements.enumerated() {
                if let failure = schema.failure(of: element, at: { "\(pointer())/\(index)" }, budget: budget) {
                    found.append(failure)
                }
            }
        case .tuple(let schemas):
            for (index, element) in elements.enumerated() {
                func at() -> String { "\(pointer())/\(index)" }
                if index < schemas.count {
                    if let failure = schemas[index].failure(of: element, at: at, budget: budget) { found.append(failure) }
                    continue
                }
                switch additionalItems {
                case .allowed: break
                case .forbidden:
                    if index == schemas.count {
                        found.append(SchemaViolation(pointer: pointer(),
                                                     message: "expected: [\(schemas.count)] array items, found: [\(elements.count)]",
                                                     keyword: "items"))
                    }
                case .schema(let schema):
                    if let failure = schema.failure(of: element, at: at, budget: budget) { found.append(failure) }
                }
            }
        }
        return found
    }

    private static func hasDuplicates(_ elements: [JSONValue]) -> Bool {
        for (index, element) in elements.enumerated() {
            if elements[(index + 1)...].contains(where: { element.schemaEquals($0) }) { return true }
        }
        return false
    }

    // MARK: strings

    private func stringViolations(of string: String, at pointer: () -> String, budget: PatternBudget) -> [SchemaViolation] {
        guard checksStrings else { return [] }
        var found: [SchemaViolation] = []
        if minLength != nil || maxLength != nil {
            let length = string.count
            if let minLength, length < minLength {
                found.append(SchemaViolation(pointer: pointer(), message: "expected minLength: \(minLength), actual: \(length)",
                                             keyword: "minLength"))
            }
            if let maxLength, length > maxLength {
                found.append(SchemaViolation(pointer: pointer(), message: "expected maxLength: \(maxLength), actual: \(length)",
                                             keyword: "maxLength"))
            }
        }
        if let pattern, !pattern.matches(string, budget: budget) {
            found.append(SchemaViolation(pointer: pointer(), message: "string [\(string)] does not match pattern \(pattern.source)",
                                         keyword: "pattern"))
        }
        // Only date-time decides a column type; other formats are not checked.
        if format == "date-time", DateTimeValue(parsing: string) == nil {
            found.append(SchemaViolation(pointer: pointer(), message: "[\(string)] is not a valid date-time", keyword: "format"))
        }
        return found
    }

    // MARK: numbers

    private func numberViolations(of value: JSONValue, at pointer: () -> String) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        for bound in lowerBounds {
            let order = NumericOrder.compare(value, bound.value)
            if order < 0 || (order == 0 && bound.isExclusive) {
                let relation = bound.isExclusive ? "greater than" : "greater or equal to"
                found.append(SchemaViolation(pointer: pointer(),
                                             message: "\(value.everitText) is not \(relation) \(bound.value.everitText)",
                                             keyword: bound.keyword))
            }
        }
        for bound in upperBounds {
            let order = NumericOrder.compare(value, bound.value)
            if order > 0 || (order == 0 && bound.isExclusive) {
                let relation = bound.isExclusive ? "less than" : "less or equal to"
                found.append(SchemaViolation(pointer: pointer(),
                                             message: "\(value.everitText) is not \(relation) \(bound.value.everitText)",
                                             keyword: bound.keyword))
            }
        }
        if let multipleOf, !Self.isMultiple(value, of: multipleOf) {
            found.append(SchemaViolation(pointer: pointer(), message: "\(value.everitText) is not a multiple of \(multipleOf.everitText)",
                                         keyword: "multipleOf"))
        }
        return found
    }

    private static func isMultiple(_ value: JSONValue, of divisor: JSONValue) -> Bool {
        if case .integer(let dividend) = value, case .integer(let step) = divisor {
            return dividend % step == 0
        }
        let quotient = value.doubleValue / divisor.doubleValue
        guard quotient.isFinite else { return false }
        // Binary doubles cannot hold most decimal steps (0.01), so allow the rounding error of one division.
        return (quotient - quotient.rounded()).magnitude <= quotient.magnitude.ulp * 4 + 1e-9
    }

    // MARK: enum, const, combinators

    private func enumAndConstViolations(of value: JSONValue, at pointer: () -> String) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        if let enumValues, !enumValues.contains(where: { $0.schemaEquals(value) }) {
            found.append(SchemaViolation(pointer: pointer(), message: "\(value.everitText) is not a valid enum value", keyword: "enum"))
        }
        if let constValue, !constValue.schemaEquals(value) {
            found.append(SchemaViolation(pointer: pointer(),
                                         message: "\(value.everitText) is not the const value \(constValue.everitText)",
                                         keyword: "const"))
        }
        return found
    }

    private func combinatorViolations(of value: JSONValue, at pointer: () -> String, budget: PatternBudget) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        if !allOf.isEmpty {
            let failures = allOf.compactMap { $0.failure(of: value, at: pointer, budget: budget) }
            if !failures.isEmpty {
                found.append(SchemaViolation(pointer: pointer(),
                                             message: "#: only \(allOf.count - failures.count) subschema matches out of \(allOf.count)",
                                             keyword: "allOf", causes: failures))
            }
        }
        if !anyOf.isEmpty {
            var failures: [SchemaViolation] = []
            for branch in anyOf {
                guard let failure = branch.failure(of: value, at: pointer, budget: budget) else { failures = []; break }
                failures.append(failure)
            }
            if !failures.isEmpty {
                found.append(SchemaViolation(pointer: pointer(),
                                             message: "#: no subschema matched out of the total \(anyOf.count) subschemas",
                                             keyword: "anyOf", causes: failures))
            }
        }
        if !oneOf.isEmpty {
            let failures = oneOf.compactMap { $0.failure(of: value, at: pointer, budget: budget) }
            let matching = oneOf.count - failures.count
            if matching != 1 {
                found.append(SchemaViolation(pointer: pointer(), message: "#: \(matching) subschemas matched instead of one",
                                             keyword: "oneOf", causes: failures))
            }
        }
        if let not, not.failure(of: value, at: pointer, budget: budget) == nil {
            found.append(SchemaViolation(pointer: pointer(), message: "subject must not be valid against schema \(not.source.jsonText)",
                                         keyword: "not"))
        }
        return found
    }

    /// A JSON pointer one level down.
    static func child(_ pointer: String, _ name: String) -> String {
        pointer + "/" + pointerFragment(name)
    }

    /// `name` with `~` and `/` escaped as RFC 6901 says.
    static func pointerFragment(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return name }
        var escaped = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar {
            case "~": escaped.append(contentsOf: "~0".unicodeScalars)
            case "/": escaped.append(contentsOf: "~1".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
