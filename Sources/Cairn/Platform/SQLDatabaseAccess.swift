import FluentKit
import SQLKit

extension Database {
    /// The SQL interface of a Fluent database or transaction. Both drivers Cairn uses provide
    /// it; if one ever did not, the request fails with an error instead of the process stopping.
    func sqlDatabase() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            throw AppError(.internalServerError, title: "Something went wrong", "The database does not offer SQL. It has been logged.")
        }
        return sql
    }
}
