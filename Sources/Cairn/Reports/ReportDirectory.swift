import FluentKit
import Foundation

/// What Reports lets other capabilities read of reports, as plain values: Cases and
/// Intelligence read reports only through this (never Reports' models or tables), and the
/// reads each of them makes are in their own file beside this one
/// (`ReportDirectory+Cases.swift`, `ReportDirectory+Intelligence.swift`). Authorisation and
/// read audits stay with the capability that shows what it reads.
public struct ReportDirectory: Sendable {
    let database: CairnDatabase

    var db: any Database { database.db }
}
