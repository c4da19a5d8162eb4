/// Stitch's "data points" per record (spec §3.3, §3.7: at most 10,000).
///
/// The docs never define the unit [?]. Counted here: every scalar value (string, number, boolean,
/// null) at any depth is one data point; objects and arrays are only containers, so they count what
/// they hold, and an empty one counts nothing (`JSONTextScanner` counts the same on raw text).
/// That matches what lands in a destination: nested objects flatten into one column per leaf,
/// arrays into one child-table row per element (§4.4, §4.5), and a null still fills a cell.
public enum DataPoints {
    public static let maximumPerRecord = ImportLimits.maximumDataPointsPerRecord

    /// The number of data points in `value`, or `limit + 1` as soon as it is known to pass `limit`,
    /// so a huge record costs no more than the limit to refuse.
    public static func count(in value: JSONValue, limit: Int = maximumPerRecord) -> Int {
        var total = 0
        var pending: [JSONValue] = [value]
        while let next = pending.popLast() {
            switch next {
            case .object(let object):
                // A plain loop: appending a lazy map goes through unspecialised generic code.
                for member in object.members { pending.append(member.value) }
            case .array(let elements):
                pending.append(contentsOf: elements)
            case .null, .bool, .integer, .number, .string:
                total += 1
                if total > limit { return total }
            }
        }
        return total
    }
}
