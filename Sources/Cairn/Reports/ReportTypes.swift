import CairnCore
import FluentKit
import SQLKit

/// A report's types of exploitation, stored as one comma-separated column: the one filter
/// and the one wording that every list, search and summary uses.
extension Report {
    /// Reports that name `type` among their types.
    static func hasType(_ type: ExploitationType) -> DatabaseQuery.Filter {
        SQLLike(SQLRaw("(',' || exploitation_types || ',')"), .contains, ",\(type.rawValue),").filter
    }

    /// "Labour exploitation, Criminal exploitation (county lines)", as report lists show it.
    static func typesText(_ types: Set<ExploitationType>, countyLines: Bool) -> String {
        ExploitationType.allCases.filter(types.contains).map(\.label).joined(separator: ", ") + (countyLines ? " (county lines)" : "")
    }
}
