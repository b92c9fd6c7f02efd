import Foundation
import SQLKit

/// The per-account lockout, kept in the account's row with single atomic statements, so that it
/// holds under concurrency and across instances on one PostgreSQL (and on SQLite).
///
/// `failed_sign_ins` counts the wrong attempts *and those being checked*: an attempt is counted
/// before its password (or two-factor code) is checked, and only while the count is below the
/// threshold, so of 20 attempts at once at most `threshold` are checked at all. A wrong one
/// leaves its count; the one that finds the count at the threshold locks the account and
/// clears the count; a right one clears it — unless the account was locked meanwhile, in which
/// case the right password does not sign in either.
struct AccountLockout: Sendable {
    let database: CairnDatabase
    let threshold: Int
    let minutes: Int
    /// Whose accounts: staff (`users`) or survivors' own views (`survivor_accounts`), which keep
    /// the same two columns and follow the same rule.
    var table = "users"

    enum Attempt: Equatable {
        /// Counted, with its number since the count was last cleared.
        case counted(Int)
        /// Not counted: the account is locked (`justNow` when this attempt locked it).
        case locked(justNow: Bool)
    }

    /// Counts an attempt about to be checked. Once `threshold` attempts are counted (wrong ones
    /// and ones still being checked) the next locks the account: more at once than the threshold
    /// is itself a sign of guessing, and a count left by a process that died mid-check must not
    /// keep the account shut for ever.
    func begin(_ userID: UUID, now: Date = Date()) async throws -> Attempt {
        let row = try await database.sql.raw("""
            UPDATE \(ident: table) SET failed_sign_ins = failed_sign_ins + 1, locked_until = NULL
            WHERE id = \(bind: userID) AND failed_sign_ins < \(bind: threshold)
              AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING failed_sign_ins
            """).first()
        if let row { return .counted(try row.decode(column: "failed_sign_ins", as: Int.self)) }
        return .locked(justNow: try await failed(userID, now: now))
    }

    /// A counted attempt was wrong. Returns true when this locked the account (the count had
    /// reached the threshold); the count is cleared as the lock starts.
    func failed(_ userID: UUID, now: Date = Date()) async throws -> Bool {
        let until = now.addingTimeInterval(TimeInterval(minutes * 60))
        let row = try await database.sql.raw("""
            UPDATE \(ident: table) SET locked_until = \(bind: until), failed_sign_ins = 0
            WHERE id = \(bind: userID) AND failed_sign_ins >= \(bind: threshold)
              AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING id
            """).first()
        return row != nil
    }

    /// A counted attempt was right: clears the count. Returns false when the account was locked
    /// while the attempt was checked (then it must not sign in).
    func succeeded(_ userID: UUID, now: Date = Date()) async throws -> Bool {
        let row = try await database.sql.raw("""
            UPDATE \(ident: table) SET failed_sign_ins = 0
            WHERE id = \(bind: userID) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING id
            """).first()
        return row != nil
    }

    /// A right two-factor code: accepts its time step only if it is later than the last one
    /// accepted (so two requests with one code cannot both sign in) and the account is not
    /// locked; clears the count. Returns false otherwise.
    func acceptedCode(_ userID: UUID, step: Int, now: Date = Date()) async throws -> Bool {
        let row = try await database.sql.raw("""
            UPDATE \(ident: table) SET failed_sign_ins = 0, totp_last_step = \(bind: step)
            WHERE id = \(bind: userID) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
              AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING id
            """).first()
        return row != nil
    }

    /// A counted attempt that was never checked (the hashing queue was full): hands its count back.
    func abandoned(_ userID: UUID) async throws {
        try await database.sql.raw("""
            UPDATE \(ident: table) SET failed_sign_ins = failed_sign_ins - 1 WHERE id = \(bind: userID) AND failed_sign_ins > 0
            """).run()
    }
}
