import StitchAPI

/// A reply body as a person reads it: the Import API packs multi-line validation reports
/// into one JSON string (`"Record 0 did not conform to schema:\n#/age: …"`), so the lines
/// of `error`/`message` are shown as lines rather than as escaped JSON.
public enum ReplyLines {
    public static func lines(of body: String) -> [String] {
        guard let json = try? JSONParser.parse(body), let object = json.objectValue else {
            return body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        var lines: [String] = []
        for (key, value) in object.members {
            if let text = value.stringValue {
                let parts = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                lines.append("\(key): " + (parts.first ?? ""))
                lines.append(contentsOf: parts.dropFirst().map { "  " + $0 })
            } else {
                lines.append("\(key): \(value.jsonText)")
            }
        }
        return lines
    }
}
