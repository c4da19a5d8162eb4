import StitchAPI
import StitchClient
import Testing

@Suite struct EndpointURLTests {
    @Test(arguments: [
        ("https://api.stitchdata.com", "https://api.stitchdata.com"),
        ("https://api.stitchdata.com/", "https://api.stitchdata.com"),
        ("https://api.stitchdata.com///", "https://api.stitchdata.com"),
        ("  https://API.StitchData.com/  ", "https://api.stitchdata.com"),
        ("HTTPS://api.eu-central-1.stitchdata.com", "https://api.eu-central-1.stitchdata.com"),
        ("https://proxy.example.com:8443/stitch/", "https://proxy.example.com:8443/stitch"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ])
    func normalises(input: String, expected: String) throws {
        let endpoint = try EndpointURL.validate(input)
        #expect(endpoint.description == expected)
        #expect(endpoint.url(path: "/v4/sources") == expected + "/v4/sources")
        #expect(endpoint.url(path: "v4/sources") == expected + "/v4/sources")
    }

    @Test(arguments: [
        "http://127.0.0.1", "http://127.0.0.1:9", "http://127.255.10.3:3000", "http://localhost:8080",
        "http://LOCALHOST", "http://localhost.:80", "http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]",
        "http://[::ffff:127.0.0.1]:80",
    ])
    func plainHTTPIsAllowedForLoopback(url: String) throws {
        let endpoint = try EndpointURL.validate(url)
        #expect(endpoint.scheme == .http)
        #expect(endpoint.isLoopback)
    }

    @Test(arguments: [
        "http://api.stitchdata.com", "http://10.0.0.5:8080", "http://192.168.1.1", "http://[::2]", "http://[fe80::1]",
        "http://127.0.0.1.evil.example", "http://localhost.evil.example", "http://127.1", "http://0x7f000001",
        "http://2130706433", "http://[::ffff:10.0.0.1]", "http://128.0.0.1", "http://0.0.0.0",
    ])
    func plainHTTPIsRefusedElsewhere(url: String) {
        #expect(throws: StitchClientError.insecureURL(url.lowercased())) { try EndpointURL.validate(url) }
    }

    @Test(arguments: ["https://api.stitchdata.com", "https://10.0.0.5:8443", "https://[2001:db8::1]/"])
    func httpsIsAlwaysAllowed(url: String) throws {
        #expect(try EndpointURL.validate(url).scheme == .https)
    }

    @Test(arguments: [
        "", "   ", "api.stitchdata.com", "ftp://api.stitchdata.com", "https://", "https://exa mple.com",
        "https://api.stitchdata.com:0", "https://api.stitchdata.com:70000", "https://[::1", "mailto:x@example.com",
        "https://user@api.stitchdata.com", "https://api.stitchdata.com/?x=1", "https://api.stitchdata.com/#frag",
    ])
    func invalidURLsAreRefused(url: String) {
        #expect {
            try EndpointURL.validate(url)
        } throws: { error in
            guard case .invalidURL = error as? StitchClientError else { return false }
            return true
        }
    }

    @Test func secretsPastedIntoTheURLAreNotEchoed() {
        for url in ["https://me:ac_fake_secret@api.stitchdata.com", "https://api.stitchdata.com/?token=ac_fake_secret",
                    "https://api.stitchdata.com/#ac_fake_secret", "http://ac_fake_secret@api.stitchdata.com"] {
            do {
                _ = try EndpointURL.validate(url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(!error.description.contains("ac_fake_secret"), "\(error)")
            }
        }
    }

    @Test func regionsAreHTTPS() {
        for region in ImportRegion.allCases {
            let endpoint = EndpointURL(region: region)
            #expect(endpoint.scheme == .https)
            #expect(endpoint.description == region.baseURL)
            #expect(endpoint.port == 443)
        }
    }

    @Test func portsAndHostForMessages() throws {
        #expect(try EndpointURL.validate("https://api.stitchdata.com").hostAndPort == "api.stitchdata.com:443")
        #expect(try EndpointURL.validate("http://localhost").hostAndPort == "localhost:80")
        let v6 = try EndpointURL.validate("http://[::1]:8080/")
        #expect(v6.host == "::1")
        #expect(v6.hostAndPort == "[::1]:8080")
        #expect(v6.description == "http://[::1]:8080")
    }

    @Test func messagesSayWhatToDo() {
        #expect(StitchClientError.insecureURL("http://example.com").description.contains("https://"))
        #expect(StitchClientError.connectionFailed(host: "127.0.0.1", port: 9, reason: .refused).description
            == "Could not connect to 127.0.0.1:9 — is the server running? (connection refused)")
        #expect(StitchClientError.timedOut(endpoint: "127.0.0.1:9", after: .seconds(30)).description
            .hasPrefix("No reply from 127.0.0.1:9 within 30 s."))
        #expect(StitchClientError.timedOut(endpoint: "h:1", after: .milliseconds(250)).description.contains("250 ms"))
        #expect(StitchClientError.connectionFailed(host: "::1", port: 8, reason: .refused).description.contains("[::1]:8"))
    }
}
