/// Where the Import API lives (spec §1): by data pipeline region, or any base URL.
public enum ImportRegion: String, Sendable, Hashable, CaseIterable {
    case northAmerica = "na"
    case europe = "eu"

    public var baseURL: String {
        switch self {
        case .northAmerica: "https://api.stitchdata.com"
        case .europe: "https://api.eu-central-1.stitchdata.com"
        }
    }

    public var displayName: String {
        switch self {
        case .northAmerica: "North America (us-east-1)"
        case .europe: "Europe (eu-central-1)"
        }
    }
}

/// The Connect API has one documented base URL; an EU Connect URL is undocumented [?].
public enum ConnectEndpoint {
    public static let defaultBaseURL = "https://api.stitchdata.com"
}
