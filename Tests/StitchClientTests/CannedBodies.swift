/// Reply bodies taken from the tutorial and spec examples (fake token values only).
enum CannedBodies {
    static let reportCard = """
        {"type":"import_api","current_step":1,"current_step_type":"form","steps":[{"type":"form","properties":[]},\
        {"type":"fully_configured","properties":[]}],"details":{"pricing_tier":"standard","pipeline_state":"released",\
        "default_start_date":"-1 year","default_scheduling_interval":60,"protocol":"import_api","access":true}}
        """

    static func source(pausedAt: String? = nil, deletedAt: String? = nil, updatedAt: String = "2020-01-02T15:49:27Z")
        -> String
    {
        let paused = pausedAt.map { "\"\($0)\"" } ?? "null"
        let deleted = deletedAt.map { "\"\($0)\"" } ?? "null"
        return """
            {"properties":{},"updated_at":"\(updatedAt)","schedule":null,"name":"import_api","type":"import_api",\
            "deleted_at":\(deleted),"system_paused_at":null,"stitch_client_id":116078,"paused_at":\(paused),"id":126890,\
            "display_name":"Import API","created_at":"2020-01-02T15:49:27Z","report_card":{"type":"import_api",\
            "current_step":2,"current_step_type":"fully_configured","steps":[{"type":"form","properties":[]},\
            {"type":"fully_configured","properties":[]}]}}
            """
    }

    static let fakeImportToken = "at_fake_import_token_0000"
    static let tokenReply = #"{"id":828792559,"access_token":"\#(fakeImportToken)"}"#
    static let tokenIDs = "[815713587]"
    static let tokenObjects = #"[{"token_id":828705046,"created_at":"2021-08-12T15:22:12Z"},{"token_id":815713587,"created_at":"2021-07-30T09:01:44Z"}]"#

    static let batchAccepted = #"{"status":"OK","message":"Batch Accepted!"}"#
    static let batchQueued = #"{"status":"Accepted","message":"The batch is queued to be processed."}"#
    static let importStatus = #"{"name":"pipeline.gate","version":"0.3.3-SNAPSHOT","revision":"9f2c1e0d","status":"OK","reason":null}"#

    static let tutorialBatch = """
        {
           "table_name":"customers",
           "schema":{
              "properties":{
                 "id":{
                    "type":"integer"
                 },
                 "name":{
                    "type":"string"
                 }
              }
           },
           "messages":[
              {
                 "action":"upsert",
                 "sequence":1565880017,
                 "data":{
                    "id":1,
                    "name":"Finn"
                 }
              }
           ],
           "key_names":[
              "id"
           ]
        }
        """
}
