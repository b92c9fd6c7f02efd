import CairnCore
import Foundation

/// The demo partnership's statistical releases, made through `ReleaseService` as people would:
/// the coordinator defines and proposes each, the administrator approves it (which runs the
/// attacker check again, signs it and publishes it). Four quarterly releases of one calendar
/// year, that year's annual release, and a revision of its third quarter.
///
/// The year is the one before the quarter that ended most recently (so a demo loaded in
/// December 2026 publishes 2025): releases are checked against the other releases of their
/// own year only, and keeping the demo's out of the current year leaves that year to people
/// trying the pages. The demo's report history starts 18 months back, so that year always
/// holds some reports. A partnership this small publishes mostly hidden cells at k = 10,
/// which is what the demo shows: small counts withheld, zeros and larger totals published.
enum DemoReleases {
    static let quarterlyTables = ["reports:exploitation_type", "reports:area"]

    static func year(now: Date) -> Int {
        CalendarDate(now, in: .london).adding(months: -3).year - 1
    }

    static func load(into services: AppServices, now: Date) async throws {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let admin = try await DemoReports.identity("admin@demo.invalid", services)
        let releases = services.releases
        let year = year(now: now)
        // A moment some days after a period's end: releases are made once its records are in.
        func after(_ period: ReleasePeriod, days: Int) -> Date {
            let day = period.lastDay.adding(days: days)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .london
            let moment = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 10)) ?? now
            return min(moment, now)
        }
        /// Creates, proposes and approves; a release the check refuses stays a withdrawn
        /// proposal (the demo never publishes one the service would not).
        func publish(_ input: ReleaseService.Input, period: ReleasePeriod, days: Int) async throws -> UUID? {
            let id = try await releases.create(input, identity: coordinator, address: "demo", now: after(period, days: days))
            try await releases.propose(id, identity: coordinator, address: "demo", now: after(period, days: days))
            do {
                try await releases.approve(id, identity: admin, address: "demo", now: after(period, days: days + 3))
                return id
            } catch let error as AppError where error.status == .conflict {
                try await releases.withdraw(id, identity: coordinator, address: "demo")
                return nil
            }
        }
        var quarterly: [Int: UUID] = [:]
        for quarter in 1...4 {
            let period = ReleasePeriod.quarter(year: year, quarter: quarter)
            quarterly[quarter] = try await publish(.init(period: period.description, tables: quarterlyTables), period: period, days: 20)
        }
        let annual = ReleasePeriod.year(year)
        _ = try await publish(.init(period: annual.description, tables: quarterlyTables), period: annual, days: 40)
        // The third quarter again, with the people referred by route that its first release left out.
        let third = ReleasePeriod.quarter(year: year, quarter: 3)
        if let revised = quarterly[3] {
            _ = try await publish(.init(period: third.description, tables: quarterlyTables + ["referrals:referral_route"],
                                        revises: revised.uuidString,
                                        revisionNote: "Adds the people referred by referral route (NRM first responder's kind, or Duty to Notify), which the first release for this quarter left out. The reports tables are unchanged."),
                                  period: annual, days: 60)
        }
    }
}
