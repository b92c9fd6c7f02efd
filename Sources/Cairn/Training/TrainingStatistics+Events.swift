import CairnCore
import Foundation
import SQLKit

/// Training's sessions as events on a sector's time line (the afterwards page): when each was
/// held, where, and for which sectors (its course's audience and the sectors counted at it).
extension TrainingStatistics {
    func sessionEvents(from: String, before: String) async throws -> [AwarenessEvent] {
        let sql = database.sql
        let sessions = try await sql.raw("""
            SELECT s.id AS id, s.held_on AS held_on, s.area AS area, c.title AS title, c.sectors AS sectors \
            FROM training_sessions s JOIN training_courses c ON c.id = s.course_id \
            WHERE s.held_on >= \(bind: from) AND s.held_on < \(bind: before)
            """).all()
        var counted: [UUID: Set<Sector>] = [:]
        for table in ["training_attendance", "training_attendees"] {
            let rows = try await sql.raw("""
                SELECT DISTINCT a.session_id AS id, a.sector AS sector FROM \(ident: table) a JOIN training_sessions s ON s.id = a.session_id \
                WHERE s.held_on >= \(bind: from) AND s.held_on < \(bind: before)
                """).all()
            for row in rows {
                guard let sector = Sector(rawValue: try row.decode(column: "sector", as: String.self)) else { continue }
                counted[try row.decode(column: "id", as: UUID.self), default: []].insert(sector)
            }
        }
        return try sessions.compactMap { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard let day = try? CalendarDate(parsing: try row.decode(column: "held_on", as: String.self)) else { return nil }
            let audience = try row.decode(column: "sectors", as: String.self).split(separator: ",").compactMap { Sector(rawValue: String($0)) }
            let area = try row.decode(column: "area", as: String.self)
            return AwarenessEvent(kind: .session, title: try row.decode(column: "title", as: String.self), start: day, end: day,
                                  sectors: Set(audience).union(counted[id] ?? []), districts: area.isEmpty ? [] : [area],
                                  path: TrainingRoute.session(.value(id)).path)
        }
    }
}
