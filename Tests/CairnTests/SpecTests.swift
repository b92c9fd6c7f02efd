import CairnAPI
import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Cairn

/// The server holds clients to openapi.yaml: its limits, `null`, optional bodies, the methods
/// each address takes, and the enum values CairnCore uses.
@Suite struct SpecTests {
    let spec: APISpec

    init() throws { spec = try APISpec.load() }

    /// A demo account allowed to call `operation`, or nil for an operation open to everyone.
    static func caller(for operation: APISpec.Operation) throws -> String? {
        let op = try #require(APIOperation(rawValue: operation.id), "\(operation.id) is not in APIOperation")
        if op.permission == .everyone { return nil }
        return try #require(DemoPartnership.accounts.first { AccessPolicy.allows($0.roles, op.permission) }?.email)
    }

    /// Every `{name}` in the path replaced by a fresh id: the spec is checked before any look-up.
    static func path(_ operation: APISpec.Operation) -> String {
        operation.path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") ? (($0 == "{domain}") ? "safety" : UUID().uuidString) : String($0) }.joined(separator: "/")
    }

    /// Every string field with a `maxLength`, as a path of keys into a JSON object (an array
    /// of objects is entered at its first item).
    static func limitedStrings(_ schema: APISpec.Schema, prefix: [String] = []) -> [([String], Int)] {
        var found: [([String], Int)] = []
        for (name, property) in schema.properties.sorted(by: { $0.key < $1.key }) {
            let path = prefix + [name]
            if property.type == "string", let max = property.maxLength, property.enumValues == nil { found.append((path, max)) }
            if property.type == "object" { found += limitedStrings(property, prefix: path) }
            if property.type == "array", let items = property.items {
                if items.type == "object" { found += limitedStrings(items, prefix: path + ["[]"]) }
                if items.type == "string", let max = items.maxLength { found.append((path + ["[]"], max)) }
            }
        }
        return found
    }

    /// `base` with the value at `path` set (objects and one-item arrays made as needed).
    static func setting(_ base: [String: Any], _ path: [String], to value: Any) -> [String: Any] {
        guard let key = path.first else { return base }
        var copy = base
        let rest = Array(path.dropFirst())
        if rest.first == "[]" {
            let inner = Array(rest.dropFirst())
            var items = (copy[key] as? [Any]) ?? []
            let first = items.first
            let item: Any = inner.isEmpty ? value : setting((first as? [String: Any]) ?? [:], inner, to: value)
            if items.isEmpty { items = [item] } else { items[0] = item }
            copy[key] = items
        } else if rest.isEmpty {
            copy[key] = value
        } else {
            copy[key] = setting((copy[key] as? [String: Any]) ?? [:], rest, to: value)
        }
        return copy
    }

    static func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?,
                     body: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    // MARK: Limits

