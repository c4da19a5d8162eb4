import StitchAPI

/// Where a data directory keeps its destination: one SQLite file per schema,
/// `<data>/destination/<schema>.sqlite` (spec §4.10: schemas as separate databases).
public enum DestinationLayout {
    public static func directory(dataDirectory: String) -> String {
        dataDirectory + "/destination"
    }

    public static func databasePath(schema: String, dataDirectory: String) throws(DestinationError) -> String {
        // Source names are `[a-z_][a-z0-9_$]*`, so they are safe file names; anything else is refused
        // rather than allowed to reach the file system (`../x`).
        guard SourceName.problem(with: schema) == nil else { throw .invalidSchemaName(schema) }
        return directory(dataDirectory: dataDirectory) + "/" + schema + ".sqlite"
    }
}
