import CairnCore
import FluentKit
import Foundation

/// What campaigns offer the rest of Cairn, wired in `AppServices`: to intake, whether a code
/// names a campaign (`codes`, so Reports never reads campaign tables); to the plan's
/// indicators, the reach recorded per month (`reachByStartMonth`). Counts only.
struct CampaignStatistics: Sendable {
    let database: CairnDatabase
    var db: any Database { database.db }

    /// Intake's check of a public report's campaign code (archived campaigns' codes count too:
    /// their leaflets are still out there).
    var codes: CampaignCodes {
        let db = db
        return CampaignCodes(exists: { code in try await Campaign.query(on: db).filter(\.$code == code).count() > 0 })
    }

    /// Per month of `window`: the reach recorded for campaigns starting in that month, on every
    /// channel. A campaign's whole reach is counted in the month it starts (not spread over its
    /// run), so a figure never changes because a campaign runs on.
    func reachByStartMonth(_ window: MonthWindow) async throws -> [MonthPeriod: (reach: Int, campaigns: Int)] {
        guard let first = window.dayBoundaries.first, let last = window.dayBoundaries.last else { return [:] }
        let campaigns = try await Campaign.query(on: db).filter(\.$startsOn >= first).filter(\.$startsOn < last).field(\.$id).field(\.$startsOn).all()
        let ids = campaigns.compactMap(\.id)
        var reach: [UUID: Int] = [:]
        for chunk in SQLRows.chunks(ids) {
            for row in try await CampaignReach.query(on: db).filter(\.$campaignID ~~ chunk).all() { reach[row.campaignID, default: 0] += row.reach }
        }
        var result: [MonthPeriod: (reach: Int, campaigns: Int)] = [:]
        for campaign in campaigns {
            guard let id = campaign.id, let day = try? CalendarDate(parsing: campaign.startsOn), let month = window.bucket(of: day) else { continue }
            let sofar = result[month] ?? (0, 0)
            result[month] = (sofar.reach + (reach[id] ?? 0), sofar.campaigns + 1)
        }
        return result
    }
}

extension CampaignStatistics {
    /// Campaigns that ran at any time from `from` to `through`, as events on a sector's time
    /// line (the afterwards page): their dates, audiences' sectors and areas.
    func events(from: CalendarDate, through: CalendarDate) async throws -> [AwarenessEvent] {
        let campaigns = try await Campaign.query(on: db).filter(\.$startsOn <= through.description).filter(\.$endsOn >= from.description).all()
        return campaigns.compactMap { c in
            guard let id = c.id, let start = try? CalendarDate(parsing: c.startsOn), let end = try? CalendarDate(parsing: c.endsOn) else { return nil }
            let sectors = c.audiences.split(separator: ",").compactMap { CampaignAudience(rawValue: String($0))?.trainingSector }
            let areas = c.areas.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return AwarenessEvent(kind: .campaign, title: c.name, start: start, end: end, sectors: Set(sectors), districts: Set(areas),
                                  path: CampaignRoute.show(.value(id)).path)
        }
    }
}
