import CairnCore
import FluentKit
import Foundation

/// The HTCDS import (`cairn htcds import`): the cases of an HTCDS v2.0 CSV as pseudonymous
/// demonstration cases, led by an "HTCDS import (demonstration)" agency whose caseworker
/// account (disabled, with an unusable password) opens them and is their team.
extension ExportService {
    static let importAgencyName = "HTCDS import (demonstration)"
    static let importAccount = "htcds-import@demo.invalid"

    /// Imports every case of `file`, or nothing if any row is bad (unless `skipBad`: then the
    /// good rows). A problem with the header refuses the file whatever `skipBad` says.
    func importHTCDS(_ file: HTCDSFile, skipBad: Bool, actor: AuditActor, hashPassword: @Sendable (String) async throws -> String,
                     now: Date = Date()) async throws -> HTCDSImportSummary {
        let headerProblems = file.problems.filter { $0.line == 1 }
        if !headerProblems.isEmpty || (!file.problems.isEmpty && !skipBad) { throw HTCDSImportRefused(problems: file.problems) }
        let db = database.db
        var agency = try await Agency.query(on: db).filter(\.$name == Self.importAgencyName).first()
        if agency == nil {
            let made = Agency(id: UUID(), name: Self.importAgencyName, type: .ngo, firstResponder: false, area: "")
            made.createdAt = now
            try await made.create(on: db)
            agency = made
        }
        let agencyID = try agency.checked().requireID()
        var user = try await User.query(on: db).filter(\.$email == Self.importAccount).first()
        if user == nil {
            let made = User()
            made.id = UUID()
            made.email = Self.importAccount
            made.displayName = "HTCDS import"
            made.$agency.id = agencyID
            made.roles = [.caseworker]
            made.passwordHash = try await hashPassword(Secrets.token())
            made.disabled = true
            made.failedSignIns = 0
            made.mustChangePassword = true
            made.createdAt = now
            try await made.create(on: db)
            user = made
        }
        let userID = try user.checked().requireID()
        let cases = file.cases.map(\.value)
        try await self.cases.importCases(cases, agencyID: agencyID, userID: userID, now: now)
        try await audit.append(AuditEvent(actor: actor, action: "case.htcds.imported", recordType: "case",
                                          detail: "\(cases.count) cases imported; \(file.rows - cases.count) rows skipped"))
        return HTCDSImportSummary(imported: cases.count, skipped: file.rows - cases.count, problems: file.problems)
    }
}

public struct HTCDSImportSummary: Sendable {
    public let imported: Int
    public let skipped: Int
    public let problems: [HTCDSFile.Problem]
}

/// The file was refused: nothing was imported. Each problem names its line.
public struct HTCDSImportRefused: Error, CustomStringConvertible {
    public let problems: [HTCDSFile.Problem]
    public var description: String {
        (["The file was not imported: \(problems.count) problem\(problems.count == 1 ? "" : "s")."] + problems.prefix(100).map(\.description)
            + (problems.count > 100 ? ["… and \(problems.count - 100) more."] : [])).joined(separator: "\n")
    }
}

extension AppServices {
    /// `cairn htcds import`: reads and imports an HTCDS v2.0 CSV (see `ExportService.importHTCDS`).
    public func importHTCDS(_ data: Data, skipBad: Bool, actor: AuditActor) async throws -> HTCDSImportSummary {
        let auth = self.auth
        return try await exports.importHTCDS(HTCDSFile.read(data), skipBad: skipBad, actor: actor,
                                             hashPassword: { try await auth.hashPassword($0) })
    }
}
