import Foundation
import StitchSandbox
import WizardCore

/// Runs `body` against a sandbox started in-process on a free loopback port with a fresh data
/// directory; the sandbox is stopped and the directory removed afterwards, also when `body` throws.
func withInProcessSandbox<T>(_ name: String, discoveryDelay: Duration = .seconds(2),
                             _ body: (RunningSandbox, WizardTarget, _ directory: String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    let sandbox = try await startSandbox(SandboxConfiguration(dataDirectory: directory, discoveryDelay: discoveryDelay))
    let target = WizardTarget(connectBaseURL: sandbox.baseURL, connectToken: sandbox.connectToken,
                              importBaseURL: sandbox.baseURL, isSandbox: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
        let result = try await body(sandbox, target, directory)
        await sandbox.stop()
        return result
    } catch {
        await sandbox.stop()
        throw error
    }
}
