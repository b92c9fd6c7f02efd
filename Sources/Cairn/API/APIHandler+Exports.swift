import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// The HTCDS export: the same checks, audit and records as the exports page. CSV streams a
/// page at a time; JSON is one document built from the same pages (the generated JSON body is
/// a value; consenting cases in a period are far fewer than reports).
extension APIHandler {
    func exportHTCDS(_ input: Operations.ExportHTCDS.Input) async throws -> Operations.ExportHTCDS.Output {
        let (identity, context) = try APIRequest.authorize(.exportHTCDS)
        let period = try ExportService.Period.parse(from: input.query.from, to: input.query.to)
        let format = try ExportService.format(input.query.format)
        let (download, _) = try await services.exports.htcds(period, format: format, identity: identity, address: context.clientAddress)
        switch format {
        case .csv:
            return .ok(.init(body: .csv(HTTPBody(download.chunks(), length: .unknown, iterationBehavior: .single))))
        case .json:
            var bytes: [UInt8] = []
            for try await chunk in download.chunks() { bytes += chunk }
            let records = try JSONDecoder().decode([[String: String]].self, from: Data(bytes))
            return .ok(.init(body: .json(records.map { .init(additionalProperties: $0) })))
        }
    }
}
