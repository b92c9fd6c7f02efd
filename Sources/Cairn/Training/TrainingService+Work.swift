import CairnCore
import FluentKit
import Foundation

/// What training asks of a trainer or coordinator on their home page: their agency's sessions
/// in the next 30 days, and its sessions of the last 180 days with no attendance or no
/// confidence feedback recorded. Everyone who may manage training may open a session's page.
extension TrainingService: WorkSource {
    static let upcomingDays = 30
    static let followUpDays = 180

    func work(for identity: Identity, context: WorkContext) async throws -> [WorkItem] {
        guard identity.can(.manageTraining) else { return [] }
        let today = Self.today(context.now)
        let sessions = try await TrainingSession.query(on: db).filter(\.$trainerAgencyID == identity.agencyID)
            .filter(\.$heldOn >= today.adding(days: -Self.followUpDays).description)
            .filter(\.$heldOn <= today.adding(days: Self.upcomingDays).description).all()
        guard !sessions.isEmpty else { return [] }
        let ids = sessions.compactMap(\.id)
        let titles = try await courseTitles(identity: identity)
        let counted = Set(try await TrainingAttendance.query(on: db).filter(\.$sessionID ~~ ids).field(\.$sessionID).all().map(\.sessionID))
        let registered = Set(try await TrainingAttendee.query(on: db).filter(\.$sessionID ~~ ids).field(\.$sessionID).all().map(\.sessionID))
        let answered = Set(try await TrainingResponse.query(on: db).filter(\.$sessionID ~~ ids).field(\.$sessionID).all().map(\.sessionID))
        var items: [WorkItem] = []
        for session in sessions {
            guard let id = session.id, let day = try? CalendarDate(parsing: session.heldOn) else { continue }
            let title = "\(titles[session.courseID] ?? "Training session"), \(Format.day(session.heldOn))"
            let href = TrainingRoute.session(.value(id)).path
            let at = Self.start(of: day)
            if day >= today {
                items.append(WorkItem(.trainingUpcoming, title: title, detail: "\(session.deliveryMode.label), \(session.area), in \(session.language)",
                                      href: href, due: at))
            } else {
                var missing: [String] = []
                if !counted.contains(id) && !registered.contains(id) { missing.append("attendance") }
                if !answered.contains(id) { missing.append("confidence feedback") }
                guard !missing.isEmpty else { continue }
                items.append(WorkItem(.trainingFollowUp, title: title, detail: "No " + missing.joined(separator: " or ") + " recorded yet",
                                      href: href, since: at))
            }
        }
        return items
    }

    /// Midnight at the start of `day` in London.
    static func start(of day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date()
    }
}
