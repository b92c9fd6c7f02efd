import CairnAPI
typealias CairnAPIDocument = OpenAPIDocument
