import Foundation
import Hummingbird
import StitchAPI

/// Reading an Import API request's body: its media type, and its bytes up to the size limit.
enum ImportRequestBody {
    /// "At most 20 MB" (spec §3.3), read as 20 MiB [?]: see `ImportLimits.maximumBodyBytes`, which
    /// `push` batches within too.
    static let maximumSize = ImportLimits.maximumBodyBytes

    /// Body bytes held across all requests at once (see `BodyBudget`): three maximum bodies, so
    /// two can be parsed on a two-core machine while a third arrives, plus room that maximum
    /// bodies cannot take, so small batches are never stuck behind big ones.
    static let bytesInFlight = 3 * maximumSize + smallBodyRoom
    static let smallBodyRoom = 4 * 1024 * 1024

    enum MediaType: Equatable, Sendable {
        case json
        case transitJSON
        case other(String)
        case missing
    }

    /// `application/json` or `application/transit+json` in any letter case, with or without
    /// parameters such as `charset`.
    static func mediaType(of contentType: String?) -> MediaType {
        guard let contentType else { return .missing }
        let bare = (contentType.split(separator: ";", maxSplits: 1).first ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
        switch bare {
        case "application/json": return .json
        case "application/transit+json": return .transitJSON
        case "": return .missing
        default: return .other(bare)
        }
    }

    enum Read: Sendable {
        case complete([UInt8])
        /// Bytes known when reading stopped: the declared length, or what had arrived.
        case tooLarge(Int)
        case interrupted
    }

    /// Reads the body, stopping as soon as it passes `limit`, so an oversized upload is refused
    /// without being held in memory: a declared `Content-Length` over the limit is refused before
    /// any byte is read.
    static func read(_ request: Request, limit: Int = maximumSize) async -> Read {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > limit { return .tooLarge(declared) }
        var bytes: [UInt8] = []
        if let declared { bytes.reserveCapacity(declared) }
        do {
            for try await buffer in request.body {
                if bytes.count + buffer.readableBytes > limit { return .tooLarge(bytes.count + buffer.readableBytes) }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch {
            return .interrupted
        }
        // A connection that closes mid-body ends the body early rather than with an error.
        if let declared, bytes.count != declared { return .interrupted }
        return .complete(bytes)
    }
}
