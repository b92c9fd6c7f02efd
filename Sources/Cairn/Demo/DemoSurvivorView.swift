import CairnCore
import Foundation

/// Andrei's own view of his case, active, in Romanian: a conversation with his case team, one
/// message not yet read by them (it shows on the caseworker's home page), and his own ratings
/// at intake and after a month. Sign in at `/my/sign-in` with the reference and passphrase below.
enum DemoSurvivorView {
    static let reference = "ANR-24Q"
    static let passphrase = "river stone morning"

    static func load(into services: AppServices, caseID: UUID, now: Date) async throws {
        let survivor = services.survivor
        let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
        let offer = try await survivor.offer(caseID, identity: caseworker, language: .ro, address: "demo", now: DemoReports.ago(now, days: 20))
        _ = try await survivor.activate(code: offer.code, passphrase: passphrase, confirm: passphrase, language: .ro, address: "demo",
                                        now: DemoReports.ago(now, days: 19), reference: reference)
        let account = try await survivor.accountID(caseID: caseID)
        let token = try await survivor.createSession(accountID: account, kind: .api, safe: false, now: now)
        guard let andrei = try await survivor.identity(forToken: token, kind: .api, now: now) else { return }
        try await survivor.rate(andrei, point: ReviewPoint.intake.rawValue,
                                ratings: [CoreOutcome.secureSuitableHousing.rawValue: OutcomeRating.notAtAll.rawValue,
                                          CoreOutcome.safetyFromAbusers.rawValue: OutcomeRating.aLittle.rawValue,
                                          CoreOutcome.longTermConsistentSupport.rawValue: OutcomeRating.aLittle.rawValue,
                                          CoreOutcome.medicalTreatment.rawValue: OutcomeRating.notAtAll.rawValue],
                                address: "demo", now: DemoReports.ago(now, days: 19))
        try await survivor.rate(andrei, point: ReviewPoint.oneMonth.rawValue,
                                ratings: [CoreOutcome.secureSuitableHousing.rawValue: OutcomeRating.partly.rawValue,
                                          CoreOutcome.safetyFromAbusers.rawValue: OutcomeRating.mostly.rawValue,
                                          CoreOutcome.longTermConsistentSupport.rawValue: OutcomeRating.partly.rawValue,
                                          CoreOutcome.medicalTreatment.rawValue: OutcomeRating.partly.rawValue,
                                          CoreOutcome.education.rawValue: OutcomeRating.aLittle.rawValue],
                                address: "demo", now: DemoReports.ago(now, days: 13))
        try await survivor.send(andrei, body: "Bună ziua. Când este următoarea întâlnire despre locuință? Vreau să vin cu un interpret.",
                                interpreter: true, language: "Română", address: "demo", now: DemoReports.ago(now, days: 6))
        _ = try await survivor.teamView(caseID, identity: caseworker, address: "demo", via: "demo", now: DemoReports.ago(now, days: 5))
        try await survivor.reply(caseID, body: "Bună ziua, Andrei. Ne vedem joi la ora 10 la Safe Harbour, cu un interpret de limba română.",
                                 identity: caseworker, address: "demo", now: DemoReports.ago(now, days: 5))
        try await survivor.send(andrei, body: "Mulțumesc. Am primit o scrisoare de la Jobcentre și nu o înțeleg. O pot aduce joi?",
                                interpreter: false, language: "", address: "demo", now: DemoReports.ago(now, days: 1))
        try await survivor.signOut(andrei, address: "demo")
    }
}
