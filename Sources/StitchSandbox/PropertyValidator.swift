import StitchAPI

/// Checks the `properties` of `POST`/`PUT /v4/sources` against the type's card, giving the
/// names that `InvalidProperties` lists in `data.bad_properties` (spec §2.5.3).
enum PropertyValidator {
    /// The names of the properties the card refuses, sorted. A property is refused when:
    /// - the card has no such property [?] (a real form schema refuses unknown keys; which
    ///   error Stitch gives is undocumented, and `InvalidProperties` names the culprit);
    /// - `PropertyRule` refuses its value (read-only, empty, or not conforming to its
    ///   `json_schema`): the same rule a client's form applies as the user types. A cron
    ///   expression Quartz refuses is not listed: it is `InvalidCronExpression`, checked after.
    static func badProperties(_ values: [(name: String, value: String)], of definition: SourceTypeDefinition)
        -> [String]
    {
        var bad: Set<String> = []
        for (name, value) in values {
            guard let property = definition.property(named: name) else {
                bad.insert(name)
                continue
            }
            if let problem = property.rule.problem(with: value), problem.reason != .cronExpression { bad.insert(name) }
        }
        return bad.sorted()
    }
}
