/// The one rule of Quartz cron expressions that Stitch documents an error for (spec §2.5.3,
/// `InvalidCronExpression`), plus the field count without which nothing else can be read.
/// Other Quartz rules are not checked [?]: the sandbox runs no extractions, so nothing reads the schedule.
/// The sandbox refuses with it (`InvalidCronExpression`) and `PropertyRule` previews it in forms.
public enum CronExpression {
    /// An expression the rule accepts (noon every day), for showing what is expected.
    public static let example = "0 0 12 * * ?"

    /// Why `expression` is refused, in Quartz's wording, or nil.
    public static func problem(with expression: String) -> String? {
        let fields = expression.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 6 else { return "Unexpected end of expression." }
        guard fields.count <= 7 else { return "Expression has too many fields." }
        // Fields: seconds minutes hours day-of-month month day-of-week [year].
        switch (fields[3] == "?", fields[5] == "?") {
        case (false, false):
            return "Support for specifying both a day-of-week AND a day-of-month parameter is not implemented."
        case (true, true):
            return "'?' can only be specified for Day-of-Month -OR- Day-of-Week."
        default:
            break
        }
        return nil
    }
}
