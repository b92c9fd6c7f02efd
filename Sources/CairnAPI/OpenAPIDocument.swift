import Foundation

/// The API contract itself, served at `/api/v1/openapi.yaml` so clients read the same
/// document the server code was generated from.
public enum OpenAPIDocument {
    public static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
