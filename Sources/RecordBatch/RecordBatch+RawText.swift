import StitchAPI

extension RecordBatch {
    /// The raw JSON view's text: the batch body indented (unset sequences shown as `now`).
    public func rawText(sequencesFrom now: Int64) -> String {
        batchJSON(sequencesFrom: now).prettyJSONText
    }

    /// A batch body typed or edited as text (the raw view, the `$EDITOR` hand-off) read back.
    ///
    /// - Throws: `LoadProblem` at the line and column of the first syntax error, so the editor
    ///   can put the cursor there; or, at line 0, what the body's shape lacks.
    public init(rawText text: String) throws(LoadProblem) {
        let bytes = Array(text.utf8)
        let value: JSONValue
        do throws(JSONParser.SyntaxError) {
            value = try JSONParser.parse(bytes)
        } catch {
            // The scanner places faults exactly (the parser reports a bad string after its end).
            var fault = error
            do throws(JSONParser.SyntaxError) { _ = try JSONTextScanner.scan(bytes) } catch { fault = error }
            let (lines, column) = RecordFileReading.position(of: fault.offset, in: bytes[...])
            throw LoadProblem(line: lines + 1, column: column, "the batch is not valid JSON: \(fault.message)")
        }
        do throws(BatchRequestShapeError) {
            self = try RecordBatch(batchJSON: value)
        } catch {
            throw LoadProblem(line: 0, error.message)
        }
    }
}
