import CairnCore
import FluentKit
import Foundation

/// Fictional survivor-support cases. `caseworker@demo.invalid` is on their teams;
/// `caseworker2@demo.invalid` and `analyst@demo.invalid` are on none of them.
enum DemoCases {
    static func load(into services: AppServices) async throws {
        let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
        let carWash = try await Report.query(on: services.database.db).filter(\.$source == ReportSource.practitioner.rawValue)
            .filter(\.$labourSector == LabourSector.carWash.rawValue).first()

        var andrei = CaseService.Input()
        andrei.chosenName = "Andrei"
        andrei.account = "Came to the UK for a job in construction promised by a man in his home town. Was taken to a car wash instead, paid £20 a day, and told he owed £3,000 for travel."
        andrei.language = "Romanian"
        andrei.interpreterNeeded = true
        andrei.legalName = "Andrei Ionescu (fictional)"
        andrei.nationality = "Romanian"
        andrei.languages = "Romanian, some English"
        andrei.reportReference = carWash?.reference ?? ""
        _ = try await services.cases.open(andrei, identity: caseworker, address: "demo")

        var mira = CaseService.Input()
        mira.chosenName = "Mira"
        mira.account = "Was recruited online for hotel work, held in a flat and sexually exploited for eight months. Left with help from a neighbour."
        mira.language = "Albanian"
        mira.interpreterNeeded = true
        mira.legalName = "Mira K. (fictional)"
        mira.dateOfBirth = "1999-05-17"
        mira.nationality = "Albanian"
        mira.languages = "Albanian, Italian"
        _ = try await services.cases.open(mira, identity: caseworker, address: "demo")

        var daniel = CaseService.Input()
        daniel.chosenName = "Daniel"
        daniel.account = "Cuckooed in his own flat by a county-lines group; moved to safe accommodation by the council."
        daniel.language = "English"
        daniel.legalName = "Daniel P. (fictional)"
        daniel.nationality = "British"
        let closed = try await services.cases.open(daniel, identity: caseworker, address: "demo")
        _ = try await services.cases.move(closed.id!, to: .closed, reason: ClosureReason.goalsMet.rawValue,
                                          plan: "Monthly call from Safe Harbour for six months; he has the helpline number.",
                                          identity: caseworker, address: "demo")
    }
}
