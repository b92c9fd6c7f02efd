import Foundation

/// Maps a stored or CairnCore value to the generated enum case of the same name. If the spec
/// lacks the value the request fails with a clear error instead of stopping the process;
/// `SpecTests.everyEnumTheAPIUsesAgreesWithCairnCore` checks that it never does.
enum APIEnum {
    static func map<T: RawRepresentable>(_ value: String, to type: T.Type = T.self) throws -> T where T.RawValue == String {
        guard let mapped = T(rawValue: value) else {
            // The type only: the value came from storage.
            throw AppError(.internalServerError, title: "Value not in the API",
                           "Cairn holds a value of \(String(describing: T.self)) that openapi.yaml does not define. Tell your administrator.")
        }
        return mapped
    }

    /// For an optional field: `nil` stays `nil`, anything else must map.
    static func map<T: RawRepresentable>(optional value: String?, to type: T.Type = T.self) throws -> T? where T.RawValue == String {
        try value.map { try map($0, to: T.self) }
    }
}