    @Test func parametersPastTheirLimitsAreRefusedWith400() async throws {
        try await withApp { client, built in
            let admin = try await token(for: "admin@demo.invalid", built)
            let analyst = try await token(for: "analyst@demo.invalid", built)
            let long = String(repeating: "q", count: 201)
            let cases: [(String, String, String)] = [
                ("/api/v1/users?q=\(long)", admin, "'q' must be 200 characters or fewer (it is 201)"),
                ("/api/v1/reports?q=\(long)", analyst, "'q' must be 200 characters or fewer"),
                ("/api/v1/reports?district=WM123", analyst, "'district' must be 4 characters or fewer"),
                ("/api/v1/reports?perPage=201", analyst, "'perPage' must be 200 or less"),
                ("/api/v1/reports?page=0", analyst, "'page' must be 1 or more"),
                ("/api/v1/reports?page=-1", analyst, "'page' must be 1 or more"),
                ("/api/v1/reports?page=seven", analyst, "'page' must be a whole number"),
                ("/api/v1/reports?page=99999999999999999999999", analyst, "'page' is too large"),
                ("/api/v1/reports?status=lost", analyst, "'status' must be one of: new, triaged"),
                ("/api/v1/agencies?sort=colour", analyst, "'sort' must be one of: name, type, area"),
                ("/api/v1/intelligence/alerts?includeRead=perhaps", analyst, "'includeRead' must be true or false"),
                ("/api/v1/public/reports/\(String(repeating: "R", count: 41))", "", "'reference' must be 40 characters or fewer"),
            ]
            for (path, token, message) in cases {
                let response = try await Self.send(client, .get, path, token: token.isEmpty ? nil : token,
                                                   headers: path.contains("/public/") ? [HTTPField.Name("Cairn-Passphrase")!: "a b c d"] : [:])
                #expect(response.status == .badRequest, "\(path.prefix(60)): \(response.status.code) \(response.text.prefix(200))")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.text.contains(message), "\(path.prefix(60)): \(response.text.prefix(300))")
            }
            // Headers: an over-long Idempotency-Key is refused and nothing is stored.
            let db = built.services.database.db
            let before = try await Report.query(on: db).count()
            let report = #"{"description":"People sleeping in the back of the car wash","language":"en"}"#
            let keyed = try await Self.send(client, .post, "/api/v1/public/reports", token: nil, body: report,
                                            headers: [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 201)])
            #expect(keyed.status == .badRequest)
            #expect(keyed.text.contains("Header 'Idempotency-Key' must be 200 characters or fewer"))
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            let keyedReport = try await Self.send(client, .post, "/api/v1/reports", token: practitioner,
                                                  body: #"{"description":"Seen at the farm","exploitationTypes":["labour"],"ageGroup":"adult"}"#,
                                                  headers: [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 201)])
            #expect(keyedReport.status == .badRequest)
            let status = try await Self.send(client, .get, "/api/v1/public/reports/WM-2024-ABCDEF", token: nil,
                                             headers: [HTTPField.Name("Cairn-Passphrase")!: String(repeating: "p", count: 201)])
            #expect(status.status == .badRequest)
            #expect(try await Report.query(on: db).count() == before)
            // At the limit is fine.
            let atLimit = try await Self.send(client, .post, "/api/v1/public/reports", token: nil, body: report,
                                              headers: [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 200)])
            #expect(atLimit.status == .created)
            let search = try await Self.send(client, .get, "/api/v1/reports?q=\(String(repeating: "q", count: 200))&perPage=200", token: analyst)
            #expect(search.status == .ok)
        }
    }

    /// For every operation, every string field with a maxLength: one character over is refused
    /// with 422 naming the field, before anything is looked up or stored.
    @Test func everyBodyLengthLimitInTheSpecIsEnforced() async throws {
        // A partnership's operations on its instance, a national instance's on one.
        for national in [false, true] {
        try await withApp(configure: { $0.national = national }) { client, built in
            var tokens: [String: String] = [:]
            var checked = 0
            for operation in spec.operations.values.sorted(by: { $0.id < $1.id }) where Self.isNational(operation) == national {
                guard let body = operation.body, !APISpecCheck.lengthsCheckedByHandler.contains(operation.id) else { continue }
                let caller = try Self.caller(for: operation)
                var bearer: String?
                if let caller {
                    if tokens[caller] == nil { tokens[caller] = try await token(for: caller, built) }
                    bearer = tokens[caller]
                }
                for (path, max) in Self.limitedStrings(body) {
                    let field = path.joined(separator: ".").replacingOccurrences(of: ".[]", with: "[0]")
                    let over = try Self.json(Self.setting([:], path, to: String(repeating: "é", count: max + 1)))
                    let response = try await Self.send(client, operation.method, Self.path(operation), token: bearer, body: over)
                    #expect(response.status == .unprocessableContent, "\(operation.id) \(field): \(response.status.code) \(response.text.prefix(200))")
                    let errors = try jsonObject(response)["errors"] as? [[String: String]] ?? []
                    #expect(errors.contains { $0["field"] == field && $0["message"]?.contains("\(max) characters or fewer") == true },
                            "\(operation.id) \(field): \(response.text.prefix(300))")
                    let at = try Self.json(Self.setting([:], path, to: String(repeating: "é", count: max)))
                    let fine = try await Self.send(client, operation.method, Self.path(operation), token: bearer, body: at)
                    #expect(!fine.text.contains("characters or fewer"), "\(operation.id) \(field) at its limit: \(fine.text.prefix(200))")
                    checked += 1
                }
            }
            #expect(checked >= (national ? 3 : 30))
        }
        }
    }

    static func isNational(_ operation: APISpec.Operation) -> Bool { APIOperation(rawValue: operation.id)?.isNational ?? false }

    /// Intake reports every problem at once in the reporter's language, so the spec's lengths
    /// are left to it: each one is still enforced, with 422, and nothing is stored.
    @Test func intakeEnforcesEveryLengthInTheSpec() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            let bases: [(String, String?, [String: Any])] = [
                ("createPublicReport", nil, ["description": "People sleeping in the back of the car wash", "language": "en"]),
                ("createReport", practitioner, ["description": "Seen at the farm", "exploitationTypes": ["labour"], "ageGroup": "adult"]),
            ]
            for (id, bearer, base) in bases {
                let operation = try #require(spec.operations.values.first { $0.id == id })
                let fields = Self.limitedStrings(try #require(operation.body))
                #expect(fields.count >= 8)
                for (path, max) in fields {
                    let before = try await Report.query(on: db).count()
                    let body = try Self.json(Self.setting(base, path, to: String(repeating: "x", count: max + 1)))
                    let response = try await Self.send(client, operation.method, operation.path, token: bearer, body: body)
                    #expect(response.status == .unprocessableContent, "\(id) \(path): \(response.status.code) \(response.text.prefix(200))")
                    #expect(try await Report.query(on: db).count() == before)
                }
            }
        }
    }

    /// `null` is refused wherever the spec does not allow it, for every field of every body.
    @Test func nullIsRefusedWhereTheSpecDoesNotAllowIt() async throws {
        try await withApp(configure: { $0.national = true }) { client, built in
            let admin = try await token(for: "admin@demo.invalid", built)
            var checked = 0
            for operation in spec.operations.values.sorted(by: { $0.id < $1.id }) where Self.isNational(operation) {
                guard let body = operation.body else { continue }
                for (name, property) in body.properties.sorted(by: { $0.key < $1.key }) where !property.allowsNull {
                    let response = try await Self.send(client, operation.method, Self.path(operation), token: admin, body: #"{"\#(name)": null}"#)
                    #expect(response.status == .badRequest, "\(operation.id) \(name): \(response.status.code)")
                    #expect(response.text.contains("Field '\(name)' must not be null"), "\(operation.id) \(name): \(response.text.prefix(200))")
                    checked += 1
                }
            }
            #expect(checked >= 10)
            #expect(try await NationalPartnership.query(on: built.services.database.db).count() == DemoNational.partnerships.count)
        }
        try await withApp { client, built in
            var tokens: [String: String] = [:]
            var checked = 0
            for operation in spec.operations.values.sorted(by: { $0.id < $1.id }) where !Self.isNational(operation) {
                guard let body = operation.body else { continue }
                var bearer: String?
                if let caller = try Self.caller(for: operation) {
                    if tokens[caller] == nil { tokens[caller] = try await token(for: caller, built) }
                    bearer = tokens[caller]
                }
                for (name, property) in body.properties.sorted(by: { $0.key < $1.key }) where !property.allowsNull {
                    let response = try await Self.send(client, operation.method, Self.path(operation), token: bearer, body: #"{"\#(name)": null}"#)
                    #expect(response.status == .badRequest, "\(operation.id) \(name): \(response.status.code)")
                    #expect(response.text.contains("Field '\(name)' must not be null"), "\(operation.id) \(name): \(response.text.prefix(200))")
                    checked += 1
                }
            }
            #expect(checked >= 80)
            // And nothing changed: an agency keeps its area.
            let admin = try await token(for: "admin@demo.invalid", built)
            let agency = try #require(try await Agency.query(on: built.services.database.db).first())
            let response = try await Self.send(client, .patch, "/api/v1/agencies/\(try agency.requireID())", token: admin, body: #"{"area": null}"#)
            #expect(response.status == .badRequest)
            let after = try #require(try await Agency.find(try agency.requireID(), on: built.services.database.db))
            #expect(after.area == agency.area)
            let whole = try await Self.send(client, .patch, "/api/v1/agencies/\(try agency.requireID())", token: admin, body: "null")
            #expect(whole.status == .badRequest)
        }
    }

    @Test func aConsentWithdrawalNeedsNoBody() async throws {
        try await withApp { client, built in
            let services = built.services
            let identity = try await DemoReports.identity("caseworker@demo.invalid", services)
            let record = try await services.cases.open(.init(chosenName: "Withdrawal"), identity: identity, address: "test")
            let caseID = try record.requireID()
            var consents: [UUID] = []
            for _ in 0..<3 {
                consents.append(try await services.support.recordConsent(
                    try await services.cases.authorise(caseID, identity: identity),
                    .init(categories: ["account"], purposes: ["safeguarding"], agencies: [identity.agencyID.uuidString], method: "written"),
                    address: "test").requireID())
            }
            let bearer = try await token(for: "caseworker@demo.invalid", built)
            let path = { (consent: UUID) in "/api/v1/cases/\(caseID)/consents/\(consent)/withdrawal" }
            // No body and no content type, as the spec allows.
            let bare = try await client.execute(uri: path(consents[0]), method: .post, headers: [.authorization: "Bearer \(bearer)"])
            #expect(bare.status == .ok, "\(bare.text)")
            #expect(try jsonObject(bare)["withdrawnOn"] as? String != nil)
            // An empty body with the JSON content type is no body either.
            let empty = try await Self.send(client, .post, path(consents[1]), token: bearer, body: "")
            #expect(empty.status == .ok, "\(empty.text)")
            let noted = try await Self.send(client, .post, path(consents[2]), token: bearer, body: #"{"note":"Asked by phone"}"#)
            #expect(noted.status == .ok)
            // An operation whose body is required still says so.
            let missing = try await client.execute(uri: "/api/v1/cases/\(caseID)/consents", method: .post, headers: [.authorization: "Bearer \(bearer)"])
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("needs a JSON body"))
        }
    }

    // MARK: Methods

    @Test func unsupportedMethodsGet405WithAllow() async throws {
        try await withApp { client, built in
            let analyst = try await token(for: "analyst@demo.invalid", built)
            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.trace, "/reports", "GET, HEAD, POST"),
                (.trace, "/", "GET, HEAD"),
                (.options, "/health", "GET, HEAD"),
                (.delete, "/reports/\(UUID().uuidString)", "GET, HEAD"),
                (.put, "/reports/new", "GET, HEAD"),
                (.trace, "/api/v1/reports", "GET, HEAD, POST"),
                (.delete, "/api/v1/agencies/\(UUID().uuidString)", "GET, HEAD, PATCH"),
                (.get, "/api/v1/cases/\(UUID().uuidString)/consents/\(UUID().uuidString)/withdrawal", "POST"),
            ]
            for (method, path, allow) in cases {
                var headers: HTTPFields = [.authorization: "Bearer \(analyst)"]
                headers[.cookie] = browser.cookieHeader
                let response = try await client.execute(uri: path, method: method, headers: headers)
                #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status.code)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                #expect(response.text.contains("does not accept \(method.rawValue)"), "\(method) \(path)")
                if path.hasPrefix("/api/") { #expect(response.headers[.contentType] == "application/problem+json") }
            }
            #expect(try await client.execute(uri: "/no/such/page", method: .trace).status == .notFound)
            #expect(try await client.execute(uri: "/no-such-page", method: .get).status == .notFound)
            let head = try await client.execute(uri: "/health", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
        }
    }

    // MARK: Enums

    /// Every enum the API exchanges: the spec's values and the Swift type's are the same set,
    /// so no stored value lacks a generated case and no documented value is unknown to Cairn.
    @Test func everyEnumTheAPIUsesAgreesWithCairnCore() throws {
        func values<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> Set<String> where T.RawValue == String { Set(T.allCases.map(\.rawValue)) }
        func schema(_ location: String) throws -> APISpec.Schema {
            // "Component", "Component.property", "Component.property[]" or "operationId?parameter".
            if let mark = location.firstIndex(of: "?") {
                let operation = try #require(spec.operations.values.first { $0.id == String(location[..<mark]) }, "\(location)")
                return try #require(operation.parameters.first { $0.name == String(location[location.index(after: mark)...]) }?.schema, "\(location)")
            }
            let parts = location.split(separator: ".")
            var current = try #require(spec.components[String(parts[0])], "\(location)")
            for part in parts.dropFirst() {
                let isArray = part.hasSuffix("[]")
                current = try #require(current.properties[String(isArray ? part.dropLast(2) : part)], "\(location)")
                if isArray { current = try #require(current.items, "\(location)") }
            }
            return current
        }
        /// The values a schema allows: its enum, or the list its description gives.
        func documented(_ location: String, after arrow: Bool = false) throws -> Set<String> {
            let s = try schema(location)
            if let list = s.enumValues { return Set(list) }
            var text = try #require(s.description, "\(location) has neither an enum nor a listed description")
            if let split = text.range(of: "→") { text = String(arrow ? text[split.upperBound...] : text[..<split.lowerBound]) }
            let cut = text.split(whereSeparator: { $0 == ":" || $0 == ";" }).first.map(String.init) ?? text
            return Set(cut.replacingOccurrences(of: " or ", with: ", ").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        let pairs: [(String, Set<String>)] = [
            ("AgencyType", values(AgencyType.self)), ("Role", values(Role.self)), ("PartnerService", values(PartnerService.self)),
            ("ReportStatus", values(ReportStatus.self)), ("Urgency", values(Urgency.self)), ("ExploitationType", values(ExploitationType.self)),
            ("AgeGroup", values(AgeGroup.self)), ("ReporterType", values(ReporterType.self)), ("Outcome", values(ReportOutcome.self)),
            ("Language", values(PublicLanguage.self)),
            ("IndicatorTick.knowledge", values(IndicatorKnowledge.self)), ("ReportIndicator.knowledge", values(IndicatorKnowledge.self)),
            ("ReportSummary.source", values(ReportSource.self)), ("Report.source", values(ReportSource.self)),
            ("Mention.kind", values(MentionKind.self)), ("LinkReason.kind", values(MentionKind.self)), ("NetworkEntity.kind", values(MentionKind.self)),
            ("Case.status", values(CaseStatus.self)), ("Case.riskLevel", values(RiskLevel.self)), ("WarningRecorded.riskLevel", values(RiskLevel.self)),
            ("Task.status", values(CarePlanTaskStatus.self)), ("TaskUpdate.status", values(CarePlanTaskStatus.self)),
            ("NRM.route", values(NRMRoute.self)), ("IntelligenceAlert.kind", values(IntelligenceAlertKind.self)),
            ("IntelligenceItemCreate.sourceEvaluation", values(SourceEvaluation.self)),
            ("IntelligenceItemCreate.assessment", values(IntelligenceAssessment.self)), ("IntelligenceItemCreate.handling", values(HandlingCode.self)),
            ("Contact.method", values(ContactMethod.self)), ("Contact.status", values(ContactStatus.self)),
            ("ContactCreate.method", values(ContactMethod.self)), ("ContactCreate.status", values(ContactStatus.self)),
            ("ContactUpdate.status", values(ContactStatus.self)),
            ("ConsentCreate.categories", values(ConsentDataCategory.self)), ("ConsentCreate.purposes", values(ConsentPurpose.self)),
            ("ConsentCreate.method", values(ConsentMethod.self)),
            ("NeedAssessment.urgency", values(NeedUrgency.self)), ("NeedAssessment.survivorPriority", values(SurvivorPriority.self)),
            ("NRMInput.competentAuthority", values(CompetentAuthority.self)), ("NRMInput.reasonableGroundsDecision", values(NRMDecision.self)),
            ("NRMInput.conclusiveGroundsDecision", values(NRMDecision.self)),
            ("OutcomeReviewCreate.point", values(ReviewPoint.self)), ("OutcomeReviewCreate.ratings", values(CoreOutcome.self)),
            ("WarningCreate.sign", Set(WarningSign.allCases.filter { !$0.isDetectedOnly }.map(\.rawValue))), ("WorkSection.kind", values(WorkItem.Kind.self)),
            ("listReports?inbox", values(ReportService.Inbox.self)), ("listReports?sort", values(ReportService.Sort.self)),
            ("listReports?status", values(ReportStatus.self)), ("listReports?urgency", values(Urgency.self)),
            ("listReports?type", values(ExploitationType.self)), ("listUsers?role", values(Role.self)),
            ("listUsers?sort", values(AccountService.UserSort.self)), ("listAgencies?sort", values(AccountService.AgencySort.self)),
            ("getHotspots?type", values(ExploitationType.self)),
            ("PlanPathway", values(PreventionPathway.self)), ("PlanLevel", values(PreventionLevel.self)), ("PlanStrand", values(PlanStrand.self)),
            ("PlanActionStatus", values(ActionStatus.self)), ("PlanFactor.group", values(FrameworkGroup.self)),
            ("listPlanActions?sort", values(PlanService.Sort.self)),
            ("AssessmentFactorResult.group", values(FrameworkGroup.self)), ("AssessmentFactorResult.change", values(Assessment.Direction.self)),
            ("PartnershipMember.role", values(MemberRole.self)), ("GroupBrief.kind", values(GovernanceGroupKind.self)),
            ("Attendance.status", values(AttendanceStatus.self)), ("GovernanceAction.status", values(GovernanceActionStatus.self)),
            ("Agreement.categories[]", values(SharedDataCategory.self)), ("Agreement.lawfulBasis", values(LawfulBasis.self)),
            ("Agreement.specialCondition", values(SpecialCategoryCondition.self)), ("Agreement.state", values(AgreementState.self)),
            ("AgreementCreate.categories", values(SharedDataCategory.self)), ("AgreementCreate.lawfulBasis", values(LawfulBasis.self)),
            ("AgreementCreate.specialCondition", values(SpecialCategoryCondition.self)), ("UncoveredShareCount.kind", values(ShareKind.self)),
        ]
        var mismatches: [String] = []
        for (location, swift) in pairs {
            let inSpec = try documented(location)
            if inSpec != swift {
                mismatches.append("\(location): only in the spec \(inSpec.subtracting(swift).sorted()), only in Swift \(swift.subtracting(inSpec).sorted())")
            }
        }
        let ratings = try documented("OutcomeReviewCreate.ratings", after: true)
        if ratings != values(OutcomeRating.self) { mismatches.append("OutcomeReviewCreate.ratings values: \(ratings.sorted())") }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}
